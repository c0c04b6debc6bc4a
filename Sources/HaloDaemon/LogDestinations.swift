import Glibc
import Logging

/// Where halod's log lines go, from keepalived's flags and the environment:
/// - journald (native protocol) with `--log-journal`, or when systemd connected
///   stderr to the journal (`JOURNAL_STREAM`);
/// - syslog(3) like keepalived, unless `-G/--no-syslog`: always with an explicit
///   `-S/--log-facility`, otherwise only off the journal and when /dev/log exists
///   (a host without a syslog daemon would swallow every line);
/// - stderr with `-l/--log-console`, and whenever neither of the others is used.
public struct LogDestinations: Equatable, Sendable {
    public var console: Bool
    public var consoleTimestamps: Bool
    public var syslog: Bool
    /// -S N: LOG_LOCALN; nil: LOG_DAEMON.
    public var syslogFacility: Int?
    public var journal: Bool
    public var journalSocketPath: String

    public static func choose(logConsole: Bool, noSyslog: Bool, facility: Int?, logJournal: Bool,
                              environment: [String: String], stderrIsJournal: Bool, devLogExists: Bool) -> LogDestinations {
        let journal = logJournal || stderrIsJournal
        let syslog = !noSyslog && (facility != nil || (!journal && devLogExists))
        return LogDestinations(
            console: logConsole || (!journal && !syslog), consoleTimestamps: logConsole,
            syslog: syslog, syslogFacility: facility, journal: journal,
            // For containers and tests that run their own journal socket.
            journalSocketPath: environment["HALO_JOURNAL_SOCKET"] ?? JournalLogHandler.defaultSocketPath)
    }

    /// This process's environment (halod does not link Foundation).
    public static var processEnvironment: [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }

    /// The same choice made for this process.
    public static func forThisProcess(logConsole: Bool, noSyslog: Bool, facility: Int?, logJournal: Bool,
                                      environment: [String: String]) -> LogDestinations {
        choose(logConsole: logConsole, noSyslog: noSyslog, facility: facility, logJournal: logJournal,
               environment: environment, stderrIsJournal: JournalLogHandler.stderrIsJournal(environment),
               devLogExists: access("/dev/log", F_OK) == 0)
    }

    /// One handler per destination chosen, behind swift-log's multiplexer.
    public func makeHandler(label: String, level: Logger.Level) -> any LogHandler {
        var handlers: [any LogHandler] = []
        if journal { handlers.append(JournalLogHandler(level: level, socketPath: journalSocketPath)) }
        if syslog { handlers.append(SyslogLogHandler(level: level, localFacility: syslogFacility)) }
        if console || handlers.isEmpty { handlers.append(ConsoleLogHandler(label: label, level: level, timestamps: consoleTimestamps)) }
        return handlers.count == 1 ? handlers[0] : MultiplexLogHandler(handlers)
    }

    /// For the start-up line: "stderr, syslog (LOG_LOCAL3)".
    public var summary: String {
        var parts: [String] = []
        if console { parts.append("stderr") }
        if syslog { parts.append("syslog (\(syslogFacility.map { "LOG_LOCAL\($0)" } ?? "LOG_DAEMON"))") }
        if journal { parts.append("journald (\(journalSocketPath))") }
        return parts.joined(separator: ", ")
    }
}
