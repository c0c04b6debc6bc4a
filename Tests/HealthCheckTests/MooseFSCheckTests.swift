import Foundation
import Glibc
import HaloLab
import Testing

/// check_mfsmaster against a real MooseFS master (mfsmaster from
/// moosefs-master) with its own config and data directory in a lab namespace,
/// including --restart-once bringing a SIGKILLed master back with `mfsmaster -a`.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct MooseFSCheckTests {
    @Test func aliveListeningKilledAndRestartedOnce() throws {
        let lab = try ServiceLab()
        defer { lab.tearDown() }
        let (config, data) = try MooseFSMasterFiles.write(in: lab.work, configName: "mfsmaster.cfg", dataDirectory: "\(lab.work)/mfs")
        let master = try lab.start("mfsmaster", ["mfsmaster", "-f", "-c", config])
        let base = ["--config", config]
        try #require(try becomesHealthy("check_mfsmaster", base, in: lab.server, seconds: 20), "\(lab.logs())")

        let healthy = try check("check_mfsmaster", base + ["--host", "127.0.0.1", "--port", "9421", "--timeout", "2"], in: lab.server)
        #expect(healthy.status == 0 && healthy.stdout.isEmpty && healthy.stderr.isEmpty, "\(healthy)")
        #expect(try check("check_mfsmaster", ["--data-path", data], in: lab.server).healthy)
        let otherPort = try check("check_mfsmaster", base + ["--port", "9999"], in: lab.server)
        #expect(otherPort.status == 1 && otherPort.isOneLine && otherPort.reason.contains("127.0.0.1:9999 refuses"), "\(otherPort)")

        // A crash: SIGKILL leaves a stale lock and no metadata.mfs, so a plain start would fail.
        master.kill()
        #expect(processIsGone(master.pid))
        let dead = try check("check_mfsmaster", base, in: lab.server)
        #expect(dead.status == 1 && dead.isOneLine && dead.reason.contains("mfsmaster is not running"), "\(dead)")
        #expect(!FileManager.default.fileExists(atPath: "\(data)/metadata.mfs"), "crashed master left metadata.mfs")

        // --restart-once with a command that cannot help: still unhealthy, and says so.
        let futile = try check("check_mfsmaster", base + ["--restart-once", "--restart-cmd", "mfsmaster -c \(config) start",
                                                          "--restart-wait", "2"], in: lab.server)
        #expect(futile.status == 1 && futile.isOneLine && futile.reason.contains("restart \"mfsmaster -c \(config) start\" exited"),
                "\(futile)")

        // The default restart command, mfsmaster -c CONFIG -a, rebuilds the metadata and starts the master.
        let restarted = try check("check_mfsmaster", base + ["--restart-once", "--restart-wait", "20"], in: lab.server)
        #expect(restarted.status == 0 && restarted.isOneLine && restarted.reason.contains("restarted with \"mfsmaster -c"),
                "\(restarted)")
        #expect(restarted.stdout.isEmpty)
        let after = try check("check_mfsmaster", base, in: lab.server)
        #expect(after.status == 0 && after.stderr.isEmpty, "\(after)")
        let lock = (try? String(contentsOfFile: "\(data)/.mfsmaster.lock", encoding: .utf8)) ?? ""
        let newPid = Int32(lock.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(newPid > 0 && newPid != master.pid && !processIsGone(newPid), "lock: \(lock)")
        // The restarted master is a daemon of the lab namespace (teardown would kill it too): crash it again.
        if newPid > 0 { kill(newPid, SIGKILL) }
        #expect(try eventually(seconds: 10) { !(try check("check_mfsmaster", base, in: lab.server).healthy) })
        let stopped = try check("check_mfsmaster", base, in: lab.server)
        #expect(stopped.status == 1 && stopped.isOneLine, "\(stopped)")
    }
}
