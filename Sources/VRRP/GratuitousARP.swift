import HaloNet

/// The gratuitous ARP keepalived sends for each IPv4 VIP on becoming master: an
/// Ethernet broadcast ARP *request* (RFC 5227 §3 "ARP Announcement" shape, but
/// with the target hardware address all ones as keepalived fills it), sender
/// and target protocol address both the VIP. The data plane writes `frame()`
/// to an AF_PACKET socket as is.
public struct GratuitousARP: Hashable, Sendable {
    /// Ethernet header plus the 28-byte ARP body; the NIC pads it to 60.
    public static let frameLength = EthernetHeader.length + 28
    static let hardwareTypeEthernet: UInt16 = 1
    static let operationRequest: UInt16 = 1

    /// The interface MAC (or the VRRP virtual MAC with `use_vmac`): both the
    /// Ethernet source and the ARP sender hardware address.
    public var senderMAC: MACAddress
    /// The VIP being announced.
    public var address: IPv4Address

    public init(senderMAC: MACAddress, address: IPv4Address) {
        self.senderMAC = senderMAC
        self.address = address
    }

    public func frame() -> [UInt8] {
        var bytes = EthernetHeader(destination: .broadcast, source: senderMAC, etherType: EthernetHeader.arpType).encoded()
        bytes.reserveCapacity(Self.frameLength)
        bytes.appendWireUInt16(Self.hardwareTypeEthernet)
        bytes.appendWireUInt16(EthernetHeader.ipv4Type)
        bytes.append(6)  // hardware address length
        bytes.append(4)  // protocol address length
        bytes.appendWireUInt16(Self.operationRequest)
        bytes.append(contentsOf: senderMAC.bytes)
        bytes.append(contentsOf: address.bytes)
        bytes.append(contentsOf: MACAddress.broadcast.bytes)
        bytes.append(contentsOf: address.bytes)
        return bytes
    }

    /// Reads a frame back, accepting exactly the shape `frame()` builds (padding
    /// after the ARP body is allowed); anything else is nil.
    public static func parse(frame: ArraySlice<UInt8>) -> GratuitousARP? {
        guard frame.count >= frameLength,
              let (ethernet, arp) = try? EthernetHeader.decode(frame),
              ethernet.destination == .broadcast, ethernet.etherType == EthernetHeader.arpType,
              arp.wireUInt16(at: 0) == hardwareTypeEthernet, arp.wireUInt16(at: 2) == EthernetHeader.ipv4Type,
              arp.wireByte(at: 4) == 6, arp.wireByte(at: 5) == 4, arp.wireUInt16(at: 6) == operationRequest,
              let senderMAC = MACAddress(bytes: arp.wireSlice(8, length: 6)), senderMAC == ethernet.source,
              let senderIP = IPv4Address(bytes: arp.wireSlice(14, length: 4)),
              MACAddress(bytes: arp.wireSlice(18, length: 6)) == .broadcast,
              IPv4Address(bytes: arp.wireSlice(24, length: 4)) == senderIP
        else { return nil }
        return GratuitousARP(senderMAC: senderMAC, address: senderIP)
    }

    public static func parse(frame: [UInt8]) -> GratuitousARP? { parse(frame: frame[...]) }
}
