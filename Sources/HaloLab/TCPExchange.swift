// For SOCK_* and sockaddr_un: glibc's socket headers can be owned by CHaloLinux's module.
import CHaloLinux
import Foundation
import Glibc
import HaloNet

/// A plain TCP client for lab tests, run inside a namespace: connect, send
/// bytes, read until the server closes (or the deadline), with every step
/// bounded by a timeout so a hung server fails the test instead of hanging it.
public enum TCPExchange {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Connects from `namespace` to address:port; the caller owns the descriptor.
    public static func connect(in namespace: NetworkNamespace, to address: IPAddress, port: Int, timeoutSeconds: Double = 5) throws -> Int32 {
        try namespace.perform { try connectHere(to: address, port: port, timeoutSeconds: timeoutSeconds) }
    }

    /// Sends `request` and returns everything the server sends before it closes.
    public static func exchange(in namespace: NetworkNamespace, with address: IPAddress, port: Int, request: [UInt8],
                                timeoutSeconds: Double = 10) throws -> [UInt8] {
        let fd = try connect(in: namespace, to: address, port: port, timeoutSeconds: timeoutSeconds)
        defer { close(fd) }
        var offset = 0
        while offset < request.count {
            let sent = request.withUnsafeBytes { send(fd, $0.baseAddress! + offset, request.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
        return try readUntilClosed(fd, timeoutSeconds: timeoutSeconds)
    }

    /// `GET path`: the status code and the body.
    public static func get(in namespace: NetworkNamespace, from address: IPAddress, port: Int, path: String,
                           timeoutSeconds: Double = 10) throws -> (status: Int, body: String) {
        let host = address.family == .ipv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
        let reply = try exchange(in: namespace, with: address, port: port,
                                 request: Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nAccept: */*\r\n\r\n".utf8),
                                 timeoutSeconds: timeoutSeconds)
        let text = String(decoding: reply, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n"), text.hasPrefix("HTTP/1.1 "),
              let status = Int(text.dropFirst("HTTP/1.1 ".count).prefix(3)) else {
            throw Failure(description: "not an HTTP reply: \(text.prefix(200))")
        }
        return (status, String(text[headEnd.upperBound...]))
    }

    /// Reads until end of stream; fails if the server neither sends nor closes in time.
    public static func readUntilClosed(_ fd: Int32, timeoutSeconds: Double) throws -> [UInt8] {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, left) > 0 else { throw Failure(description: "no reply or close within \(timeoutSeconds) s") }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return received }
            if count < 0 {
                if errno == EINTR { continue }
                // A reset after the reply (the server closed with our bytes unread) still ends the stream.
                if errno == ECONNRESET { return received }
                throw Failure(description: "read: \(String(cString: strerror(errno)))")
            }
            received += buffer[..<count]
        }
    }

    private static func connectHere(to address: IPAddress, port: Int, timeoutSeconds: Double) throws -> Int32 {
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        let bytes = address.bytes
        let result: Int32
        if family == AF_INET {
            var target = sockaddr_in()
            target.sin_family = sa_family_t(AF_INET)
            target.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &target.sin_addr) { $0.copyBytes(from: bytes) }
            result = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } else {
            var target = sockaddr_in6()
            target.sin6_family = sa_family_t(AF_INET6)
            target.sin6_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &target.sin6_addr) { $0.copyBytes(from: bytes) }
            result = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        if result != 0 && errno != EINPROGRESS {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "connect \(address) port \(port): \(message)")
        }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard poll(&poller, 1, Int32(timeoutSeconds * 1000)) > 0,
              getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else {
            close(fd)
            throw Failure(description: "connect \(address) port \(port): \(error == 0 ? "timed out" : String(cString: strerror(error)))")
        }
        // Blocking again: the reads below wait with poll, the sends are small.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }
}
