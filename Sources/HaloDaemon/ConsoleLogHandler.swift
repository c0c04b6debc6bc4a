import Glibc
import Logging

/// keepalived-style log lines on stderr: `halod[PID]: (VI_1) Entering MASTER STATE (…)`,
/// with a monotonic-free wall-clock timestamp when `timestamps` is on (-l/--log-console).
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let prefix: String
    private let timestamps: Bool

    public init(label: String, level: Logger.Level, timestamps: Bool) {
        logLevel = level
        prefix = "\(label)[\(getpid())]"
        self.timestamps = timestamps
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?,
        source: String, file: String, function: String, line: UInt
    ) {
        var text = ""
        if timestamps { text += Self.timestamp() + " " }
        text += "\(prefix): "
        if level >= .error { text += "\(level.rawValue.uppercased()): " }
        text += "\(message)\n"
        // One write(2) per line: lines from the supervisor and engine never interleave mid-line.
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = now.tv_sec
        var parts = tm()
        localtime_r(&time, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let millis = now.tv_nsec / 1_000_000
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)"
    }
}
