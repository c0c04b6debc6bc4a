import Glibc
import HaloLinux

/// A short conversation with a service over TCP or a Unix socket, for the
/// built-in agents' monitors: connect, optionally send a request, read until
/// the answer can be judged. The socket work is blocking with poll(2) bounds,
/// so it runs on a thread of its own, started from the loop thread (so it is
/// in the loop thread's network namespace), and the verdict comes back on the loop.
public struct ServiceProbe: Sendable {
    public enum Target: Sendable, CustomStringConvertible {
        case tcp(host: String, port: Int)
        case unix(path: String)

        public var description: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unix(let path): path
            }
        }
    }

    /// What the bytes read so far say.
    public enum Verdict: Sendable, Equatable {
        case needMore
        case healthy
        case unhealthy(String)
    }

    public var target: Target
    /// Sent once connected; nil: the service speaks first (or a connect is enough).
    public var request: [UInt8]?
    /// Judges the bytes read so far; nil: accepting the connection is enough.
    public var judge: (@Sendable ([UInt8]) -> Verdict)?

    public init(_ target: Target, request: [UInt8]? = nil, judge: (@Sendable ([UInt8]) -> Verdict)? = nil) {
        self.target = target
        self.request = request
        self.judge = judge
    }

    /// The probe's outcome: nil when healthy, else why not ("connection refused", the service's own message...).
    public typealias Problem = String?

    /// Runs the probe off the loop within `timeoutMilliseconds`; `completion` runs on the loop thread.
    public func run(on loop: EventLoop, timeoutMilliseconds: Int, completion: @escaping (Problem) -> Void) {
        let box = CompletionBox(completion)
        let probe = self
        ProbeThread.start {
            let problem = probe.runBlocking(timeoutMilliseconds: timeoutMilliseconds)
            loop.execute { box.completion(problem) }
        }
    }

    /// The same conversation on the calling thread (tests, and the worker above).
    public func runBlocking(timeoutMilliseconds: Int) -> Problem {
        let deadline = MonotonicClock.nanoseconds() + Int64(timeoutMilliseconds) * 1_000_000
        let fd: Int32
        switch connect(deadline: deadline) {
        case .failure(let problem): return problem.text
        case .success(let connected): fd = connected
        }
        defer { close(fd) }
        if let request, !send(fd, request) { return "\(target): sending the request failed: \(errorText(errno))" }
        guard let judge else { return nil }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            guard wait(fd, for: Int16(POLLIN), until: deadline) else {
                return received.isEmpty ? "\(target): no answer within \(timeoutMilliseconds) ms"
                    : "\(target): incomplete answer within \(timeoutMilliseconds) ms"
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                if case .unhealthy(let why) = judge(received) { return "\(target): \(why)" }
                return "\(target): connection closed " + (received.isEmpty ? "without an answer" : "before a complete answer")
            }
            received.append(contentsOf: chunk[0..<count])
            switch judge(received) {
            case .needMore: if received.count > 65536 { return "\(target): answer too long" }
            case .healthy: return nil
            case .unhealthy(let why): return "\(target): \(why)"
            }
        }
    }

    private struct ConnectProblem: Error { var text: String }

    private func connect(deadline: Int64) -> Result<Int32, ConnectProblem> {
        var storage = sockaddr_storage()
        let length: socklen_t
        let family: Int32
        switch target {
        case .tcp(let host, let port):
            if host.contains(":") {
                var address = sockaddr_in6()
                address.sin6_family = sa_family_t(AF_INET6)
                address.sin6_port = in_port_t(UInt16(port).bigEndian)
                guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { return .failure(.init(text: "bad address '\(host)'")) }
                withUnsafeBytes(of: address) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
                length = socklen_t(MemoryLayout<sockaddr_in6>.size)
                family = AF_INET6
            } else {
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return .failure(.init(text: "bad address '\(host)'")) }
                withUnsafeBytes(of: address) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
                length = socklen_t(MemoryLayout<sockaddr_in>.size)
                family = AF_INET
            }
        case .unix(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return .failure(.init(text: "socket path too long: \(path)")) }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
            withUnsafeBytes(of: address) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
            length = socklen_t(MemoryLayout<sockaddr_un>.size)
            family = AF_UNIX
        }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(.init(text: "socket: \(errorText(errno))")) }
        let started = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        if started != 0 && errno != EINPROGRESS {
            let why = errorText(errno)
            close(fd)
            return .failure(.init(text: "\(target): \(why)"))
        }
        if started != 0 {
            guard wait(fd, for: Int16(POLLOUT), until: deadline) else {
                close(fd)
                return .failure(.init(text: "\(target): connect timed out"))
            }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            if error != 0 {
                close(fd)
                return .failure(.init(text: "\(target): \(errorText(error))"))
            }
        }
        return .success(fd)
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EAGAIN { _ = wait(fd, for: Int16(POLLOUT), until: MonotonicClock.nanoseconds() + 1_000_000_000); continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Polls until `events` or the deadline; false on timeout.
    private func wait(_ fd: Int32, for events: Int16, until deadline: Int64) -> Bool {
        while true {
            let remaining = (deadline - MonotonicClock.nanoseconds()) / 1_000_000
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining, Int64(Int32.max))))
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }

    private func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// A detached pthread for one blocking probe. A new thread shares the
