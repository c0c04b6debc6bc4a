import Glibc
import HaloControl

/// One connection to halod's control socket: a request line out, a reply line back.
struct ControlClient {
    let path: String
    let timeoutSeconds: Double

    enum Failure: Error, CustomStringConvertible {
        case cannotConnect(String)
        case noReply(String)
        case badReply(String)

        var description: String {
            switch self {
            case .cannotConnect(let text), .noReply(let text), .badReply(let text): text
            }
        }
    }

    /// Sends `request` and returns the reply and its raw line.
    func send(_ request: ControlRequest) throws -> (reply: ControlReply, line: [UInt8]) {
        let fd = try connect()
        defer { close(fd) }
        let bytes = request.encodedLine
        let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
        // A refused peer may be disconnected before its request is sent; its refusal is still there to read.
        let sendError = written == bytes.count ? nil : String(cString: strerror(errno))
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !line.contains(UInt8(ascii: "\n")) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                if let sendError { throw Failure.noReply("cannot send to \(path): \(sendError)") }
                throw Failure.noReply(count == 0 ? "halod closed the connection without a reply"
                                                 : "no reply from halod within \(timeoutSeconds) s")
            }
            line += buffer[..<count]
        }
        let reply = Array(line.prefix { $0 != UInt8(ascii: "\n") })
        do {
            return (try ControlEncoding.decode(ControlReply.self, from: reply), reply)
        } catch {
            throw Failure.badReply("unreadable reply from halod: \(String(decoding: reply, as: UTF8.self))")
        }
    }

    private func connect() throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        guard path.utf8.count < MemoryLayout.size(ofValue: address.sun_path) else { throw Failure.cannotConnect("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure.cannotConnect("socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: Int(timeoutSeconds), tv_usec: Int((timeoutSeconds - Double(Int(timeoutSeconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            switch code {
            case EACCES, EPERM:
                throw Failure.cannotConnect("permission denied: \(path) (run haloctl as root, or as a member of control_socket_group)")
            case ENOENT, ECONNREFUSED:
                throw Failure.cannotConnect("halod is not running (nothing listening at \(path))")
            default:
                throw Failure.cannotConnect("cannot connect to \(path): \(String(cString: strerror(code)))")
            }
        }
        return fd
    }
}
