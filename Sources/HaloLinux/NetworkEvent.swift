import CHaloLinux
import Glibc

/// What the kernel tells us about links and addresses, decoded from the
/// RTMGRP_LINK / RTMGRP_IPV4_IFADDR / RTMGRP_IPV6_IFADDR event stream.
public enum NetworkEvent: Hashable, Sendable {
    case link(LinkStatus)
    case linkRemoved(interfaceIndex: Int32, name: String)
    case addressAdded(InterfaceAddress)
    case addressRemoved(InterfaceAddress)
}

public struct LinkStatus: Hashable, Sendable {
    public var interfaceIndex: Int32
    public var name: String
    /// Administratively up (IFF_UP).
    public var isUp: Bool
    /// Carrier present (IFF_LOWER_UP): a pulled cable or a downed bridge port clears it.
    public var hasCarrier: Bool

    public init(interfaceIndex: Int32, name: String, isUp: Bool, hasCarrier: Bool) {
        self.interfaceIndex = interfaceIndex
        self.name = name
        self.isUp = isUp
        self.hasCarrier = hasCarrier
    }

    /// Usable for VRRP: up with carrier (IFF_RUNNING alone lags behind on some drivers).
    public var isUsable: Bool { isUp && hasCarrier }
}

extension NetworkEvent {
    /// Multicast groups to bind a NetlinkSocket to for these events.
    public static let groups = UInt32(RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR)

    init?(message header: UnsafePointer<nlmsghdr>) {
        switch Int32(header.pointee.nlmsg_type) {
        case Int32(RTM_NEWLINK):
            guard let status = LinkStatus(message: header) else { return nil }
            self = .link(status)
        case Int32(RTM_DELLINK):
            guard let status = LinkStatus(message: header) else { return nil }
            self = .linkRemoved(interfaceIndex: status.interfaceIndex, name: status.name)
        case Int32(RTM_NEWADDR):
            guard let address = InterfaceAddress(message: header) else { return nil }
            self = .addressAdded(address)
        case Int32(RTM_DELADDR):
            guard let address = InterfaceAddress(message: header) else { return nil }
            self = .addressRemoved(address)
        default:
            return nil
        }
    }
}

extension LinkStatus {
    init?(message header: UnsafePointer<nlmsghdr>) {
        let message = header.familyHeader(as: ifinfomsg.self)
        let attributes = NetlinkAttributes(of: header, familyHeaderSize: MemoryLayout<ifinfomsg>.size)
        guard let name = attributes.string(Int(IFLA_IFNAME)) else { return nil }
        self.init(
            interfaceIndex: message.ifi_index, name: name,
            isUp: message.ifi_flags & IFF_UP.rawValue != 0,
            hasCarrier: message.ifi_flags & IFF_LOWER_UP.rawValue != 0
        )
    }
}

extension NetlinkSocket {
    /// Reads pending events; unknown message types are skipped.
    public func readEvents() throws -> [NetworkEvent] {
        var events: [NetworkEvent] = []
        try receiveEvents { header in
            if let event = NetworkEvent(message: header) { events.append(event) }
        }
        return events
    }

    /// The current state of every link.
    public func links() throws -> [LinkStatus] {
        var found: [LinkStatus] = []
        try dump(type: UInt16(RTM_GETLINK)) { header in
            let message = mnl_nlmsg_put_extra_header(header, MemoryLayout<ifinfomsg>.size)!
                .assumingMemoryBound(to: ifinfomsg.self)
            message.pointee.ifi_family = UInt8(AF_UNSPEC)
        } each: { header in
            if let status = LinkStatus(message: header) { found.append(status) }
        }
        return found
    }
}
