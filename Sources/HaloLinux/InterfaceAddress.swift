import CHaloLinux
import Glibc
import HaloNet

/// An address on an interface, as `ip addr` shows it and as a VIP is configured.
public struct InterfaceAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Scope: UInt8, Sendable {
        case global = 0, site = 200, link = 253, host = 254, nowhere = 255
    }

    public var prefix: IPPrefix
    public var interfaceIndex: Int32
    /// IPv4 only; at most 15 bytes (IFNAMSIZ - 1), conventionally `ifname:tag`.
    public var label: String?
    public var scope: Scope
    public var broadcast: IPv4Address?
    /// IPv6: skip duplicate address detection so the VIP is usable at once (keepalived does the same).
    public var noDAD: Bool
    /// Reported by the kernel only (IFA_F_SECONDARY cannot be set from userspace).
    public var isSecondary: Bool = false

    public init(
        prefix: IPPrefix, interfaceIndex: Int32, label: String? = nil, scope: Scope = .global,
        broadcast: IPv4Address? = nil, noDAD: Bool = true
    ) {
        self.prefix = prefix
        self.interfaceIndex = interfaceIndex
        self.label = label
        self.scope = scope
        self.broadcast = broadcast
        self.noDAD = noDAD
    }

    public var description: String {
        var text = "\(prefix) ifindex \(interfaceIndex)"
        if let broadcast { text += " brd \(broadcast)" }
        if scope != .global { text += " scope \(scope)" }
        if let label { text += " label \(label)" }
        return text
    }
}

public enum AddressError: Error, Equatable, CustomStringConvertible {
    case labelTooLong(String)
    case labelOnIPv6(String)

    public var description: String {
        switch self {
        case .labelTooLong(let label): "label '\(label)' is longer than 15 bytes (the kernel's IFNAMSIZ limit)"
        case .labelOnIPv6(let label): "label '\(label)' given for an IPv6 address (labels are IPv4 only)"
        }
    }
}

extension NetlinkSocket {
    /// Adds an address. Throws SystemError with EEXIST when it is already there.
    public func addAddress(_ address: InterfaceAddress) throws {
        try changeAddress(address, type: UInt16(RTM_NEWADDR), flags: NLM_F_CREATE | NLM_F_EXCL)
    }

    /// Removes an address. Throws SystemError with EADDRNOTAVAIL when it is not there.
    public func removeAddress(_ address: InterfaceAddress) throws {
        try changeAddress(address, type: UInt16(RTM_DELADDR), flags: 0)
    }

    private func changeAddress(_ address: InterfaceAddress, type: UInt16, flags: Int32) throws {
        if let label = address.label {
            guard address.prefix.family == .ipv4 else { throw AddressError.labelOnIPv6(label) }
            guard label.utf8.count <= 15 else { throw AddressError.labelTooLong(label) }
        }
        try request(type: type, flags: flags) { header in Self.fill(header, with: address) }
    }

    private static func fill(_ header: UnsafeMutablePointer<nlmsghdr>, with address: InterfaceAddress) {
        let message = mnl_nlmsg_put_extra_header(header, MemoryLayout<ifaddrmsg>.size)!
            .assumingMemoryBound(to: ifaddrmsg.self)
        let ipv6 = address.prefix.family == .ipv6
        message.pointee.ifa_family = UInt8(ipv6 ? AF_INET6 : AF_INET)
        message.pointee.ifa_prefixlen = address.prefix.length
        message.pointee.ifa_scope = address.scope.rawValue
        message.pointee.ifa_index = UInt32(address.interfaceIndex)
        let addressFlags: UInt32 = ipv6 && address.noDAD ? UInt32(IFA_F_NODAD) : 0
        message.pointee.ifa_flags = UInt8(truncatingIfNeeded: addressFlags)
        let bytes = address.prefix.address.bytes
        mnl_attr_put(header, UInt16(IFA_LOCAL), bytes.count, bytes)
        mnl_attr_put(header, UInt16(IFA_ADDRESS), bytes.count, bytes)
        mnl_attr_put_u32(header, UInt16(IFA_FLAGS), addressFlags)
        if let broadcast = address.broadcast {
            mnl_attr_put(header, UInt16(IFA_BROADCAST), 4, broadcast.bytes)
        }
        if let label = address.label {
            mnl_attr_put_strz(header, UInt16(IFA_LABEL), label)
        }
    }

    /// Every address of `family` (nil: both), optionally on one interface.
    public func addresses(family: AddressFamily? = nil, interfaceIndex: Int32? = nil) throws -> [InterfaceAddress] {
        var found: [InterfaceAddress] = []
        let wanted: UInt8 = switch family {
        case .ipv4: UInt8(AF_INET)
        case .ipv6: UInt8(AF_INET6)
        case nil: UInt8(AF_UNSPEC)
        }
        try dump(type: UInt16(RTM_GETADDR)) { header in
            let message = mnl_nlmsg_put_extra_header(header, MemoryLayout<ifaddrmsg>.size)!
                .assumingMemoryBound(to: ifaddrmsg.self)
            message.pointee.ifa_family = wanted
        } each: { header in
            guard let address = InterfaceAddress(message: header) else { return }
            if let interfaceIndex, address.interfaceIndex != interfaceIndex { return }
            found.append(address)
        }
        return found
    }
}

extension InterfaceAddress {
    /// Decodes an RTM_NEWADDR / RTM_DELADDR message.
    init?(message header: UnsafePointer<nlmsghdr>) {
        let message = header.familyHeader(as: ifaddrmsg.self)
        let attributes = NetlinkAttributes(of: header, familyHeaderSize: MemoryLayout<ifaddrmsg>.size)
        // IFA_LOCAL is the address itself on IPv4 point-to-point links; IFA_ADDRESS otherwise.
        guard let bytes = attributes[IFA_LOCAL] ?? attributes[IFA_ADDRESS] else { return nil }
        let address: IPAddress
        switch Int32(message.ifa_family) {
        case AF_INET: guard let v4 = IPv4Address(bytes: bytes) else { return nil }; address = .v4(v4)
        case AF_INET6: guard let v6 = IPv6Address(bytes: bytes) else { return nil }; address = .v6(v6)
        default: return nil
        }
        let flags = attributes.uint32(IFA_FLAGS) ?? UInt32(message.ifa_flags)
        self.init(
            prefix: IPPrefix(address: address, length: message.ifa_prefixlen),
            interfaceIndex: Int32(message.ifa_index),
            label: message.ifa_family == UInt8(AF_INET) ? attributes.string(IFA_LABEL) : nil,
            scope: Scope(rawValue: message.ifa_scope) ?? .global,
            broadcast: attributes[IFA_BROADCAST].flatMap { IPv4Address(bytes: $0) },
            noDAD: flags & UInt32(IFA_F_NODAD) != 0
        )
        isSecondary = flags & UInt32(IFA_F_SECONDARY) != 0
    }
}
