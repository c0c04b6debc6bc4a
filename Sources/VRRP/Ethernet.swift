import HaloNet

/// A 48-bit IEEE 802 MAC address.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address in the low 48 bits, first byte most significant.
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value & 0xFFFF_FFFF_FFFF }

    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 6 else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Six colon-separated hex pairs, e.g. `02:6b:61:6c:00:01`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var value: UInt64 = 0
        for part in parts {
            guard part.count == 2, part.allSatisfy(\.isHexDigit), let byte = UInt8(part, radix: 16) else { return nil }
            value = value << 8 | UInt64(byte)
        }
        self.value = value
    }

    public static let broadcast = MACAddress(0xFFFF_FFFF_FFFF)

    /// RFC 1112 §6.4: 01:00:5e plus the low 23 bits of the group.
    public static func multicast(_ group: IPv4Address) -> MACAddress {
        MACAddress(0x0100_5E00_0000 | UInt64(group.value & 0x7F_FFFF))
    }

    /// RFC 2464 §7: 33:33 plus the low 32 bits of the group.
    public static func multicast(_ group: IPv6Address) -> MACAddress {
        MACAddress(0x3333_0000_0000 | (group.low & 0xFFFF_FFFF))
    }

    /// The VRRP virtual MAC (RFC 5798 §7.3): 00:00:5e:00:01:VRID for IPv4,
    /// 00:00:5e:00:02:VRID for IPv6 (keepalived's `use_vmac`).
    public static func virtualRouter(_ virtualRouterID: UInt8, family: AddressFamily) -> MACAddress {
        MACAddress((family == .ipv4 ? 0x0000_5E00_0100 : 0x0000_5E00_0200) | UInt64(virtualRouterID))
    }

    public var bytes: [UInt8] { (0..<6).map { UInt8(truncatingIfNeeded: value >> (40 - 8 * UInt64($0))) } }

    public var description: String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }
}

/// An Ethernet II header (no VLAN tag): what an AF_PACKET/SOCK_RAW socket sends
/// in front of the ARP and neighbour advertisement frames.
public struct EthernetHeader: Hashable, Sendable {
    public static let length = 14
    public static let ipv4Type: UInt16 = 0x0800
    public static let arpType: UInt16 = 0x0806
    public static let ipv6Type: UInt16 = 0x86DD

    public var destination: MACAddress
    public var source: MACAddress
    public var etherType: UInt16

    public init(destination: MACAddress, source: MACAddress, etherType: UInt16) {
        self.destination = destination
        self.source = source
        self.etherType = etherType
    }

    public static func decode(_ frame: ArraySlice<UInt8>) throws(DropReason) -> (header: EthernetHeader, payload: ArraySlice<UInt8>) {
        guard frame.count >= length else { throw .truncated }
        let header = EthernetHeader(
            destination: MACAddress(bytes: frame.wireSlice(0, length: 6))!,
            source: MACAddress(bytes: frame.wireSlice(6, length: 6))!,
            etherType: frame.wireUInt16(at: 12))
        return (header, frame.dropFirst(length))
    }

    public func encoded() -> [UInt8] {
        var bytes = destination.bytes + source.bytes
        bytes.appendWireUInt16(etherType)
        return bytes
    }
}