/// creating thread's namespaces, unlike a shared worker pool's threads.
private enum ProbeThread {
    final class Work: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    static func start(_ body: @escaping @Sendable () -> Void) {
        let work = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { raw in
            let work = Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue()
            work.body()
            return nil
        }, work)
        if created == 0 {
            pthread_detach(thread)
        } else {
            // No thread to be had: run it here rather than never answer.
            Unmanaged<Work>.fromOpaque(work).takeRetainedValue().body()
        }
    }
}

/// Carries a loop-thread closure through the worker thread untouched.
private final class CompletionBox: @unchecked Sendable {
    let completion: (ServiceProbe.Problem) -> Void
    init(_ completion: @escaping (ServiceProbe.Problem) -> Void) { self.completion = completion }
}

extension ServiceProbe {
    /// The MySQL protocol's first packet: a handshake (protocol version 10) is
    /// healthy; an ERR packet (0xff) is unhealthy with the server's message.
    @Sendable public static func judgeMySQLGreeting(_ bytes: [UInt8]) -> Verdict {
        guard bytes.count >= 5 else { return .needMore }
        let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16
        switch bytes[4] {
        case 10:
            return .healthy
        case 0xff:
            guard bytes.count >= 4 + length else { return .needMore }
            var message = Array(bytes[min(7, 4 + length)..<(4 + length)])
            if message.first == UInt8(ascii: "#") { message = Array(message.dropFirst(6)) }  // SQL state marker and code
            return .unhealthy("server refused: \(String(decoding: message, as: UTF8.self))")
        default:
            return .unhealthy("not a MySQL server (protocol version \(bytes[4]), expected 10)")
        }
    }

    /// A line-protocol answer: healthy when the first line starts with `prefix`.
    public static func judgeFirstLine(startsWith prefix: String) -> @Sendable ([UInt8]) -> Verdict {
        { bytes in
            guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return .needMore }
            let line = String(decoding: bytes[..<end], as: UTF8.self).trimmingCharacters(in: "\r ")
            return line.hasPrefix(prefix) ? .healthy : .unhealthy("answered '\(line)', expected '\(prefix)...'")
        }
    }

    /// haproxy's `show info` on its stats socket: healthy once the "Name: HAProxy" line is in.
    @Sendable public static func judgeHAProxyInfo(_ bytes: [UInt8]) -> Verdict {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("Name: HAProxy") { return .healthy }
        if text.contains("Unknown command") || text.contains("Permission denied") {
            return .unhealthy("stats socket answered: \(text.split(separator: "\n").first ?? "")")
        }
        return .needMore
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
