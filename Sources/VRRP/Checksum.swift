import HaloNet

/// The RFC 1071 Internet checksum: the one's-complement of the one's-complement
/// sum of big-endian 16-bit words. Used by the IPv4 header, VRRP and ICMPv6.
public struct InternetChecksum: Sendable {
    private var sum: UInt64 = 0

    public init() {}

    /// Adds bytes as big-endian words. Every chunk must start on an even offset of
    /// the summed data; an odd final byte is padded with zero (RFC 1071 §4.1), so
    /// only the last chunk may have an odd length.
    public mutating func add<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        var high: UInt8?
        for byte in bytes {
            if let h = high {
                sum += UInt64(h) << 8 | UInt64(byte)
                high = nil
            } else {
                high = byte
            }
        }
        if let h = high { sum += UInt64(h) << 8 }
    }

    public mutating func add(word: UInt16) { sum += UInt64(word) }

    public mutating func add(doubleWord: UInt32) {
        sum += UInt64(doubleWord >> 16) + UInt64(doubleWord & 0xFFFF)
    }

    /// The value to store in the checksum field; when the summed data already
    /// holds a correct checksum, this is zero.
    public var value: UInt16 {
        var folded = sum
        while folded > 0xFFFF { folded = (folded & 0xFFFF) + (folded >> 16) }
        return ~UInt16(folded)
    }

    public static func of<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt16 {
        var checksum = InternetChecksum()
        checksum.add(bytes)
        return checksum.value
    }
}

/// How a VRRPv3 message over IPv4 is checksummed. VRRPv2 always sums the message
/// alone (RFC 3768 §5.3.8) and VRRPv3 over IPv6 always includes the IPv6
/// pseudo-header (RFC 5798 §5.2.8), so this choice only matters for v3 over IPv4,
/// where implementations disagree.
public enum ChecksumMode: String, CaseIterable, Hashable, Sendable {
    /// RFC 5798 §5.2.8 as keepalived reads it: the IPv4 pseudo-header (source,
    /// destination, zero, protocol 112, VRRP length) is included. keepalived's
    /// default, verified on the captures.
    case pseudoHeader = "pseudo_header"
    /// RFC 9568 §5.2.8: the VRRP message only, like v2. keepalived's
    /// `v3_checksum_as_v2`; what Cisco and Juniper send.
    case messageOnly = "message_only"
    /// keepalived ≤ 1.3.6 in unicast mode: the pseudo-header carries the
    /// multicast group 224.0.0.18 whatever the real destination
    /// (keepalived's `old_unicast_checksum`).
    case pseudoHeaderWithMulticastGroup = "old_unicast"
}

/// Checksum arithmetic specific to VRRP messages. The encoder and decoder use it;
/// it is public for the fuzz target and for tools that patch messages.
public enum VRRPChecksum {
    /// The checksum over `message` as it stands (a correct checksum field gives 0;
    /// a zeroed field gives the value to store).
    public static func compute(
        over message: ArraySlice<UInt8>, version: VRRPVersion,
        source: IPAddress, destination: IPAddress, mode: ChecksumMode
    ) -> UInt16 {
        var checksum = InternetChecksum()
        if version == .v3 {
            switch (source, destination) {
            case (.v6(let s), .v6(let d)):
                addIPv6PseudoHeader(to: &checksum, source: s, destination: d,
                                    nextHeader: VRRPWire.ipProtocol, length: message.count)
            case (.v4(let s), .v4(let d)):
                switch mode {
                case .pseudoHeader:
                    addIPv4PseudoHeader(to: &checksum, source: s, destination: d, length: message.count)
                case .pseudoHeaderWithMulticastGroup:
                    addIPv4PseudoHeader(to: &checksum, source: s, destination: VRRPWire.ipv4Group,
                                        length: message.count)
                case .messageOnly:
                    break
                }
            default:
                break  // mixed families never reach here: the decoder rejects them first
            }
        }
        checksum.add(message)
        return checksum.value
    }

    /// RFC 768-style IPv4 pseudo-header: source, destination, zero, protocol, length.
    static func addIPv4PseudoHeader(
        to checksum: inout InternetChecksum, source: IPv4Address, destination: IPv4Address, length: Int
    ) {
        checksum.add(doubleWord: source.value)
        checksum.add(doubleWord: destination.value)
        checksum.add(word: UInt16(VRRPWire.ipProtocol))
        checksum.add(word: UInt16(truncatingIfNeeded: length))
    }

    /// RFC 8200 §8.1 pseudo-header: source, destination, 32-bit upper-layer
    /// length, three zero bytes, next header.
    static func addIPv6PseudoHeader(
        to checksum: inout InternetChecksum, source: IPv6Address, destination: IPv6Address,
        nextHeader: UInt8, length: Int
    ) {
        checksum.add(source.bytes)
        checksum.add(destination.bytes)
        checksum.add(doubleWord: UInt32(truncatingIfNeeded: length))
        checksum.add(word: UInt16(nextHeader))
    }
}
