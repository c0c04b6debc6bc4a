import Foundation
import Glibc
import HaloLab
import Testing

/// enable_script_security on a real filesystem: a root-run script that a
/// non-root user could change is refused, naming the file or the directory,
/// both by the running daemon and by `halod --config-test`.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ScriptSecurityLabTests {
    /// A root-owned 0755 directory under /run (unlike /tmp, which anyone can write),
    /// holding a secure hook, a group-writable check, and a group-writable folder with a check in it.
    struct Scripts {
        let root: String
        let secureHook: String
        let groupWritableCheck: String
        let insecureFolder: String
        let checkInInsecureFolder: String
        let marker: String

        init(tag: String) throws {
            root = "/run/halo-lab-security-\(getpid())-\(tag)"
            insecureFolder = "\(root)/shared"
            try FileManager.default.createDirectory(atPath: insecureFolder, withIntermediateDirectories: true)
            chmod(root, 0o755)
            chown(insecureFolder, 0, 1000)
            chmod(insecureFolder, 0o775)
            marker = "\(root)/hook-ran"
            secureHook = "\(root)/hook.sh"
            groupWritableCheck = "\(root)/check-group-writable.sh"
            checkInInsecureFolder = "\(insecureFolder)/check.sh"
            // If a refused check ran anyway it would fail, and weight 0 would fault the instance.
            for (path, body) in [(secureHook, "#!/bin/sh\ntouch \(marker)\n"), (groupWritableCheck, "#!/bin/sh\nexit 1\n"),
                                 (checkInInsecureFolder, "#!/bin/sh\nexit 1\n")] {
                try body.write(toFile: path, atomically: false, encoding: .utf8)
                chown(path, 0, 0)
                chmod(path, 0o755)
            }
            chown(groupWritableCheck, 0, 1000)
            chmod(groupWritableCheck, 0o775)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    private func config(_ scripts: Scripts) -> String {
        LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"],
            globalLines: ["enable_script_security"],
            instanceLines: ["track_script {", "    chk_group_writable", "    chk_in_shared_folder", "}",
                            "notify_master \(scripts.secureHook)"])
            .replacingOccurrences(of: "vrrp_instance VI_1 {", with: """
                vrrp_script chk_group_writable {
                    script \(scripts.groupWritableCheck)
                    interval 0.1
                }
                vrrp_script chk_in_shared_folder {
                    script \(scripts.checkInInsecureFolder)
                    interval 0.1
                }
                vrrp_instance VI_1 {
                """)
    }

    @Test func refusesAGroupWritableScriptAndOneInAGroupWritableDirectory() throws {
        let scripts = try Scripts(tag: "daemon")
        defer { scripts.remove() }
        let pair = try PairLab()
        defer { pair.tearDown() }
        let n1 = try pair.halod("n1", config(scripts))
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        #expect(n1.log.contains("vrrp_script chk_group_writable: refusing to run '\(scripts.groupWritableCheck)' as root: '\(scripts.groupWritableCheck)' is writable by group 1000 (mode 0775) (enable_script_security)"), "\(n1.log)")
        #expect(n1.log.contains("vrrp_script chk_in_shared_folder: refusing to run '\(scripts.checkInInsecureFolder)' as root: '\(scripts.insecureFolder)' is writable by group 1000 (mode 0775) (enable_script_security)"), "\(n1.log)")
        // The refused checks never ran (they would have faulted the instance); the secure hook did.
        usleep(500_000)
        #expect(!n1.log.contains("FAULT"), "\(n1.log)")
        #expect(!n1.log.contains("Script chk_"), "\(n1.log)")
        #expect(FileManager.default.fileExists(atPath: scripts.marker), "\(n1.log)")
    }

    @Test func configTestReportsTheRefusalWithFileAndLine() throws {
        let scripts = try Scripts(tag: "config-test")
        defer { scripts.remove() }
        let path = "\(scripts.root)/halo.conf"
        let text = config(scripts)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Halod.binaryPath)
        process.arguments = ["--config-test", "--use-file", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lineNumber = try #require(text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("script \(scripts.groupWritableCheck)") }) + 1
        #expect(report.contains("\(path):\(lineNumber):12: error: vrrp_script chk_group_writable: refusing to run '\(scripts.groupWritableCheck)' as root"), "\(report)")
        #expect(report.contains("'\(scripts.insecureFolder)' is writable by group 1000"), "\(report)")
        #expect(process.terminationStatus == 4, "\(report)")
    }
}
