import Foundation
import Testing

/// The systemd unit, the default configuration and the migration example, as
/// the Debian package installs them (scripts/package-deb, scripts/test-package).
@Suite struct PackagingTests {
    static let unit = Halod.repository.appendingPathComponent("packaging/halod.service").path

    /// `systemd-analyze verify` against a scratch root holding the unit, the
    /// programs it runs and the host's targets: it checks every directive and
    /// that ExecStart/ExecReload exist. It prints problems but exits 0 for most
    /// of them, so any output fails the test. (PID 1 is not systemd here: the
    /// unit is verified, never started.)
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "systemd-analyze (Debian: systemd)"))
    func unitPassesSystemdAnalyzeVerify() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("halo-unit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let units = "\(root)/lib/systemd/system"
        for directory in [units, "\(root)/usr/sbin", "\(root)/bin"] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: Self.unit, toPath: "\(units)/halod.service")
        try FileManager.default.copyItem(atPath: Halod.executable.path, toPath: "\(root)/usr/sbin/halod")
        try FileManager.default.copyItem(atPath: "/bin/kill", toPath: "\(root)/bin/kill")
        for name in try FileManager.default.contentsOfDirectory(atPath: "/lib/systemd/system")
        where name.hasSuffix(".target") || name.hasSuffix(".slice") {
            try? FileManager.default.copyItem(atPath: "/lib/systemd/system/\(name)", toPath: "\(units)/\(name)")
        }
        let run = try Self.run("/usr/bin/systemd-analyze", ["verify", "--man=no", "--root=\(root)", "/lib/systemd/system/halod.service"])
        #expect(run.status == 0 && run.output.isEmpty, "\(run.output)")
    }

    @Test func unitStartsHalodAsANotifyServiceWithTheSupervisorAsMainProcess() throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        let settings = Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains("=") }.map(String.init))
        for line in ["Type=notify", "NotifyAccess=all", "ExecStart=/usr/sbin/halod -f /etc/halo/halo.conf $HALOD_ARGS",
                     "ExecReload=/bin/kill -HUP $MAINPID", "KillMode=mixed", "Restart=on-failure"] {
            #expect(settings.contains(line), "halod.service lacks \(line)")
        }
        let bounding = try #require(settings.first { $0.hasPrefix("CapabilityBoundingSet=") })
        #expect(bounding.contains("CAP_NET_ADMIN") && bounding.contains("CAP_NET_RAW") && !bounding.contains("CAP_SYS_ADMIN"))
    }

    @Test func defaultConfigurationIsValid() throws {
        let run = try Halod.run(["-f", "packaging/halo.conf", "--config-test"])
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        #expect(run.output.contains("VI_1: interface eth0, VRID 51, priority 100"))
    }

    /// The example's header promises that the keepalived original differs by
    /// two lines; putting `vrrp_strict` back must bring back the errors it names.
    @Test func migrationExampleNeedsVrrpStrictRemoved() throws {
        let example = try String(contentsOf: Halod.repository.appendingPathComponent("conf.d/keepalived-migration.conf"), encoding: .utf8)
        #expect(example.contains("\"vrrp_strict\" is removed"))
        let original = example.replacingOccurrences(of: "    router_id LB_A\n", with: "    router_id LB_A\n    vrrp_strict\n")
        #expect(original != example)
        let path = try Halod.temporaryFile(original)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Halod.run(["-f", path, "--config-test"])
        #expect(run.status == 4, "\(run.output)")
        #expect(run.output.contains("error: strict mode allows 'state MASTER' only with priority 255"))
        #expect(run.output.contains("error: strict mode forbids authentication"))
    }

    @Test func completionScriptsAreGenerated() throws {
        for shell in ["bash", "zsh", "fish"] {
            let run = try Halod.run(["--generate-completion-script", shell])
            #expect(run.status == 0 && run.output.contains("halod"), "\(shell): \(run.errors)")
        }
    }

    static func run(_ program: String, _ arguments: [String]) throws -> Halod.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Halod.Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: "")
    }
}
