import CHaloLinux
import Glibc

/// A listening Unix stream socket at a path, non-blocking, for the control socket.
/// The socket file is owned by root (and `group`, when one may use it) with `mode`.
public final class UnixStreamListener {
    public let path: String
    public let fileDescriptor: Int32

    /// Creates the parent directory (0755) if missing, replaces a stale socket
    /// file, binds and listens.
    public init(path: String, mode: mode_t, group: gid_t? = nil) throws {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else { throw SystemError("socket path \(path) too long", code: ENAMETOOLONG) }
        try Self.createParentDirectory(of: path)
        // Only a socket may be replaced: a stale one from a crashed run, never a regular file.
        var existing = stat()
        if lstat(path, &existing) == 0 {
            guard existing.st_mode & S_IFMT == S_IFSOCK else { throw SystemError("\(path) exists and is not a socket", code: EEXIST) }
            // A live one belongs to another halod: never steal it.
            if Self.isListening(&address, path: path) { throw SystemError("another process listens on \(path)", code: EADDRINUSE) }
            unlink(path)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        fileDescriptor = try check("socket(AF_UNIX)", socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
        do {
            // umask 0177 while binding: the file never exists with wider permissions than `mode`.
            let previous = umask(0o177)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fileDescriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            umask(previous)
            try check("bind(\(path))", bound)
            try check("chown(\(path))", chown(path, 0, group ?? 0))
            try check("chmod(\(path))", chmod(path, mode))
            try check("listen(\(path))", listen(fileDescriptor, 16))
        } catch {
            Glibc.close(fileDescriptor)
            throw error
        }
    }

    private static func isListening(_ address: inout sockaddr_un, path: String) -> Bool {
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { Glibc.close(probe) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    private static func createParentDirectory(of path: String) throws {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let parent = String(path[..<slash])
        var components: [Substring] = []
        for part in parent.split(separator: "/") {
            components.append(part)
            let prefix = (parent.hasPrefix("/") ? "/" : "") + components.joined(separator: "/")
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw SystemError("mkdir(\(prefix))") }
        }
    }

    /// The next waiting connection, or nil when none is pending.
    public func accept() throws -> UnixStreamConnection? {
        let fd = halo_accept_nonblocking(fileDescriptor)
        if fd < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED || errno == EINTR { return nil }
            throw SystemError("accept(\(path))")
        }
        return UnixStreamConnection(fileDescriptor: fd)
    }

    /// Closes the socket and removes its file.
    public func close() {
        Glibc.close(fileDescriptor)
        unlink(path)
    }
}

/// One accepted, non-blocking control connection.
public final class UnixStreamConnection {
    public let fileDescriptor: Int32
    public private(set) var isClosed = false

    init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    deinit { close() }

    public struct PeerCredentials: Sendable, Equatable {
        public var uid: uid_t
        public var gid: gid_t
        public var pid: pid_t

        /// Whether the peer belongs to `group` (primary or supplementary).
        public func isMember(of group: gid_t) -> Bool { halo_user_in_group(uid, gid, group) == 1 }
    }

    /// Who connected (SO_PEERCRED: fixed at connect time, cannot be forged by the peer).
    public func peerCredentials() throws -> PeerCredentials {
        var credentials = PeerCredentials(uid: 0, gid: 0, pid: 0)
        try check("getsockopt(SO_PEERCRED)", halo_peer_credentials(fileDescriptor, &credentials.uid, &credentials.gid, &credentials.pid))
        return credentials
    }

    public enum ReadResult: Equatable {
        case bytes([UInt8])
        case wouldBlock
        case endOfStream
    }

    /// One read of at most `limit` bytes, never blocking.
    public func read(limit: Int) -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, limit) }
        if count > 0 { return .bytes(Array(buffer[..<count])) }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .wouldBlock }
        return .endOfStream
    }

    /// Writes all of `bytes` if the socket buffer takes them now; false if it does
    /// not (a peer that does not read its replies) or the peer has gone.
    public func writeAll(_ bytes: [UInt8]) -> Bool {
        return writeAllNow(fileDescriptor, bytes)
    }

    public func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fileDescriptor)
    }
}
