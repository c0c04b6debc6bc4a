import HaloNet

/// Constants of the VRRP wire format shared by the encoder, the decoder and the
/// data plane.
public enum VRRPWire {
    /// IANA protocol number for VRRP (RFC 5798 §5.1.1.3).
    public static let ipProtocol: UInt8 = 112
    /// The only packet type, ADVERTISEMENT (RFC 5798 §5.2.2).
    public static let advertisementType: UInt8 = 1
    /// Multicast group for IPv4 (RFC 5798 §5.1.1.2).
    public static let ipv4Group = IPv4Address(224, 0, 0, 18)
    /// Multicast group for IPv6 (RFC 5798 §5.1.2.2).
    public static let ipv6Group = IPv6Address(high: 0xFF02_0000_0000_0000, low: 0x12)
    /// TTL / hop limit every advert is sent with and checked against (RFC 5798 §5.1.1.3).
    public static let requiredHopLimit: UInt8 = 255
    /// keepalived's IPv4 TOS and IPv6 traffic class (internetwork control).
    public static let keepalivedTypeOfService: UInt8 = 0xC0

    /// Fixed header: version/type, VRID, priority, count, two bytes of auth type +
    /// interval (v2) or reserved + max advert interval (v3), checksum.
    public static let headerLength = 8
    /// The v2 authentication data that follows the addresses, present even for type 0 (RFC 3768 §5.3.10).
    public static let v2AuthenticationLength = 8
    /// Largest v3 max advert interval: 12 bits of centiseconds (RFC 5798 §5.2.5).
    public static let maxV3IntervalCentiseconds: UInt16 = 0x0FFF

    /// The multicast group adverts of `family` are sent to.
    public static func group(for family: AddressFamily) -> IPAddress {
        switch family { case .ipv4: .v4(ipv4Group); case .ipv6: .v6(ipv6Group) }
    }

    /// Length of the whole VRRP message for `count` addresses.
    public static func messageLength(version: VRRPVersion, family: AddressFamily, count: Int) -> Int {
        let addressLength = family == .ipv4 ? 4 : 16
        return headerLength + count * addressLength + (version == .v2 ? v2AuthenticationLength : 0)
    }
}

/// VRRPv2 authentication type numbers (RFC 3768 §5.3.6; RFC 2338 for AH).
enum AuthenticationWireType {
    static let none: UInt8 = 0
    static let simplePassword: UInt8 = 1
    static let ipAuthenticationHeader: UInt8 = 2
}

extension ArraySlice<UInt8> {
    /// Big-endian 16-bit read at an offset from the slice start.
    func wireUInt16(at offset: Int) -> UInt16 {
        UInt16(self[startIndex + offset]) << 8 | UInt16(self[startIndex + offset + 1])
    }

    func wireByte(at offset: Int) -> UInt8 { self[startIndex + offset] }

    func wireSlice(_ offset: Int, length: Int) -> ArraySlice<UInt8> {
        self[(startIndex + offset)..<(startIndex + offset + length)]
    }
}

extension Array<UInt8> {
    mutating func appendWireUInt16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func storeWireUInt16(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(value >> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: value)
    }
}
