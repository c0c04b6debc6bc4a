import Foundation
import Glibc
import HaloLab
import Testing

/// keepalived's default script user on a real node: without `script_user`,
/// scripts and hooks run as `keepalived_script` when that user exists, else as
/// root. The user exists only inside a private mount namespace (copies of
/// /etc/passwd and /etc/group bind-mounted over the real ones), so other suites
/// running in parallel never see it and nothing is left behind on the host.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct DefaultScriptUserLabTests {
    static let uid = 64_990

    /// A root-owned 0755 folder under /run with the user database copies, the
    /// scripts, and a 0777 folder the scripts write `id -u` into.
    struct Host {
        let root: String
        let output: String

        init(tag: String, withDefaultUser: Bool) throws {
            root = "/run/halo-lab-default-user-\(getpid())-\(tag)"
            output = "\(root)/out"
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            chmod(root, 0o755)
            chmod(output, 0o777)
            for (file, line) in [("passwd", "keepalived_script:x:\(uid):\(uid)::/nonexistent:/usr/sbin/nologin"),
                                 ("group", "keepalived_script:x:\(uid):")] {
                let real = try String(contentsOfFile: "/etc/\(file)", encoding: .utf8)
                var lines = real.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("keepalived_script:") }
                if withDefaultUser { lines.append(line) }
                try (lines.joined(separator: "\n") + "\n").write(toFile: "\(root)/\(file)", atomically: false, encoding: .utf8)
            }
        }

        /// argv that runs `command` with this host's user database.
        func withUsers(_ command: [String]) -> [String] {
            let quoted = command.map { "'\($0)'" }.joined(separator: " ")
            return ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                    "mount --bind \(root)/passwd /etc/passwd && mount --bind \(root)/group /etc/group && exec \(quoted)"]
        }

        func script(_ name: String, _ body: String) throws -> String {
            let path = "\(root)/\(name)"
            try body.write(toFile: path, atomically: false, encoding: .utf8)
            chmod(path, 0o755)
            return path
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    private func config(_ host: Host) throws -> String {
        let check = try host.script("check.sh", "#!/bin/sh\nid -u > \(host.output)/check\n")
        let hook = try host.script("master.sh", "#!/bin/sh\nid -u > \(host.output)/hook\n")
        return LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"],
            instanceLines: ["track_script {", "    chk", "}", "notify_master \(hook)"])
            .replacingOccurrences(of: "vrrp_instance VI_1 {", with: "vrrp_script chk {\n    script \(check)\n    interval 0.2\n}\nvrrp_instance VI_1 {")
    }

    private func configTest(_ host: Host) throws -> (report: String, status: Int32) {
        let path = "\(host.root)/halo.conf"
        try config(host).write(toFile: path, atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = host.withUsers([Halod.binaryPath, "--config-test", "--use-file", path])
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (report, process.terminationStatus)
    }

    @Test func configTestNamesWhoScriptsRunAs() throws {
        let withUser = try Host(tag: "with", withDefaultUser: true)
        defer { withUser.remove() }
        let found = try configTest(withUser)
        #expect(found.report.contains("Scripts and hooks run as: keepalived_script (no script_user; keepalived's default user exists on this host)\n"), "\(found.report)")
        let withoutUser = try Host(tag: "without", withDefaultUser: false)
        defer { withoutUser.remove() }
        let missing = try configTest(withoutUser)
        #expect(missing.report.contains("Scripts and hooks run as: root (no script_user, and no keepalived_script user on this host)\n"), "\(missing.report)")
        // Either way scripts run without enable_script_security: keepalived -t's exit 5.
        #expect(found.status == 5 && missing.status == 5, "\(found.report)\n\(missing.report)")
    }

    @Test func checksAndHooksRunAsKeepalivedScriptWhenItExists() throws {
        let host = try Host(tag: "daemon", withDefaultUser: true)
        defer { host.remove() }
        try config(host).write(toFile: "\(host.root)/halo.conf", atomically: false, encoding: .utf8)
        let pair = try PairLab()
        defer { pair.tearDown() }
        let n1 = try LabProcess(
            "halod-n1", in: pair.lab.host("n1"),
            arguments: host.withUsers([Halod.binaryPath, "--dont-fork", "--log-console", "--use-file", "\(host.root)/halo.conf"]),
            logDirectory: pair.lab.makeWorkDirectory())
        pair.adopt(n1)
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline && !(FileManager.default.fileExists(atPath: "\(host.output)/hook")) { usleep(20_000) }
        let check = try? String(contentsOfFile: "\(host.output)/check", encoding: .utf8)
        let hook = try? String(contentsOfFile: "\(host.output)/hook", encoding: .utf8)
        #expect(check == "\(Self.uid)\n", "\(n1.log)")
        #expect(hook == "\(Self.uid)\n", "\(n1.log)")
    }
}
