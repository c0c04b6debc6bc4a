import Foundation
import Glibc
import HaloLab
import Testing

/// Blackhole the master (carrier up, traffic dropped at the switch): both nodes
/// become master. On heal, the node that stays master must re-announce, so a
/// client that learned the other node's MAC during the split is brought back
/// within about one advert interval. keepalived 2.2.7 strands the client here
/// for 7.4–7.6 s when the old master's advert reaches the other side first.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct SplitBrainTests {
    @Test func clientFollowsTheSurvivingMasterRightAfterTheHeal() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        // garp_master_delay 0: no second burst that could rescue the client by luck.
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "1", vips: ["\(PairLab.vip4)/24"]))
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        let n2 = try pair.halod("n2", LabConfig.instance(
            state: "BACKUP", priority: 100, advertInterval: "1", vips: ["\(PairLab.vip4)/24"]))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))
        #expect(pair.clientReaches(PairLab.vip4))

        try pair.lab.setBlackhole(of: "n1", true)
        #expect(n2.awaitLog("Entering MASTER STATE", seconds: 6), "\(n2.log)")
        #expect(pair.holders(of: PairLab.vip4) == ["n1", "n2"], "a blackholed master keeps its VIP: both are master")
        #expect(pair.awaitClientNeighbour(PairLab.macs["n2"]!, seconds: 3), "during the split the client follows n2")
        #expect(!n1.log.contains("FAULT"), "carrier stayed up: n1 must not fault")

        // Let the client's entry settle past the kernel's ARP locktime, so only a
        // re-announcement at the heal (not a leftover burst) can move it.
        usleep(2_500_000)
        let probe = try PingProbe(from: pair.client, target: PairLab.vip4)
        let heal = PingProbe.now()
        try pair.lab.setBlackhole(of: "n1", false)
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(pair.logs(n1, n2))")
        #expect(pair.awaitClientNeighbour(PairLab.macs["n1"]!, seconds: 2), "client stranded on \(pair.clientNeighbourMAC() ?? "nothing")")
        usleep(1_000_000)
        let end = PingProbe.now()
        let replies = probe.stop()
        // Replies flow again within one advert interval (1 s) plus the probe's own period.
        let silence = replies.longestSilence(after: heal, until: end)
        #expect(silence < 1_300_000_000, "client went \(silence / 1_000_000) ms without a reply after the heal:\n\(pair.logs(n1, n2))")
        // Whichever advert crossed first, n2 speaks before yielding, so n1 hears a conflict and re-announces.
        #expect(n1.log.contains("staying master and re-announcing"), "\(pair.logs(n1, n2))")
        #expect(n2.log.contains("yielded to 192.0.2.11"), "\(n2.log)")
    }
}
