import Foundation
import Glibc
import HaloLab
import Testing

/// The lab itself, proven with keepalived before halod runs in it: a master
/// holds the VIP, a client reaches it, and cutting the master's switch port
/// moves the VIP. If this fails, the lab is wrong, not Halo.
@Suite(.enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct LabBaselineTests {
    @Test func keepalivedPairFailsOverWhenTheMasterLosesItsLink() throws {
        try #require(Keepalived.isInstalled, "keepalived must be installed (scripts/setup)")
        let lab = try Lab()
        defer { lab.tearDown() }
        try lab.addHost("n1", addresses: ["192.0.2.11/24"])
        try lab.addHost("n2", addresses: ["192.0.2.12/24"])
        let client = try lab.addHost("c", addresses: ["192.0.2.50/24"])
        let vip = "192.0.2.100"
        let master = try Keepalived.start("k1", in: lab, host: "n1", config: LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(vip)/24"]))
        defer { master.kill() }
        let backup = try Keepalived.start("k2", in: lab, host: "n2", config: LabConfig.instance(
            state: "BACKUP", priority: 100, advertInterval: "0.1", version: 3, vips: ["\(vip)/24"]))
        defer { backup.kill() }

        #expect(lab.awaitAddress(vip, on: "n1", seconds: 5), "master never took the VIP:\n\(master.log)")
        #expect(!lab.holds("n2", address: vip))

        let probe = try PingProbe(from: client, target: vip)
        usleep(300_000)
        #expect(!probe.snapshot.isEmpty, "client cannot reach the VIP")
        let cut = PingProbe.now()
        try lab.setLink(of: "n1", up: false)
        #expect(lab.awaitAddress(vip, on: "n2", seconds: 3), "backup never took over:\n\(backup.log)")
        usleep(300_000)
        let end = PingProbe.now()
        let replies = probe.stop()
        let gap = replies.longestSilence(after: cut, until: end)
        // 3 × 100 ms + skew (≈ 61 ms at priority 100) plus the probe period; generous upper bound for a loaded CI box.
        #expect(gap > 250_000_000 && gap < 1_500_000_000, "gap \(gap / 1_000_000) ms")
    }
}
