import CHaloLinux
import Glibc

/// A route-netlink socket through libmnl. libmnl rather than libnl-route-3:
/// every request here is one message and one ACK whose errno we report as is,
/// with no object caches behind our back, and the same small API reads the
/// link/address event stream.
public final class NetlinkSocket: @unchecked Sendable {
    private let socket: OpaquePointer
    private var sequence: UInt32
    public let portID: UInt32

    /// `groups` is a bitmask of RTMGRP_* multicast groups to receive events from (0 for requests only).
    public init(groups: UInt32 = 0) throws {
        // CLOEXEC: a supervisor's netlink socket must not leak into the engines it spawns.
        guard let socket = mnl_socket_open2(NETLINK_ROUTE, Int32(SOCK_CLOEXEC.rawValue)) else { throw SystemError("mnl_socket_open") }
        guard mnl_socket_bind(socket, groups, pid_t(MNL_SOCKET_AUTOPID)) == 0 else {
            let error = SystemError("mnl_socket_bind")
            mnl_socket_close(socket)
            throw error
        }
        self.socket = socket
        self.portID = mnl_socket_get_portid(socket)
        self.sequence = UInt32(truncatingIfNeeded: MonotonicClock.nanoseconds())
    }

    deinit { mnl_socket_close(socket) }

    public var fileDescriptor: Int32 { mnl_socket_get_fd(socket) }

    /// Sends a request built by `fill` (which adds the family header and attributes
    /// after libmnl has put the netlink header) and waits for the kernel's ACK.
    public func request(
        type: UInt16, flags: Int32, _ fill: (UnsafeMutablePointer<nlmsghdr>) -> Void
    ) throws {
        try transact(type: type, flags: flags | NLM_F_ACK, fill: fill) { _ in }
    }

    /// Sends a dump request and hands every reply message to `each`.
    public func dump(
        type: UInt16, _ fill: (UnsafeMutablePointer<nlmsghdr>) -> Void,
        each: (UnsafePointer<nlmsghdr>) -> Void
    ) throws {
        try transact(type: type, flags: NLM_F_DUMP, fill: fill, each: each)
    }

    private func transact(
        type: UInt16, flags: Int32, fill: (UnsafeMutablePointer<nlmsghdr>) -> Void,
        each: (UnsafePointer<nlmsghdr>) -> Void
    ) throws {
        var buffer = [UInt8](repeating: 0, count: Self.bufferSize)
        sequence &+= 1
        let seq = sequence
        let operation = "netlink \(Self.name(of: type))"
        try buffer.withUnsafeMutableBytes { raw in
            let header = mnl_nlmsg_put_header(raw.baseAddress)!
            header.pointee.nlmsg_type = type
            header.pointee.nlmsg_flags = UInt16(NLM_F_REQUEST | flags)
            header.pointee.nlmsg_seq = seq
            fill(header)
            try check(operation, mnl_socket_sendto(socket, raw.baseAddress, Int(header.pointee.nlmsg_len)))
        }
        // Read until the ACK (NLMSG_ERROR with our sequence) or NLMSG_DONE for dumps.
        while true {
            let received = try buffer.withUnsafeMutableBytes { raw in
                try check(operation, mnl_socket_recvfrom(socket, raw.baseAddress, raw.count))
            }
            var finished = false
            try Self.forEachMessage(in: buffer, length: received) { header in
                guard header.pointee.nlmsg_seq == seq, header.pointee.nlmsg_pid == portID else { return }
                switch Int32(header.pointee.nlmsg_type) {
                case NLMSG_ERROR:
                    let code = halo_nlmsg_error(header)
                    if code != 0 { throw SystemError(operation, code: code) }
                    finished = true
                case NLMSG_DONE:
                    finished = true
                default:
                    each(header)
                }
            }
            if finished { return }
        }
    }

    /// Receives one batch of event messages (blocking unless the fd is non-blocking).
    public func receiveEvents(_ each: (UnsafePointer<nlmsghdr>) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: Self.bufferSize)
        let received = try buffer.withUnsafeMutableBytes { raw in
            try check("netlink receive", mnl_socket_recvfrom(socket, raw.baseAddress, raw.count))
        }
        try Self.forEachMessage(in: buffer, length: received, each)
    }

    static func forEachMessage(
        in buffer: [UInt8], length: Int, _ body: (UnsafePointer<nlmsghdr>) throws -> Void
    ) throws {
        try buffer.withUnsafeBytes { raw in
            var remaining = Int32(length)
            var header = UnsafeMutablePointer(mutating: raw.baseAddress!.assumingMemoryBound(to: nlmsghdr.self))
            while mnl_nlmsg_ok(header, remaining) {
                try body(UnsafePointer(header))
                header = UnsafeMutablePointer(mnl_nlmsg_next(header, &remaining))
            }
        }
    }

    static let bufferSize = 32 * 1024

    private static func name(of type: UInt16) -> String {
        switch Int32(type) {
        case Int32(RTM_NEWADDR): "RTM_NEWADDR"
        case Int32(RTM_DELADDR): "RTM_DELADDR"
        case Int32(RTM_GETADDR): "RTM_GETADDR"
        case Int32(RTM_GETLINK): "RTM_GETLINK"
        default: "message \(type)"
        }
    }
}
