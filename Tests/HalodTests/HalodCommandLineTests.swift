import Foundation
import Testing

/// Runs the built `halod` (it sits next to the test bundle in the build directory).
enum Halod {
    static let executable: URL = {
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // On Linux the bundle is a plain executable in the build directory; elsewhere it may be inside *.xctest/.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("halod").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("halod")
    }()

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run { var status: Int32; var output: String; var errors: String }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repository
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self))
    }

    static func temporaryFile(_ text: String, name: String = "halo-test-\(UUID().uuidString).conf") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Suite struct HalodCommandLineTests {
    @Test func everyExampleInConfDPassesConfigTest() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Halod.repository.appendingPathComponent("conf.d").path)
            .filter { $0.hasSuffix(".conf") }.sorted()
        #expect(names.count >= 3)
        for name in names {
            let run = try Halod.run(["-f", "conf.d/\(name)", "--config-test"])
            #expect(run.status == 0, "conf.d/\(name):\n\(run.output)\(run.errors)")
            #expect(run.output.contains("Result: configuration is valid (exit 0)"))
            #expect(!run.output.contains(": error:"))
        }
    }

    @Test func keepalivedSpellingsAreAccepted() throws {
        let run = try Halod.run(["-t", "--use-file", "conf.d/lvs-mycat.conf", "-n", "-l", "-D", "-P", "-p", "/run/halo-test.pid"])
        #expect(run.status == 0)
        #expect(run.output.contains("  VI_LVS: interface eno16777736, VRID 71, priority 100, VRRPv2, IPv4, advert every 1s, starts MASTER, multicast\n    VIPs: 192.0.2.30/32\n"))
        #expect(run.output.contains("Virtual servers (1): parsed; not run:"))
    }

    @Test func errorsButWouldRunExitsFour() throws {
        let path = try Halod.temporaryFile("vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n  priority 300\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Halod.run(["-f", path, "-t"])
        #expect(run.status == 4)
        #expect(run.output.hasPrefix("\(path):4:12: error: 'priority' must be from 1 to 255, not 300\n"))
    }

    @Test func nothingToRunExitsThree() throws {
        let path = try Halod.temporaryFile("vrrp_instance A {\n  virtual_router_id 1\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Halod.run(["-f", path, "-t"])
        #expect(run.status == 3)
        #expect(run.output.hasPrefix("\(path):1:1: error: vrrp_instance 'A' has no 'interface'; it cannot run\n"))
        #expect(run.output.contains("\n\(path):1:17: error: 'vrrp_instance' block is never closed (missing '}')\n"))
    }

    @Test func missingFileExitsThree() throws {
        let run = try Halod.run(["-f", "/nonexistent/halo.conf", "--config-test"])
        #expect(run.status == 3)
        #expect(run.output.hasPrefix("/nonexistent/halo.conf: cannot read: No such file or directory\n"))
    }

    @Test func scriptsWithoutSecurityExitsFive() throws {
        let path = try Halod.temporaryFile("vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n  notify_master /bin/true\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Halod.run(["-f", path, "-t"])
        #expect(run.status == 5)
        #expect(run.output.hasSuffix("Result: valid, but scripts would run without enable_script_security (exit 5)\n"))
    }

    @Test func daemonModeRefusesAConfigurationWithErrors() throws {
        let path = try Halod.temporaryFile("vrrp_instance A {\n  interface eth0\n  virtual_router_id 300\n  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Halod.run(["-f", path])
        #expect(run.status == 3)
        #expect(run.errors.contains("configuration \(path) has errors; not starting (see halod -f \(path) --config-test)"), "\(run.errors)")
        #expect(run.errors.contains("\(path):3:"), "the error names file and line: \(run.errors)")
    }

    @Test func helpDocumentsTheExitCodes() throws {
        let run = try Halod.run(["--help"])
        #expect(run.status == 0)
        for line in ["0  configuration is valid", "3  cannot run", "4  errors found", "5  valid, but scripts would run without enable_script_security",
                     "-f, --use-file", "-t, --config-test", "/etc/halo/halo.conf", "/etc/keepalived/keepalived.conf"] {
            #expect(run.output.contains(line), "help lacks \(line)")
        }
    }

    @Test func versionFlag() throws {
        let run = try Halod.run(["--version"])
        #expect(run.status == 0 && run.output.hasPrefix("halod "))
    }

    @Test func unknownFlagIsAUsageError() throws {
        let run = try Halod.run(["--bogus"])
        #expect(run.status == 64)
    }
}
