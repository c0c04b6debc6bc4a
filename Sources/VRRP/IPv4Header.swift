import HaloNet

/// An IPv4 header (RFC 791 §3.1) as a value: what an IPv4 raw socket delivers in
/// front of each packet and what an IP_HDRINCL socket expects us to write.
public struct IPv4Header: Hashable, Sendable {
    public static let minimumLength = 20
    public static let dontFragmentFlag: UInt16 = 0x4000
    public static let moreFragmentsFlag: UInt16 = 0x2000
    public static let fragmentOffsetMask: UInt16 = 0x1FFF

    public var typeOfService: UInt8
    /// Header plus payload, in bytes.
    public var totalLength: UInt16
    public var identification: UInt16
    /// The 3 flag bits and the 13-bit fragment offset, as on the wire.
    public var flagsAndFragmentOffset: UInt16
    public var timeToLive: UInt8
    public var protocolNumber: UInt8
    /// As received; `encoded()` computes a fresh one.
    public var checksum: UInt16
    public var source: IPv4Address
    public var destination: IPv4Address
    /// Option bytes, a multiple of 4 long (at most 40).
    public var options: [UInt8]

    public init(
        typeOfService: UInt8, totalLength: UInt16, identification: UInt16, flagsAndFragmentOffset: UInt16 = 0,
        timeToLive: UInt8, protocolNumber: UInt8, checksum: UInt16 = 0,
        source: IPv4Address, destination: IPv4Address, options: [UInt8] = []
    ) {
        self.typeOfService = typeOfService
        self.totalLength = totalLength
        self.identification = identification
        self.flagsAndFragmentOffset = flagsAndFragmentOffset
        self.timeToLive = timeToLive
        self.protocolNumber = protocolNumber
        self.checksum = checksum
        self.source = source
        self.destination = destination
        self.options = options
    }

    public var headerLength: Int { Self.minimumLength + options.count }

    /// True for any fragment but a whole datagram (MF set or a non-zero offset).
    public var isFragment: Bool {
        flagsAndFragmentOffset & (Self.moreFragmentsFlag | Self.fragmentOffsetMask) != 0
    }

    /// Parses the header at the start of `packet` and returns it with the payload
    /// it announces. Bytes past the total length are ignored: they are Ethernet
    /// padding when the caller hands over a frame's payload (a 46-byte v3 advert
    /// frame is padded to 60 on the wire).
    public static func decode(
        _ packet: ArraySlice<UInt8>
    ) throws(DropReason) -> (header: IPv4Header, payload: ArraySlice<UInt8>) {
        guard packet.count >= minimumLength else { throw .truncated }
        let versionAndLength = packet.wireByte(at: 0)
        let headerLength = Int(versionAndLength & 0x0F) * 4
        guard versionAndLength >> 4 == 4, headerLength >= minimumLength else { throw .ipHeaderInvalid }
        guard packet.count >= headerLength else { throw .truncated }
        let totalLength = packet.wireUInt16(at: 2)
        guard Int(totalLength) >= headerLength else { throw .ipHeaderInvalid }
        guard packet.count >= Int(totalLength) else { throw .truncated }
        guard InternetChecksum.of(packet.wireSlice(0, length: headerLength)) == 0 else {
            throw .ipHeaderBadChecksum
        }

        let header = IPv4Header(
            typeOfService: packet.wireByte(at: 1),
            totalLength: totalLength,
            identification: packet.wireUInt16(at: 4),
            flagsAndFragmentOffset: packet.wireUInt16(at: 6),
            timeToLive: packet.wireByte(at: 8),
            protocolNumber: packet.wireByte(at: 9),
            checksum: packet.wireUInt16(at: 10),
            source: IPv4Address(bytes: packet.wireSlice(12, length: 4))!,
            destination: IPv4Address(bytes: packet.wireSlice(16, length: 4))!,
            options: Array(packet.wireSlice(minimumLength, length: headerLength - minimumLength)))
        return (header, packet.wireSlice(headerLength, length: Int(totalLength) - headerLength))
    }

    /// The header bytes with a freshly computed checksum. `options` must be a
    /// multiple of 4 bytes and at most 40 (the IHL field is 4 bits of words).
    public func encoded() -> [UInt8] {
        precondition(options.count % 4 == 0 && options.count <= 40, "IPv4 options must be 0-40 bytes in words")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerLength)
        bytes.append(0x40 | UInt8(headerLength / 4))
        bytes.append(typeOfService)
        bytes.appendWireUInt16(totalLength)
        bytes.appendWireUInt16(identification)
        bytes.appendWireUInt16(flagsAndFragmentOffset)
        bytes.append(timeToLive)
        bytes.append(protocolNumber)
        bytes.appendWireUInt16(0)
        bytes.append(contentsOf: source.bytes)
        bytes.append(contentsOf: destination.bytes)
        bytes.append(contentsOf: options)
        bytes.storeWireUInt16(InternetChecksum.of(bytes), at: 10)
        return bytes
    }
}
