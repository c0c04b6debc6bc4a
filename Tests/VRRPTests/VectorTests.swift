import Foundation
import HaloNet
import Testing
@testable import VRRP

/// Every frame keepalived 2.2.7 sent in the lab captures decodes, and encodes back
/// to the identical bytes: IPv4 header included for IPv4 adverts, the VRRP
/// payload with its pseudo-header checksum for IPv6, whole frames for the
/// gratuitous ARP and the neighbour advertisement.
@Suite struct VectorRoundTripTests {
    enum FrameKind: Hashable { case ipv4Advert, ipv6Advert, gratuitousARP, neighborAdvertisement }

    /// Decodes, re-encodes and compares one frame; returns what it was.
    static func roundTrip(_ frame: [UInt8]) throws -> FrameKind {
        let (ethernet, packet) = try EthernetHeader.decode(frame[...])
        #expect(ethernet.encoded() == Array(frame.prefix(EthernetHeader.length)))
        switch ethernet.etherType {
        case EthernetHeader.ipv4Type:
            let decoded = try IPv4AdvertisementPacket.decode(packet, checksum: .pseudoHeader)
            #expect(ethernet.destination == .multicast(decoded.header.destination))
            #expect(try decoded.encoded(checksum: .pseudoHeader) == Array(packet))
            return .ipv4Advert
        case EthernetHeader.arpType:
            let arp = try #require(GratuitousARP.parse(frame: frame))
            #expect(arp.frame() == frame)
            return .gratuitousARP
        case EthernetHeader.ipv6Type:
            let (ip, payload) = try IPv6Header.decode(packet)
            #expect(ip.encoded() == Array(packet.prefix(IPv6Header.length)))
            if ip.nextHeader == VRRPWire.ipProtocol {
                let advert = try Advertisement.decode(payload: payload, source: .v6(ip.source),
                                                      destination: .v6(ip.destination))
                #expect(try advert.encodePayload(source: .v6(ip.source), destination: .v6(ip.destination))
                        == Array(payload))
                #expect(ethernet.destination == .multicast(ip.destination))
                return .ipv6Advert
            }
            let advertisement = try #require(UnsolicitedNeighborAdvertisement.parse(frame: frame))
            #expect(advertisement.frame() == frame)
            return .neighborAdvertisement
        default:
            Issue.record("unexpected EtherType \(ethernet.etherType) in a capture")
            throw DropReason.wrongProtocol
        }
    }

    @Test(arguments: PcapFile.vectorNames)
    func everyFrameRoundTrips(capture: String) throws {
        let records = try PcapFile.vector(capture).records
        #expect(records.count >= 10)
        var kinds: [FrameKind: Int] = [:]
        for record in records {
            kinds[try Self.roundTrip(record.frame), default: 0] += 1
        }
        // Each capture holds adverts from both nodes and one burst of five
        // announcements per takeover.
        if capture.hasSuffix("ipv6") {
            #expect(kinds[.ipv6Advert, default: 0] >= 8)
            #expect(kinds[.neighborAdvertisement] == 10)
        } else {
            #expect(kinds[.ipv4Advert, default: 0] >= 10)
            #expect(kinds[.gratuitousARP] == 10)
        }
    }

    /// keepalived-2.2.7-captures.txt: each `== FILE.pcap ...` section's tcpdump hex
    /// dump, read independently of the pcap reader.
    static func hexDumps() throws -> [(capture: String, frame: [UInt8])] {
        guard let url = Bundle.module.url(forResource: "keepalived-2.2.7-captures", withExtension: "txt",
                                          subdirectory: "Vectors") else { throw CocoaError(.fileNoSuchFile) }
        var dumps: [(capture: String, frame: [UInt8])] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("== ") {
                // "== NAME.pcap (what)" or "== NAME.pcap: what"
                let name = line.dropFirst(3).prefix { $0 != " " && $0 != ":" }
                dumps.append((String(name.dropLast(".pcap".count)), []))
            } else if line.hasPrefix("\t0x"), !dumps.isEmpty {
                let fields = line.components(separatedBy: "  ")
                dumps[dumps.count - 1].frame += [UInt8](hex: fields[1])
            }
        }
        return dumps
    }

    @Test func everyHexDumpIsInItsPcapAndRoundTrips() throws {
        let dumps = try Self.hexDumps()
        #expect(dumps.count == 8)
        for dump in dumps {
            #expect(!dump.frame.isEmpty)
            let frames = try PcapFile.vector(dump.capture).records.map(\.frame)
            #expect(frames.contains(dump.frame), "\(dump.capture)")
            _ = try Self.roundTrip(dump.frame)
        }
    }

    @Test func pcapReaderMatchesTheHexDumps() throws {
        // The first frame of vrrp-v2-auth-pass.pcap as keepalived-2.2.7-captures.txt prints it.
        let dumped = [UInt8](hex: """
            0100 5e00 0012 026b 616c 0001 0800 45c0 0028 0001 0000 ff70 1887 c000 020b e000
            0012 2133 6401 0101 0b20 c000 0264 6b61 6c70 6173 7300
            """)
        #expect(try PcapFile.vector("vrrp-v2-auth-pass").records[0].frame == dumped)
    }
}

/// Field values checked by hand against tcpdump's reading of the same frames.
@Suite struct VectorFieldTests {
    static let node1 = IPv4Address(192, 0, 2, 11)
    static let vip4 = IPAddress("192.0.2.100")!
    static let vip6 = IPAddress("2001:db8::100")!

    func ipv4Adverts(_ capture: String) throws -> [IPv4AdvertisementPacket] {
        try PcapFile.vector(capture).records.compactMap { record in
            let (ethernet, packet) = try EthernetHeader.decode(record.frame[...])
            guard ethernet.etherType == EthernetHeader.ipv4Type else { return nil }
            return try IPv4AdvertisementPacket.decode(packet)
        }
    }

