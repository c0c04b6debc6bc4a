import CHaloLinux
import Glibc

/// systemd's service notification protocol spoken directly (no libsystemd):
/// newline-separated `KEY=VALUE` lines in one datagram to the AF_UNIX socket
/// named by `NOTIFY_SOCKET`, a path or, with a leading '@', an abstract name.
/// See sd_notify(3).
public final class SystemdNotifySocket {
    public let address: String
    private let fileDescriptor: Int32
    private var socketAddress = sockaddr_un()
    private let addressLength: socklen_t

    /// `address` is NOTIFY_SOCKET's value. Throws for forms this build does not
    /// speak (vsock:), for a relative path and for a name longer than sun_path.
    public init(address: String) throws {
        self.address = address
        guard address.hasPrefix("/") || address.hasPrefix("@") else {
            throw SystemError("NOTIFY_SOCKET=\(address): only an absolute path or an @abstract name is supported", code: EAFNOSUPPORT)
        }
        var bytes = Array(address.utf8)
        // Abstract names start with a NUL byte and have no terminating NUL: the length says where they end.
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: socketAddress.sun_path)
        guard bytes.count < capacity else { throw SystemError("NOTIFY_SOCKET=\(address) is too long", code: ENAMETOOLONG) }
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        fileDescriptor = try check("socket(AF_UNIX, SOCK_DGRAM)",
                                   socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
    }

    deinit { Glibc.close(fileDescriptor) }

    /// Sends `fields` as one datagram. Never blocks: a service manager that is
    /// not reading must not stall the VRRP loop (the datagram is lost instead).
    public func send(_ fields: [String]) throws {
        let message = fields.joined(separator: "\n")
        let sent = message.utf8CString.withUnsafeBufferPointer { text in
            withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fileDescriptor, text.baseAddress, text.count - 1, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), $0, addressLength)
                }
            }
        }
        try check("sendto(NOTIFY_SOCKET=\(address))", sent)
    }
}

/// What the service manager asked for, read from the environment it gave the
/// process (sd_notify(3), sd_watchdog_enabled(3)).
public struct SystemdNotifyEnvironment: Equatable, Sendable {
    public var notifySocket: String
    /// Half of WATCHDOG_USEC, the interval sd_watchdog_enabled(3) recommends; nil
    /// when there is no watchdog or it is meant for another process.
    public var watchdogPingInterval: Int64?

    /// nil when NOTIFY_SOCKET is unset or empty (not started by systemd, or not Type=notify).
    /// `acceptedWatchdogPIDs`: pids WATCHDOG_PID may name for this process to ping;
    /// the engine passes its own and its supervisor's (the unit's main process).
    public init?(_ environment: [String: String], acceptedWatchdogPIDs: Set<Int32>) {
        guard let socket = environment["NOTIFY_SOCKET"], !socket.isEmpty else { return nil }
        notifySocket = socket
        watchdogPingInterval = Self.pingInterval(
            usec: environment["WATCHDOG_USEC"], pid: environment["WATCHDOG_PID"], accepted: acceptedWatchdogPIDs)
    }

    static func pingInterval(usec: String?, pid: String?, accepted: Set<Int32>) -> Int64? {
        guard let usec, let microseconds = Int64(usec), microseconds > 0 else { return nil }
        if let pid {
            guard let owner = Int32(pid), accepted.contains(owner) else { return nil }
        }
        return microseconds * 1_000 / 2
    }

    /// The variables this process must not pass on to its children (scripts,
    /// resource agents): they would otherwise report to Halo's unit as if they were it.
    public static let variableNames = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"]
}
