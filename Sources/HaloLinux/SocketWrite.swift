import Glibc

/// Writes all of `bytes` to a non-blocking stream socket if its buffer takes them now;
/// false when it does not (a peer that does not read) or the peer has gone. Never SIGPIPE.
func writeAllNow(_ fileDescriptor: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { send(fileDescriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return false }
        offset += written
    }
    return true
}
