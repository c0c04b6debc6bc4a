import Foundation
import Glibc
import HaloLab
import HaloLinux
import HaloNet
import Testing
import VRRP

/// What the client's side of the switch sees when halod becomes master:
/// gratuitous ARPs (IPv4) and unsolicited neighbour advertisements (IPv6)
/// in keepalived's bursts: `vrrp_garp_master_repeat` at once, the same again
/// after `vrrp_garp_master_delay`, and `vrrp_garp_master_refresh` periodically.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct AnnouncementTests {
    @Test func gratuitousARPBurstsFollowRepeatDelayAndRefresh() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let capture = try FrameCapture(in: pair.client, etherType: 0x0806)
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "1", vips: ["\(PairLab.vip4)/24"], garpMasterDelay: 2,
            globalLines: ["vrrp_garp_master_repeat 3", "vrrp_garp_master_refresh 3", "vrrp_garp_master_refresh_repeat 2"]))
        #expect(n1.awaitLog("Entering MASTER STATE", seconds: 3), "\(n1.log)")
        let becameMaster = MonotonicClock.nanoseconds()
        usleep(3_600_000)
        let mac = MACAddress("02:00:5e:00:00:11")!
        let announcements = capture.stop().filter {
            GratuitousARP.parse(frame: $0.bytes) == GratuitousARP(senderMAC: mac, address: IPv4Address(PairLab.vip4)!)
        }
        let offsets = announcements.map { Double($0.at - becameMaster) / 1e9 }
        // 3 at once, 3 in Halo's follow-up at 1.1 s, 3 after the 2 s delay, and the 3 s refresh adds 2.
        let immediate = offsets.filter { $0 < 0.5 }.count
        let followUp = offsets.filter { $0 >= 1.0 && $0 < 1.5 }.count
        let delayed = offsets.filter { $0 >= 1.8 && $0 < 2.5 }.count
        let refreshed = offsets.filter { $0 >= 2.8 && $0 < 3.5 }.count
        #expect(immediate == 3 && followUp == 3 && delayed == 3 && refreshed == 2, "GARPs at \(offsets)")
        #expect(announcements.count == 11, "GARPs at \(offsets)")
    }

    @Test func ipv6MasterSendsUnsolicitedNeighbourAdvertisements() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let capture = try FrameCapture(in: pair.client, etherType: 0x86DD)
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip6)/64"]))
        #expect(pair.awaitSoleHolder("n1", of: PairLab.vip6, seconds: 3), "\(n1.log)")
        usleep(300_000)
        let expected = UnsolicitedNeighborAdvertisement(senderMAC: MACAddress("02:00:5e:00:00:11")!, address: IPv6Address(PairLab.vip6)!)
        let advertisements = capture.stop().filter { UnsolicitedNeighborAdvertisement.parse(frame: $0.bytes) == expected }
        #expect(advertisements.count == 5, "expected keepalived's burst of 5, saw \(advertisements.count)")
        #expect(pair.clientReaches(PairLab.vip6))
    }
}
