import Glibc
import Logging

/// Log lines to syslog through openlog/syslog(3) (the C library writes to
/// /dev/log), as keepalived does: ident `halod`, the pid in every line, and the
/// facility from `-S/--log-facility N` (LOG_LOCAL0 + N) or LOG_DAEMON.
public struct SyslogLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    /// openlog keeps the ident pointer: it must outlive every syslog call, so it is never freed.
    nonisolated(unsafe) private static let ident = strdup("halod")

    /// `localFacility`: 0–7 for LOG_LOCAL0–7, nil for LOG_DAEMON.
    public init(level: Logger.Level, localFacility: Int?) {
        logLevel = level
        // LOG_NDELAY: connect now, so a later chroot or fd limit cannot lose the socket.
        openlog(Self.ident, LOG_PID | LOG_NDELAY, Self.facility(local: localFacility))
    }

    /// LOG_LOCAL0 + N for 0–7 (keepalived's `-S`), LOG_DAEMON otherwise.
    public static func facility(local: Int?) -> Int32 {
        guard let local, (0...7).contains(local) else { return LOG_DAEMON }
        return LOG_LOCAL0 + Int32(local) << 3
    }

    /// syslog(3) severities for swift-log's levels.
    public static func severity(_ level: Logger.Level) -> Int32 {
        switch level {
        case .trace, .debug: LOG_DEBUG
        case .info: LOG_INFO
        case .notice: LOG_NOTICE
        case .warning: LOG_WARNING
        case .error: LOG_ERR
        case .critical: LOG_CRIT
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?,
        source: String, file: String, function: String, line: UInt
    ) {
        // "%s": the message is data, never a format string (a VIP name with % must not crash us).
        "\(message)".withCString { text in
            withVaList([text]) { vsyslog(Self.severity(level), "%s", $0) }
        }
    }
}
