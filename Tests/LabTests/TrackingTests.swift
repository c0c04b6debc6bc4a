import Foundation
import Glibc
import HaloLab
import Testing

/// Link tracking and address tracking on a real kernel: `track_interface`
/// weights move the election, weight 0 faults, and a VIP deleted behind
/// halod's back is put back.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct TrackingTests {
    /// n1 gets a second link, `up0` (a veth whose peer `up1` we can take down), to track.
    private func addUplink(to pair: PairLab, host: String) throws {
        let namespace = pair.lab.host(host)
        try namespace.run("ip", "link", "add", "up0", "type", "veth", "peer", "name", "up1")
        try namespace.run("ip", "link", "set", "up0", "up")
        try namespace.run("ip", "link", "set", "up1", "up")
    }

    @Test func trackedInterfaceWeightLowersPriorityAndTheBackupPreempts() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        try addUplink(to: pair, host: "n1")
        // 150 - 60 = 90 < 100: losing the uplink hands the VIP to n2, getting it back returns it.
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"],
            instanceLines: ["track_interface {", "    up0 weight -60", "}"]))
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        let n2 = try pair.halod("n2", LabConfig.instance(
            state: "BACKUP", priority: 100, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"]))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))
        usleep(500_000)

        try pair.lab.host("n1").run("ip", "link", "set", "up1", "down")
        #expect(n1.awaitLog("link up0 is down", seconds: 2), "\(n1.log)")
        #expect(pair.awaitSoleHolder("n2", seconds: 3), "\(pair.logs(n1, n2))")
        #expect(!n1.log.contains("FAULT"), "a weighted track must not fault")
        #expect(n1.log.contains("yielded to 192.0.2.12 (priority 100)"), "\(n1.log)")

        try pair.lab.host("n1").run("ip", "link", "set", "up1", "up")
        #expect(pair.awaitSoleHolder("n1", seconds: 3), "\(pair.logs(n1, n2))")
    }

    @Test func trackedInterfaceWithoutWeightFaultsTheInstance() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        try addUplink(to: pair, host: "n1")
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"],
            instanceLines: ["track_interface {", "    up0", "}"]))
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        let n2 = try pair.halod("n2", LabConfig.instance(
            state: "BACKUP", priority: 100, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"]))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))

        try pair.lab.host("n1").run("ip", "link", "set", "up1", "down")
        #expect(n1.awaitLog("Entering FAULT STATE (fault raised)", seconds: 2), "\(n1.log)")
        // Fault sends priority 0, so n2 takes over after Skew_Time, not the full down interval.
        #expect(pair.awaitSoleHolder("n2", seconds: 2), "\(pair.logs(n1, n2))")
        try pair.lab.host("n1").run("ip", "link", "set", "up1", "up")
        #expect(n1.awaitLog("Entering BACKUP STATE (fault cleared)", seconds: 2), "\(n1.log)")
        #expect(pair.awaitSoleHolder("n1", seconds: 3), "\(pair.logs(n1, n2))")
    }

    @Test func virtualAddressDeletedBehindHalodsBackIsRestored() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "1", vips: ["\(PairLab.vip4)/24"]))
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        try pair.lab.host("n1").run("ip", "addr", "del", "\(PairLab.vip4)/24", "dev", "eth0")
        #expect(n1.awaitLog("192.0.2.100/24 was removed behind Halo's back; restoring it", seconds: 2), "\(n1.log)")
        #expect(pair.awaitSoleHolder("n1", seconds: 1))
        #expect(pair.clientReaches(PairLab.vip4))
    }

    @Test func addressesLeftByACrashedRunAreRemovedBeforeJoining() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "1", vips: ["\(PairLab.vip4)/24"]))
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        // As if an earlier halod on n2 had died holding the VIP with nothing to clean up.
        try pair.lab.host("n2").run("ip", "addr", "add", "\(PairLab.vip4)/24", "dev", "eth0")
        let n2 = try pair.halod("n2", LabConfig.instance(
            state: "BACKUP", priority: 100, advertInterval: "1", vips: ["\(PairLab.vip4)/24"]))
        #expect(n2.awaitLog("removed 1 virtual address(es) left by an earlier run", seconds: 3), "\(n2.log)")
        #expect(pair.awaitSoleHolder("n1", seconds: 1), "\(pair.logs(n1, n2))")
        #expect(n2.log.contains("Entering BACKUP STATE (startup)"))
    }
}
