import HaloNet

/// A VRRP advert as a whole IPv4 packet: what the data plane writes to an
/// IP_HDRINCL raw socket (so TOS, TTL and ID match keepalived's) and what an
/// IPv4 raw socket reads, header included.
public struct IPv4AdvertisementPacket: Hashable, Sendable {
    public var header: IPv4Header
    public var advertisement: Advertisement

    public init(header: IPv4Header, advertisement: Advertisement) {
        self.header = header
        self.advertisement = advertisement
    }

    /// keepalived's header: TOS 0xc0, TTL 255, no fragmentation flags (it leaves
    /// `frag_off` zero; the captures show `flags [none]`), its own ID counter.
    /// The total length is filled in by `encoded`.
    public init(
        advertisement: Advertisement, source: IPv4Address, destination: IPv4Address = VRRPWire.ipv4Group,
        identification: UInt16, typeOfService: UInt8 = VRRPWire.keepalivedTypeOfService,
        timeToLive: UInt8 = VRRPWire.requiredHopLimit
    ) {
        header = IPv4Header(
            typeOfService: typeOfService, totalLength: 0, identification: identification,
            timeToLive: timeToLive, protocolNumber: VRRPWire.ipProtocol,
            source: source, destination: destination)
        self.advertisement = advertisement
    }

    /// The next IP ID after `identification`. keepalived counts up from 1 and
    /// skips 0, because the kernel fills in an ID of 0 itself.
    public static func nextIdentification(after identification: UInt16) -> UInt16 {
        identification == .max ? 1 : identification + 1
    }

    /// The packet bytes: the header (total length and checksum computed) and the
    /// VRRP message checksummed against the header's addresses.
    public func encoded(checksum mode: ChecksumMode = .pseudoHeader) throws(AdvertisementEncodingError) -> [UInt8] {
        let payload = try advertisement.encodePayload(
            source: .v4(header.source), destination: .v4(header.destination), checksum: mode)
        var header = self.header
        header.totalLength = UInt16(header.headerLength + payload.count)
        return header.encoded() + payload
    }

    /// Re-stamps a packet `encoded` made with another IP ID: a master sends the same
    /// advert every interval, and only the ID and the header checksum change.
    public static func restamp(_ packet: inout [UInt8], identification: UInt16) {
        let headerLength = Int(packet[0] & 0x0f) * 4
        packet.storeWireUInt16(identification, at: 4)
        packet.storeWireUInt16(0, at: 10)
        packet.storeWireUInt16(InternetChecksum.of(packet[0..<headerLength]), at: 10)
    }

    /// Decodes a whole IPv4 packet: the header (RFC 791), then the VRRP message.
    /// It does not check the TTL: that depends on the receiving instance being
    /// multicast or unicast (see `ReceivePolicy`).
    public static func decode(
        _ packet: ArraySlice<UInt8>, checksum mode: ChecksumMode = .pseudoHeader
    ) throws(DropReason) -> IPv4AdvertisementPacket {
        let (header, payload) = try decodeHeader(packet)
        let advertisement = try Advertisement.decode(
            payload: payload, source: .v4(header.source), destination: .v4(header.destination), checksum: mode)
        return IPv4AdvertisementPacket(header: header, advertisement: advertisement)
    }

    public static func decode(
        _ packet: [UInt8], checksum mode: ChecksumMode = .pseudoHeader
    ) throws(DropReason) -> IPv4AdvertisementPacket {
        try decode(packet[...], checksum: mode)
    }

    /// The IPv4 header checks that do not depend on the VRRP message.
    static func decodeHeader(
        _ packet: ArraySlice<UInt8>
    ) throws(DropReason) -> (header: IPv4Header, payload: ArraySlice<UInt8>) {
        let (header, payload) = try IPv4Header.decode(packet)
        guard !header.isFragment else { throw .ipFragment }
        guard header.protocolNumber == VRRPWire.ipProtocol else { throw .wrongProtocol }
        return (header, payload)
    }
}
