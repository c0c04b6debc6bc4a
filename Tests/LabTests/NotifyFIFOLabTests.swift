import Foundation
import Glibc
import HaloLab
import Testing

/// `notify_fifo PATH [USER [GROUP]]` and `notify_fifo_script` on a real node:
/// the FIFO's owner, and a reader that exits is started again with a backoff.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct NotifyFIFOLabTests {
    private func config(priority: Int = 150, globalLines: [String]) -> String {
        LabConfig.instance(state: "MASTER", priority: priority, advertInterval: "0.1", version: 3,
                           vips: ["\(PairLab.vip4)/24"], globalLines: globalLines)
    }

    private func status(of path: String) -> stat? {
        var result = stat()
        return lstat(path, &result) == 0 ? result : nil
    }

    @Test func aFIFOHaloCreatesBelongsToTheNamedUserAndGroup() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let created = try pair.workPath("owned.fifo")
        let existing = try pair.workPath("existing.fifo")
        #expect(mkfifo(existing, 0o600) == 0)
        let n1 = try pair.halod("n1", config(globalLines: ["notify_fifo \(created) nobody daemon"]))
        // A lower priority, so n1 is master whichever node starts first (equal priorities
        // would let the higher address, n2, win).
        let n2 = try pair.halod("n2", config(priority: 100, globalLines: ["notify_fifo \(existing) nobody"]))
        #expect(n1.awaitLog("Entering MASTER STATE", seconds: 4), "\(n1.log)")
        #expect(n2.awaitLog("Entering", seconds: 4), "\(n2.log)")
        let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
        let daemonGroup = try #require(getgrnam("daemon")).pointee.gr_gid
        let owned = try #require(status(of: created), "\(n1.log)")
        #expect(owned.st_mode & S_IFMT == S_IFIFO)
        #expect(owned.st_uid == nobody && owned.st_gid == daemonGroup, "\(n1.log)")
        #expect(owned.st_mode & 0o777 == 0o640)
        // As in keepalived, a FIFO that was already there keeps its owner.
        let kept = try #require(status(of: existing))
        #expect(kept.st_uid == 0 && kept.st_gid == 0, "\(n2.log)")
        #expect(!n1.log.contains("notify_fifo \(created):"), "\(n1.log)")
    }

    @Test func aFIFOScriptThatExitsIsRestartedWithABackoff() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let fifo = try pair.workPath("notify.fifo")
        let starts = try pair.workPath("starts.log")
        let reader = try pair.script("reader.sh", "#!/bin/sh\ndate +%s.%N >> \(starts)\nexit 3\n")
        let n1 = try pair.halod("n1", config(globalLines: ["notify_fifo \(fifo)", "notify_fifo_script \(reader)"]))
        // Starts at 0, +1 s, +2 s more (3 s), +4 s more (7 s).
        usleep(4_500_000)
        let times = lines(ofFile: starts).compactMap(Double.init)
        #expect(times.count == 3, "\(times)\n\(n1.log)")
        if times.count >= 3 {
            #expect(times[1] - times[0] >= 0.9 && times[1] - times[0] < 1.8, "\(times)")
            #expect(times[2] - times[1] >= 1.9 && times[2] - times[1] < 2.8, "\(times)")
        }
        #expect(n1.log.contains("notify_fifo_script \(reader) ended: exit 3; restarting it in 1000 ms"), "\(n1.log)")
        #expect(n1.log.contains("notify_fifo_script \(reader) ended: exit 3; restarting it in 2000 ms"), "\(n1.log)")
        // Stopping the daemon starts no further reader.
        n1.signal(SIGTERM)
        #expect(n1.waitForExit(seconds: 10) != nil, "\(n1.log)")
        let atExit = lines(ofFile: starts).count
        usleep(1_500_000)
        #expect(lines(ofFile: starts).count == atExit)
    }
}
