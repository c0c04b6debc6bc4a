import Foundation
import Glibc
import HaloLab
import Testing

/// `haloctl failover` and `standby`: planned moves of the VIP, make-before-break.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ControlFailoverLabTests {
    @Test func failoverMovesTheVIPWithoutAClientGapAndTheNodeRejoinsWhenTheNewMasterLeaves() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try ControlStatusLabTests.startPair(pair)
        let probe = try PingProbe(from: pair.client, target: PairLab.vip4)
        usleep(500_000)
        let start = PingProbe.now()
        let result = try pair.haloctl("n1", "failover", "VI_1")
        #expect(result.status == 0, "\(result.error)\n\(pair.logs(n1, n2))")
        #expect(pair.awaitSoleHolder("n2", seconds: 2), "\(pair.logs(n1, n2))")
        // n1 has the higher priority and preempts: it must still not take the VIP back while n2 lives.
        usleep(1_500_000)
        let end = PingProbe.now()
        let gap = probe.stop().longestSilence(after: start, until: end)
        print("haloctl failover: \(result.output.trimmingCharacters(in: .newlines)); longest client gap \(gap / 1_000_000) ms")
        #expect(result.output.contains("VI_1: new master 192.0.2.12 after "), "\(result.output)")
        #expect(result.output.contains("(successor 192.0.2.12 heard); this node is BACKUP"), "\(result.output)")
        #expect(pair.holders(of: PairLab.vip4) == ["n2"], "the VIP bounced back:\n\(pair.logs(n1, n2))")
        // The probe runs every 10 ms; a gap near the master-down interval would mean break-before-make.
        #expect(gap < 150_000_000, "client went \(gap / 1_000_000) ms without a reply")
        let status = try pair.haloctl("n1", "status")
        #expect(status.output.contains("BACKUP (withdrawn)"), "\(status.output)")

        // When the new master leaves, the node that failed over takes part again and takes over.
        n2.signal(SIGTERM)
        #expect(pair.awaitSoleHolder("n1", seconds: 3), "\(pair.logs(n1, n2))")
        #expect(n1.log.contains("after failover: the new master is leaving; rejoining the election"), "\(n1.log)")
    }

    @Test func failoverOfANodeThatIsNotMasterIsRefused() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try ControlStatusLabTests.startPair(pair)
        let backup = try pair.haloctl("n2", "failover")
        #expect(backup.status == 1, "\(backup)")
        #expect(backup.error.contains("master of no instance"), "\(backup.error)")
        let unknown = try pair.haloctl("n1", "failover", "VI_9")
        #expect(unknown.status == 1 && unknown.error.contains("no instance or sync group named VI_9"), "\(unknown.error)")
        #expect(pair.holders(of: PairLab.vip4) == ["n1"], "\(pair.logs(n1, n2))")
    }

    @Test func standbySurvivesARestartUntilUnstandby() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try ControlStatusLabTests.startPair(pair)
        let standby = try pair.haloctl("n1", "standby")
        #expect(standby.status == 0, "\(standby.error)")
        #expect(pair.awaitSoleHolder("n2", seconds: 2), "\(pair.logs(n1, n2))")
        #expect(FileManager.default.fileExists(atPath: try pair.controlPaths("n1").state + "/standby"))

        n1.signal(SIGTERM)
        #expect(n1.waitForExit(seconds: 5) == 0, "\(n1.log)")
        let config = LabConfig.instance(state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"])
        let again = try pair.controlledHalod("n1", config, name: "halod-n1-again")
        #expect(again.awaitLog("standby:", seconds: 5), "\(again.log)")
        // state MASTER, priority 150, preempt: anything but standby would take the VIP within 0.4 s.
        usleep(1_500_000)
        #expect(pair.holders(of: PairLab.vip4) == ["n2"], "\(pair.logs(again, n2))")
        #expect(!again.log.contains("Entering MASTER STATE"), "\(again.log)")
        let status = try pair.haloctl("n1", "status")
        #expect(status.output.contains("STANDBY"), "\(status.output)")

        let unstandby = try pair.haloctl("n1", "unstandby")
        #expect(unstandby.status == 0, "\(unstandby.error)")
        #expect(pair.awaitSoleHolder("n1", seconds: 3), "after unstandby the higher priority preempts:\n\(pair.logs(again, n2))")
        #expect(!FileManager.default.fileExists(atPath: try pair.controlPaths("n1").state + "/standby"))
    }
}
