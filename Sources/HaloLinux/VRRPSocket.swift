import CHaloLinux
import Glibc
import HaloNet

/// IP protocol 112; Glibc does not define IPPROTO_VRRP.
public let ipProtocolVRRP: Int32 = 112

/// A datagram read from a VRRP socket with what the kernel said about it.
public struct ReceivedDatagram: Sendable {
    /// IPv4: the whole IP packet (header included, as raw IPv4 sockets deliver it).
    /// IPv6: the VRRP payload only.
    public var bytes: [UInt8]
    public var source: IPAddress
    /// IPv6 only (IPv4 carries its TTL in `bytes`); nil when the kernel gave none.
    public var hopLimit: Int?
    public var destination: IPAddress?
    public var truncated: Bool
}

/// A raw VRRP socket bound to one interface, for one address family.
///
/// IPv4 sends whole packets (IP_HDRINCL) so TOS 0xc0, TTL 255 and the IP ID
/// match keepalived's; IPv6 lets the kernel fill the checksum (IPV6_CHECKSUM at
/// offset 6) and reports the hop limit in control messages.
public final class VRRPSocket: @unchecked Sendable {
    public let fileDescriptor: Int32
    public let family: AddressFamily
    public let interface: Interface

    /// `multicastGroup` nil: unicast only. `source6` is the IPv6 link-local (or
    /// unicast) source to bind; IPv4 sources are written into each header.
    public init(family: AddressFamily, interface: Interface, multicastGroup: IPAddress?, source6: IPv6Address? = nil) throws {
        let domain = family == .ipv4 ? AF_INET : AF_INET6
        let fd = try check("socket(raw VRRP)", socket(domain, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), ipProtocolVRRP))
        self.fileDescriptor = fd
        self.family = family
        self.interface = interface
        do {
            try configure(multicastGroup: multicastGroup, source6: source6)
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fileDescriptor) }

    private func configure(multicastGroup: IPAddress?, source6: IPv6Address?) throws {
        let fd = fileDescriptor
        _ = try interface.name.withCString { name in
            try check("SO_BINDTODEVICE \(interface.name)",
                      setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, socklen_t(strlen(name) + 1)))
        }
        switch family {
        case .ipv4:
            try setSocketOption(fd, Int32(IPPROTO_IP), IP_HDRINCL, 1, "IP_HDRINCL")
            try setSocketOption(fd, Int32(IPPROTO_IP), IP_MULTICAST_TTL, 255, "IP_MULTICAST_TTL")
            try setSocketOption(fd, Int32(IPPROTO_IP), IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP")
            try setSocketOption(fd, Int32(IPPROTO_IP), IP_PKTINFO, 1, "IP_PKTINFO")
            var interfaceRequest = ip_mreqn()
            interfaceRequest.imr_ifindex = interface.index
            try check("IP_MULTICAST_IF", setsockopt(fd, Int32(IPPROTO_IP), IP_MULTICAST_IF, &interfaceRequest,
                                                    socklen_t(MemoryLayout<ip_mreqn>.size)))
        case .ipv6:
            try setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_CHECKSUM, 6, "IPV6_CHECKSUM")
            try setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_MULTICAST_HOPS, 255, "IPV6_MULTICAST_HOPS")
            try setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_UNICAST_HOPS, 255, "IPV6_UNICAST_HOPS")
            try setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP")
            try setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_MULTICAST_IF, interface.index, "IPV6_MULTICAST_IF")
            try setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT")
            try setSocketOption(fd, Int32(IPPROTO_IPV6), IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO")
            if let source6 {
                try check("bind \(source6)%\(interface.name)",
                          halo_bind_ipv6(fd, source6.bytes, UInt32(interface.index)))
            }
        }
        if let multicastGroup {
            try check("join \(multicastGroup) on \(interface.name)",
                      halo_join_group(fd, family == .ipv4 ? AF_INET : AF_INET6, multicastGroup.bytes, interface.index, 1))
        }
    }

    /// IPv4: `bytes` is a whole IP packet; IPv6: the VRRP payload (checksum filled by the kernel).
    public func send(_ bytes: [UInt8], to destination: IPAddress) throws {
        let sent: Int
        switch destination {
        // Network-order bytes from the stack: `address.bytes` would allocate an array per advert.
        case .v4(let address):
            sent = withUnsafeBytes(of: address.value.bigEndian) { raw in
                halo_send_ipv4(fileDescriptor, bytes, bytes.count, raw.bindMemory(to: UInt8.self).baseAddress)
            }
        case .v6(let address):
            sent = withUnsafeBytes(of: (address.high.bigEndian, address.low.bigEndian)) { raw in
                halo_send_ipv6(fileDescriptor, bytes, bytes.count, raw.bindMemory(to: UInt8.self).baseAddress, UInt32(interface.index))
            }
        }
        try check("send VRRP to \(destination) on \(interface.name)", sent)
    }

    /// Reads one datagram; nil when none is waiting.
    public func receive() throws -> ReceivedDatagram? {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let domain = family == .ipv4 ? AF_INET : AF_INET6
        let result = halo_recv(fileDescriptor, &buffer, buffer.count, domain)
        if result.length < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            throw SystemError("receive VRRP on \(interface.name)")
        }
        let addressBytes = withUnsafeBytes(of: result.source) { Array($0) }
        let destinationBytes = withUnsafeBytes(of: result.destination) { Array($0) }
        let source: IPAddress
        let destination: IPAddress?
        if family == .ipv4 {
            source = .v4(IPv4Address(bytes: addressBytes.prefix(4))!)
            destination = result.ifindex != 0 ? .v4(IPv4Address(bytes: destinationBytes.prefix(4))!) : nil
        } else {
            source = .v6(IPv6Address(bytes: addressBytes)!)
            destination = result.ifindex != 0 ? .v6(IPv6Address(bytes: destinationBytes)!) : nil
        }
        return ReceivedDatagram(
            bytes: Array(buffer.prefix(result.length)), source: source,
            hopLimit: result.hop_limit >= 0 ? Int(result.hop_limit) : nil,
            destination: destination, truncated: result.truncated != 0
        )
    }
}
