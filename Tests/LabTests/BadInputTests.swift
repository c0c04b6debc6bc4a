import Foundation
import Glibc
import HaloLab
import HaloLinux
import HaloNet
import Testing
import VRRP

/// Adverts that must be dropped (TTL 254, bad checksum, wrong password,
/// unknown VRID) are counted under their reason and do not move the VIP, even
/// at priority 254; the same advert without the defect does move it, which
/// shows the injected packets really reach the nodes.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct BadInputTests {
    private static let attacker = IPv4Address("192.0.2.66")!

    private func advert(vrid: UInt8 = 51, password: String = "s3cret") -> Advertisement {
        Advertisement(version: .v2, virtualRouterID: vrid, priority: 254, intervalCentiseconds: 100,
                      addresses: [IPAddress(PairLab.vip4)!], authentication: .password(password))
    }

    private func packet(_ advert: Advertisement, ttl: UInt8 = 255, source: IPv4Address = attacker,
                        destination: IPv4Address = VRRPWire.ipv4Group) throws -> [UInt8] {
        try IPv4AdvertisementPacket(advertisement: advert, source: source, destination: destination,
                                    identification: 7, timeToLive: ttl).encoded()
    }

    @Test func malformedAdvertsAreCountedAndDoNotMoveTheVIP() throws {
        let pair = try PairLab(extraHosts: ["x": "192.0.2.66/24"])
        defer { pair.tearDown() }
        let config = { (state: String, priority: Int) in
            LabConfig.instance(state: state, priority: priority, advertInterval: "1", vips: ["\(PairLab.vip4)/24"], password: "s3cret")
        }
        let n1 = try pair.halod("n1", config("MASTER", 150))
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        let n2 = try pair.halod("n2", config("BACKUP", 100))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))

        let socket = try pair.lab.host("x").perform {
            try VRRPSocket(family: .ipv4, interface: Interface(named: "eth0"), multicastGroup: nil)
        }
        var badChecksum = try packet(advert())
        badChecksum[20 + 6] ^= 0xff
        let attacks: [(String, [UInt8])] = [
            ("ttl_not_255", try packet(advert(), ttl: 254)),
            ("bad_checksum", badChecksum),
            ("password_mismatch", try packet(advert(password: "guess"))),
            ("unknown_vrid", try packet(advert(vrid: 52))),
        ]
        // Three rounds 0.4 s apart: longer than one advert interval of steady pressure.
        for _ in 0..<3 {
            for (_, bytes) in attacks { try socket.send(bytes, to: IPAddress("224.0.0.18")!) }
            usleep(400_000)
        }
        for (reason, _) in attacks {
            #expect(n1.awaitLog("from 192.0.2.66 on eth0: \(reason) (3 so far)", seconds: 2), "n1 did not count \(reason):\n\(n1.log)")
            #expect(n2.log.contains("from 192.0.2.66 on eth0: \(reason)"), "n2 did not count \(reason):\n\(n2.log)")
        }
        #expect(pair.holders(of: PairLab.vip4) == ["n1"])
        #expect(!n1.log.contains("yielded"), "\(n1.log)")

        // Control: the same advert without a defect is obeyed (priority 254 > 150).
        try socket.send(try packet(advert()), to: IPAddress("224.0.0.18")!)
        #expect(n1.awaitLog("yielded to 192.0.2.66 (priority 254)", seconds: 2), "\(n1.log)")
    }

    @Test func unicastAdvertsFromOutsideThePeerListAreDropped() throws {
        let pair = try PairLab(extraHosts: ["x": "192.0.2.66/24"])
        defer { pair.tearDown() }
        let config = { (state: String, priority: Int, own: String, peer: String) in
            LabConfig.instance(state: state, priority: priority, advertInterval: "1", vips: ["\(PairLab.vip4)/24"],
                               password: "s3cret", unicastSource: own, unicastPeers: [peer])
        }
        let n1 = try pair.halod("n1", config("MASTER", 150, "192.0.2.11", "192.0.2.12"))
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        let n2 = try pair.halod("n2", config("BACKUP", 100, "192.0.2.12", "192.0.2.11"))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))

        let socket = try pair.lab.host("x").perform {
            try VRRPSocket(family: .ipv4, interface: Interface(named: "eth0"), multicastGroup: nil)
        }
        let n1Address = IPv4Address("192.0.2.11")!
        try socket.send(try packet(advert(), destination: n1Address), to: .v4(n1Address))
        #expect(n1.awaitLog("from 192.0.2.66 on eth0: source_not_unicast_peer (1 so far)", seconds: 2), "\(n1.log)")
        usleep(300_000)
        #expect(pair.holders(of: PairLab.vip4) == ["n1"])

        // Control: the same advert claiming the peer's address is accepted, and n1 yields to priority 254.
        try socket.send(try packet(advert(), source: IPv4Address("192.0.2.12")!, destination: n1Address), to: .v4(n1Address))
        #expect(n1.awaitLog("yielded to 192.0.2.12 (priority 254)", seconds: 2), "\(n1.log)")
    }
}
