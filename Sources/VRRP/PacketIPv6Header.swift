import HaloNet

/// The fixed IPv6 header (RFC 8200 §3). IPv6 raw sockets never show it to us,
/// but the neighbour advertisement goes out on an AF_PACKET socket and must
/// carry one, and the captures hold it.
public struct IPv6Header: Hashable, Sendable {
    public static let length = 40

    public var trafficClass: UInt8
    /// 20 bits.
    public var flowLabel: UInt32
    public var payloadLength: UInt16
    public var nextHeader: UInt8
    public var hopLimit: UInt8
    public var source: IPv6Address
    public var destination: IPv6Address

    public init(
        trafficClass: UInt8 = 0, flowLabel: UInt32 = 0, payloadLength: UInt16, nextHeader: UInt8,
        hopLimit: UInt8, source: IPv6Address, destination: IPv6Address
    ) {
        self.trafficClass = trafficClass
        self.flowLabel = flowLabel & 0xF_FFFF
        self.payloadLength = payloadLength
        self.nextHeader = nextHeader
        self.hopLimit = hopLimit
        self.source = source
        self.destination = destination
    }

    /// Parses the fixed header and returns the payload it announces; extension
    /// headers are left in the payload. Bytes past the payload length are ignored.
    public static func decode(_ packet: ArraySlice<UInt8>) throws(DropReason) -> (header: IPv6Header, payload: ArraySlice<UInt8>) {
        guard packet.count >= length else { throw .truncated }
        guard packet.wireByte(at: 0) >> 4 == 6 else { throw .ipHeaderInvalid }
        let payloadLength = packet.wireUInt16(at: 4)
        guard packet.count >= length + Int(payloadLength) else { throw .truncated }
        let first = UInt32(packet.wireUInt16(at: 0)) << 16 | UInt32(packet.wireUInt16(at: 2))
        let header = IPv6Header(
            trafficClass: UInt8(truncatingIfNeeded: first >> 20), flowLabel: first & 0xF_FFFF,
            payloadLength: payloadLength, nextHeader: packet.wireByte(at: 6), hopLimit: packet.wireByte(at: 7),
            source: IPv6Address(bytes: packet.wireSlice(8, length: 16))!,
            destination: IPv6Address(bytes: packet.wireSlice(24, length: 16))!)
        return (header, packet.wireSlice(length, length: Int(payloadLength)))
    }

    public func encoded() -> [UInt8] {
        let first = UInt32(6) << 28 | UInt32(trafficClass) << 20 | flowLabel & 0xF_FFFF
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.length)
        bytes.appendWireUInt16(UInt16(first >> 16))
        bytes.appendWireUInt16(UInt16(truncatingIfNeeded: first))
        bytes.appendWireUInt16(payloadLength)
        bytes.append(nextHeader)
        bytes.append(hopLimit)
        bytes.append(contentsOf: source.bytes)
        bytes.append(contentsOf: destination.bytes)
        return bytes
    }
}
