import CHaloLinux
import Glibc
import HaloNet

/// A listening TCP socket on one address and port, non-blocking, for the
/// metrics endpoint: the engine's loop accepts from it like the control socket.
public final class TCPListener {
    public let address: IPAddress
    /// The bound port (the kernel's choice when 0 was asked for).
    public let port: Int
    public let fileDescriptor: Int32

    public init(address: IPAddress, port: Int, backlog: Int32 = 16) throws {
        self.address = address
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = try check("socket(TCP)", socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        do {
            var on: Int32 = 1
            // A restarted daemon must not wait out TIME_WAIT connections of the previous one.
            try check("setsockopt(SO_REUSEADDR)", setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)))
            if family == AF_INET6 {
                try check("setsockopt(IPV6_V6ONLY)", setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &on, socklen_t(MemoryLayout<Int32>.size)))
            }
            try Self.bind(fd, address: address, port: port)
            try check("listen(\(address) port \(port))", listen(fd, backlog))
            self.port = try Self.boundPort(fd)
        } catch {
            Glibc.close(fd)
            throw error
        }
        fileDescriptor = fd
    }

    private static func bind(_ fd: Int32, address: IPAddress, port: Int) throws {
        let bytes = address.bytes
        let result: Int32
        switch address.family {
        case .ipv4:
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &socketAddress.sin_addr) { $0.copyBytes(from: bytes) }
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .ipv6:
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { $0.copyBytes(from: bytes) }
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        let shown = address.family == .ipv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
        try check("bind(\(shown))", result)
    }

    private static func boundPort(_ fd: Int32) throws -> Int {
        var storage = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        try check("getsockname", withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        })
        // sin_port and sin6_port sit at the same offset.
        return Int(UInt16(bigEndian: storage.sin6_port))
    }

    /// The next waiting connection, or nil when none is pending.
    public func accept() throws -> TCPConnection? {
        let fd = halo_accept_nonblocking(fileDescriptor)
        if fd < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED || errno == EINTR || errno == EPROTO { return nil }
            throw SystemError("accept(\(address) port \(port))")
        }
        return TCPConnection(fileDescriptor: fd)
    }

    public func close() {
        Glibc.close(fileDescriptor)
    }
}

/// One accepted, non-blocking TCP connection.
public final class TCPConnection {
    public let fileDescriptor: Int32
    public private(set) var isClosed = false

    init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    deinit { close() }

    /// One read of at most `limit` bytes, never blocking.
    public func read(limit: Int) -> UnixStreamConnection.ReadResult {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, limit) }
        if count > 0 { return .bytes(Array(buffer[..<count])) }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .wouldBlock }
        return .endOfStream
    }

    /// Hands the whole reply to the kernel without blocking: the send buffer is
    /// first grown to hold it, so a client that does not read cannot stall the
    /// loop. False if the kernel would not take it all (the reply is then cut).
    public func sendWithoutBlocking(_ bytes: [UInt8]) -> Bool {
        var size = Int32(min(bytes.count + 4096, 8 << 20))
        // SO_SNDBUFFORCE passes wmem_max when running as root; SO_SNDBUF is the fallback.
        if setsockopt(fileDescriptor, SOL_SOCKET, SO_SNDBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(fileDescriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        return writeAllNow(fileDescriptor, bytes)
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fileDescriptor)
    }
}
