import Glibc
import Logging
import Synchronization

/// Log entries to systemd-journald over its native protocol: one datagram per
/// entry to /run/systemd/journal/socket, with fields MESSAGE, PRIORITY,
/// SYSLOG_IDENTIFIER=halod, HALO_INSTANCE (the instance or group a line is
/// about, from its "(NAME) " prefix) and CODE_FILE/CODE_LINE/CODE_FUNC, so
/// `journalctl HALO_INSTANCE=VI_1` shows one instance's history.
public struct JournalLogHandler: LogHandler {
    public static let defaultSocketPath = "/run/systemd/journal/socket"
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let socket: JournalSocket

    public init(level: Logger.Level, socketPath: String = Self.defaultSocketPath) {
        logLevel = level
        socket = JournalSocket.shared(path: socketPath)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?,
        source: String, file: String, function: String, line: UInt
    ) {
        let text = "\(message)"
        var fields = [("MESSAGE", text), ("PRIORITY", "\(SyslogLogHandler.severity(level))"), ("SYSLOG_IDENTIFIER", "halod")]
        if let instance = Self.instanceName(in: text) { fields.append(("HALO_INSTANCE", instance)) }
        fields += [("CODE_FILE", file), ("CODE_LINE", "\(line)"), ("CODE_FUNC", function)]
        socket.send(Self.encode(fields))
    }

    /// "VI_1" from "(VI_1) Entering MASTER STATE": halod's lines about an instance,
    /// sync group or resource group all start that way.
    public static func instanceName(in message: String) -> String? {
        guard message.hasPrefix("("), let close = message.firstIndex(of: ")") else { return nil }
        let name = message[message.index(after: message.startIndex)..<close]
        let rest = message[close...]
        guard !name.isEmpty, !name.contains(" "), rest == ")" || rest.hasPrefix(") ") else { return nil }
        return String(name)
    }

    /// The native protocol's entry: `KEY=value\n`, or for a value holding a newline
    /// `KEY\n` + its length as 64-bit little-endian + the value + `\n`.
    public static func encode(_ fields: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (key, value) in fields {
            bytes += Array(key.utf8)
            let data = Array(value.utf8)
            if data.contains(UInt8(ascii: "\n")) {
                bytes.append(UInt8(ascii: "\n"))
                withUnsafeBytes(of: UInt64(data.count).littleEndian) { bytes += $0 }
            } else {
                bytes.append(UInt8(ascii: "="))
            }
            bytes += data
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// True when systemd connected our stderr to the journal: `JOURNAL_STREAM`
    /// ("DEVICE:INODE") names the file stderr is (sd_journal_stream_fd(3)'s rule).
    public static func stderrIsJournal(_ environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(2, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}

/// One datagram socket per path for the whole process (handlers are copied per logger).
final class JournalSocket: @unchecked Sendable {
    private let fileDescriptor: Int32
    private var address = sockaddr_un()
    private static let registry = Mutex<[String: JournalSocket]>([:])

    static func shared(path: String) -> JournalSocket {
        registry.withLock { sockets in
            if let existing = sockets[path] { return existing }
            let socket = JournalSocket(path: path)
            sockets[path] = socket
            return socket
        }
    }

    private init(path: String) {
        fileDescriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
    }

    /// Never blocks the engine's loop: a journal that cannot take the entry now loses it.
    func send(_ bytes: [UInt8]) {
        var target = address
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fileDescriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL), $0,
                           socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
    }
}