    @Test func v2WithPassword() throws {
        let adverts = try ipv4Adverts("vrrp-v2-auth-pass")
        let first = try #require(adverts.first)
        #expect(first.advertisement == Advertisement(
            version: .v2, virtualRouterID: 51, priority: 100, intervalCentiseconds: 100,
            addresses: [Self.vip4], authentication: .password("kalpass")))
        #expect(first.header.source == Self.node1)
        #expect(first.header.destination == VRRPWire.ipv4Group)
        #expect(first.header.typeOfService == 0xC0)
        #expect(first.header.timeToLive == 255)
        #expect(first.header.identification == 1)
        #expect(first.header.flagsAndFragmentOffset == 0)  // keepalived sets no DF
        // The ID counts up by one per advert from each node.
        #expect(adverts.prefix(6).map(\.header.identification) == [1, 2, 3, 4, 5, 6])
    }

    @Test func priorityZeroAdvertOnShutdown() throws {
        let adverts = try ipv4Adverts("vrrp-v2-auth-pass")
        let leaving = try #require(adverts.first { $0.advertisement.priority == 0 })
        #expect(leaving.header.identification == 6)
        #expect(leaving.header.source == Self.node1)
        #expect(leaving.advertisement.authentication == .password("kalpass"))
        #expect(leaving.advertisement.addresses == [Self.vip4])
        // The backup (192.0.2.12, priority 90) then takes over.
        let successor = try #require(adverts.first { $0.advertisement.priority == 90 })
        #expect(successor.header.source == IPv4Address(192, 0, 2, 12))
        #expect(successor.header.identification == 1)
    }

    @Test func v2WithoutAuthenticationHasZeroAuthData() throws {
        let record = try PcapFile.vector("vrrp-v2-noauth").records[0]
        #expect(record.frame.suffix(8) == [0, 0, 0, 0, 0, 0, 0, 0])
        let first = try #require(try ipv4Adverts("vrrp-v2-noauth").first)
        #expect(first.advertisement.authentication == .none)
        #expect(first.advertisement.intervalCentiseconds == 100)
        #expect(first.advertisement.priority == 100)
    }

    @Test(arguments: [("vrrp-v3-adv1", UInt16(100)), ("vrrp-v3-adv0.1", UInt16(10))])
    func v3OverIPv4(capture: String, interval: UInt16) throws {
        let adverts = try ipv4Adverts(capture)
        #expect(adverts.first?.advertisement == Advertisement(
            version: .v3, virtualRouterID: 51, priority: 100, intervalCentiseconds: interval, addresses: [Self.vip4]))
        // A priority-0 advert keeps the interval field.
        #expect(adverts.contains { $0.advertisement.priority == 0 && $0.advertisement.intervalCentiseconds == interval })
    }

    @Test func v3OverIPv4UsesThePseudoHeaderChecksum() throws {
        let packet = Array(try PcapFile.vector("vrrp-v3-adv1").records[0].frame.dropFirst(EthernetHeader.length))
        #expect(throws: DropReason.badChecksum) { try IPv4AdvertisementPacket.decode(packet, checksum: .messageOnly) }
        #expect(throws: DropReason.badChecksum) {
            // Source and destination are summed: another destination breaks it.
            var moved = try IPv4AdvertisementPacket.decode(packet)
            moved.header.destination = IPv4Address(192, 0, 2, 12)
            let bytes = moved.header.encoded() + Array(packet.dropFirst(20))
            _ = try IPv4AdvertisementPacket.decode(bytes)
        }
    }

    @Test func v3OverIPv6() throws {
        let frame = try PcapFile.vector("vrrp-v3-ipv6").records[0].frame
        let (ip, payload) = try IPv6Header.decode(frame.dropFirst(EthernetHeader.length))
        #expect(ip.source == IPv6Address("fe80::6b:61ff:fe6c:1"))
        #expect(ip.destination == VRRPWire.ipv6Group)
        #expect(ip.hopLimit == 255)
        #expect(ip.trafficClass == 0xC0)
        #expect(ip.flowLabel == 0x15C27)  // chosen by the kernel, not by keepalived
        let advert = try Advertisement.decode(payload: payload, source: .v6(ip.source), destination: .v6(ip.destination))
        #expect(advert == Advertisement(
            version: .v3, virtualRouterID: 51, priority: 100, intervalCentiseconds: 100, addresses: [Self.vip6]))
        #expect(Array(payload[payload.startIndex + 6...payload.startIndex + 7]) == [0xDC, 0xB7])
    }

    @Test func gratuitousARPFields() throws {
        let frame = try PcapFile.vector("vrrp-v2-auth-pass").records[1].frame
        let arp = try #require(GratuitousARP.parse(frame: frame))
        #expect(arp.senderMAC == MACAddress("02:6b:61:6c:00:01"))
        #expect(arp.address == IPv4Address(192, 0, 2, 100))
        #expect(frame.count == 42)
        #expect(frame[20...21] == [0, 1])  // ARP request, not reply
    }

    @Test func neighborAdvertisementFields() throws {
        let frame = try PcapFile.vector("vrrp-v3-ipv6").records[1].frame
        let advertisement = try #require(UnsolicitedNeighborAdvertisement.parse(frame: frame))
        #expect(advertisement.senderMAC == MACAddress("02:6b:61:6c:00:01"))
        #expect(advertisement.address == IPv6Address("2001:db8::100"))
        #expect(!advertisement.isRouter)
        #expect(frame[54] == 136)
        #expect(frame[58] == 0x20)  // Override only
        #expect(frame[56...57] == [0x95, 0x55])
    }
}
