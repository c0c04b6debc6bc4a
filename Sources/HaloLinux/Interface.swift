import CHaloLinux
import Glibc
import HaloNet

/// An interface's identity as the VRRP engine needs it.
public struct Interface: Hashable, Sendable {
    public var name: String
    public var index: Int32
    public var macAddress: [UInt8]

    /// Looks up an interface by name in the calling thread's network namespace.
    public init(named name: String) throws {
        let index = if_nametoindex(name)
        guard index != 0 else { throw SystemError("interface \(name)") }
        let fd = try check("socket", socket(AF_INET, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0))
        defer { close(fd) }
        var mac = [UInt8](repeating: 0, count: 6)
        try check("SIOCGIFHWADDR \(name)", halo_interface_mac(fd, name, &mac))
        self.name = name
        self.index = Int32(index)
        self.macAddress = mac
    }

    /// The primary IPv4 address (the first non-secondary one): VRRPv2/v3 over IPv4 sends from it.
    public func primaryIPv4(using netlink: NetlinkSocket) throws -> IPv4Address? {
        for address in try netlink.addresses(family: .ipv4, interfaceIndex: index) where !address.isSecondary {
            if case .v4(let v4) = address.prefix.address { return v4 }
        }
        return nil
    }

    /// The link-local IPv6 address: VRRPv3 over IPv6 must send from it (RFC 5798 §5.1.2.1).
    public func linkLocalIPv6(using netlink: NetlinkSocket) throws -> IPv6Address? {
        for address in try netlink.addresses(family: .ipv6, interfaceIndex: index) {
            if case .v6(let v6) = address.prefix.address, v6.isLinkLocal { return v6 }
        }
        return nil
    }
}
