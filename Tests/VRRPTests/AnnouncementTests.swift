import HaloNet
import Testing
@testable import VRRP

@Suite struct GratuitousARPTests {
    let mac = MACAddress("02:6b:61:6c:00:02")!
    let vip = IPv4Address(192, 0, 2, 100)

    @Test func frameLayout() {
        let frame = GratuitousARP(senderMAC: mac, address: vip).frame()
        #expect(frame.count == GratuitousARP.frameLength)
        #expect(Array(frame[0..<6]) == MACAddress.broadcast.bytes)
        #expect(Array(frame[6..<12]) == mac.bytes)
        #expect(Array(frame[12..<14]) == [0x08, 0x06])
        #expect(Array(frame[14..<22]) == [0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01])
        #expect(Array(frame[22..<28]) == mac.bytes)  // sender hardware address
        #expect(Array(frame[28..<32]) == vip.bytes)  // sender IP = VIP
        #expect(Array(frame[32..<38]) == MACAddress.broadcast.bytes)  // target MAC all ones, as keepalived
        #expect(Array(frame[38..<42]) == vip.bytes)  // target IP = VIP
    }

    @Test func matchesTheSecondNodesCapturedFrame() throws {
        let captured = try PcapFile.vector("vrrp-v3-adv1").records.first {
            $0.frame[12...13] == [0x08, 0x06] && $0.frame[11] == 0x02
        }
        #expect(GratuitousARP(senderMAC: mac, address: vip).frame() == captured?.frame)
    }

    @Test func parseAcceptsPaddingAndRejectsOtherShapes() {
        let frame = GratuitousARP(senderMAC: mac, address: vip).frame()
        #expect(GratuitousARP.parse(frame: frame + [UInt8](repeating: 0, count: 18)) == GratuitousARP(senderMAC: mac, address: vip))
        var reply = frame
        reply[21] = 2
        var otherTarget = frame
        otherTarget[41] ^= 1
        var unicast = frame
        unicast[0] = 0x02
        var otherSender = frame
        otherSender[27] ^= 1
        for bad in [reply, otherTarget, unicast, otherSender, Array(frame.dropLast())] {
            #expect(GratuitousARP.parse(frame: bad) == nil)
        }
    }
}

@Suite struct NeighborAdvertisementTests {
    let mac = MACAddress("02:6b:61:6c:00:02")!
    let vip = IPv6Address("2001:db8::100")!

    @Test func matchesTheSecondNodesCapturedFrame() throws {
        let captured = try PcapFile.vector("vrrp-v3-ipv6").records.first {
            $0.frame[20] == 58 && $0.frame[11] == 0x02
        }
        #expect(UnsolicitedNeighborAdvertisement(senderMAC: mac, address: vip).frame() == captured?.frame)
    }

    @Test func routerFlag() throws {
        let frame = UnsolicitedNeighborAdvertisement(senderMAC: mac, address: vip, isRouter: true).frame()
        #expect(frame[58] == 0xA0)
        let parsed = try #require(UnsolicitedNeighborAdvertisement.parse(frame: frame))
        #expect(parsed.isRouter)
    }

    @Test func layoutAndChecksum() {
        let frame = UnsolicitedNeighborAdvertisement(senderMAC: mac, address: vip).frame()
        #expect(frame.count == UnsolicitedNeighborAdvertisement.frameLength)
        #expect(Array(frame[0..<6]) == [0x33, 0x33, 0, 0, 0, 1])
        #expect(frame[21] == 255)  // hop limit, required by RFC 4861 §7.1.2
        #expect(Array(frame[22..<38]) == vip.bytes)
        #expect(Array(frame[38..<54]) == UnsolicitedNeighborAdvertisement.allNodes.bytes)
        #expect(Array(frame[78..<80]) == [2, 1])
        // The checksum verifies over the pseudo-header and message.
        var sum = InternetChecksum()
        VRRPChecksum.addIPv6PseudoHeader(to: &sum, source: vip, destination: UnsolicitedNeighborAdvertisement.allNodes,
                                         nextHeader: 58, length: 32)
        sum.add(frame[54...])
        #expect(sum.value == 0)
    }

    @Test func parseRejectsOtherShapes() {
        let frame = UnsolicitedNeighborAdvertisement(senderMAC: mac, address: vip).frame()
        var badChecksum = frame
        badChecksum[57] ^= 1
        var solicited = frame
        solicited[58] |= 0x40
        var hopLimit = frame
        hopLimit[21] = 64
        var otherTarget = frame
        otherTarget[77] ^= 1
        for bad in [badChecksum, solicited, hopLimit, otherTarget, Array(frame.dropLast())] {
            #expect(UnsolicitedNeighborAdvertisement.parse(frame: bad) == nil)
        }
    }
}

@Suite struct MACAddressTests {
    @Test func textRoundTrips() {
        #expect(MACAddress("02:6b:61:6c:00:01")?.description == "02:6b:61:6c:00:01")
        #expect(MACAddress("02:6B:61:6C:00:01") == MACAddress(0x026B_616C_0001))
        for bad in ["", "02:6b:61:6c:00", "02:6b:61:6c:00:01:02", "2:6b:61:6c:00:01", "02-6b-61-6c-00-01", "0g:6b:61:6c:00:01"] {
            #expect(MACAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func multicastMappings() {
        #expect(MACAddress.multicast(VRRPWire.ipv4Group).description == "01:00:5e:00:00:12")
        #expect(MACAddress.multicast(IPv4Address(239, 129, 2, 3)).description == "01:00:5e:01:02:03")
        #expect(MACAddress.multicast(VRRPWire.ipv6Group).description == "33:33:00:00:00:12")
        #expect(MACAddress.virtualRouter(51, family: .ipv4).description == "00:00:5e:00:01:33")
        #expect(MACAddress.virtualRouter(51, family: .ipv6).description == "00:00:5e:00:02:33")
    }
}
