import HaloNet

/// The unsolicited neighbour advertisement keepalived sends for each IPv6 VIP on
/// becoming master (RFC 4861 §7.2.6): from the VIP to all-nodes ff02::1, hop
/// limit 255, Override set, Solicited clear, with a Target Link-Layer Address
/// option so neighbours update their caches at once. The data plane writes
/// `frame()` to an AF_PACKET socket as is.
public struct UnsolicitedNeighborAdvertisement: Hashable, Sendable {
    public static let icmpv6NextHeader: UInt8 = 58
    public static let neighborAdvertisementType: UInt8 = 136
    public static let allNodes = IPv6Address(high: 0xFF02_0000_0000_0000, low: 1)
    /// ICMPv6 header (4) + flags and reserved (4) + target (16) + option (8).
    static let messageLength = 32
    static let routerFlag: UInt8 = 0x80
    static let solicitedFlag: UInt8 = 0x40
    static let overrideFlag: UInt8 = 0x20
    static let targetLinkLayerOption: UInt8 = 2
    public static let frameLength = EthernetHeader.length + IPv6Header.length + messageLength

    /// The interface MAC (or virtual MAC): Ethernet source and the option's address.
    public var senderMAC: MACAddress
    /// The VIP: IPv6 source and the target address.
    public var address: IPv6Address
    /// The Router flag; keepalived sets it when the interface forwards IPv6.
    public var isRouter: Bool

    public init(senderMAC: MACAddress, address: IPv6Address, isRouter: Bool = false) {
        self.senderMAC = senderMAC
        self.address = address
        self.isRouter = isRouter
    }

    public func frame() -> [UInt8] {
        var message: [UInt8] = [Self.neighborAdvertisementType, 0, 0, 0]
        message.append((isRouter ? Self.routerFlag : 0) | Self.overrideFlag)
        message.append(contentsOf: [0, 0, 0])
        message.append(contentsOf: address.bytes)
        message.append(Self.targetLinkLayerOption)
        message.append(1)  // option length in units of 8 bytes
        message.append(contentsOf: senderMAC.bytes)
        message.storeWireUInt16(Self.checksum(message[...], source: address), at: 2)

        let ip = IPv6Header(payloadLength: UInt16(message.count), nextHeader: Self.icmpv6NextHeader,
                            hopLimit: 255, source: address, destination: Self.allNodes)
        let ethernet = EthernetHeader(destination: .multicast(Self.allNodes), source: senderMAC,
                                      etherType: EthernetHeader.ipv6Type)
        return ethernet.encoded() + ip.encoded() + message
    }

    /// ICMPv6 checksum with the RFC 8200 §8.1 pseudo-header (RFC 4443 §2.3).
    static func checksum(_ message: ArraySlice<UInt8>, source: IPv6Address) -> UInt16 {
        var sum = InternetChecksum()
        VRRPChecksum.addIPv6PseudoHeader(to: &sum, source: source, destination: allNodes,
                                         nextHeader: icmpv6NextHeader, length: message.count)
        sum.add(message)
        return sum.value
    }

    /// Reads a frame back, accepting exactly the shape `frame()` builds with a
    /// correct checksum; anything else is nil.
    public static func parse(frame: ArraySlice<UInt8>) -> UnsolicitedNeighborAdvertisement? {
        guard let (ethernet, packet) = try? EthernetHeader.decode(frame),
              ethernet.etherType == EthernetHeader.ipv6Type, ethernet.destination == .multicast(allNodes),
              let (ip, message) = try? IPv6Header.decode(packet),
              ip.trafficClass == 0, ip.flowLabel == 0, ip.nextHeader == icmpv6NextHeader, ip.hopLimit == 255,
              ip.destination == allNodes, message.count == messageLength,
              message.wireByte(at: 0) == neighborAdvertisementType, message.wireByte(at: 1) == 0,
              checksum(message, source: ip.source) == 0
        else { return nil }
        let flags = message.wireByte(at: 4)
        guard flags & ~routerFlag == overrideFlag,
              message.wireSlice(5, length: 3).allSatisfy({ $0 == 0 }),
              IPv6Address(bytes: message.wireSlice(8, length: 16)) == ip.source,
              message.wireByte(at: 24) == targetLinkLayerOption, message.wireByte(at: 25) == 1,
              MACAddress(bytes: message.wireSlice(26, length: 6)) == ethernet.source
        else { return nil }
        return UnsolicitedNeighborAdvertisement(senderMAC: ethernet.source, address: ip.source,
                                                isRouter: flags & routerFlag != 0)
    }

    public static func parse(frame: [UInt8]) -> UnsolicitedNeighborAdvertisement? { parse(frame: frame[...]) }
}
