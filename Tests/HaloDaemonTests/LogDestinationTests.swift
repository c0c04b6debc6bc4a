import Glibc
@testable import HaloDaemon
import Logging
import Testing

/// Which log destinations halod picks, and how the syslog and journald
/// handlers encode a line.
@Suite struct LogDestinationTests {
    private func choose(console: Bool = false, noSyslog: Bool = false, facility: Int? = nil, journalFlag: Bool = false,
                        environment: [String: String] = [:], stderrIsJournal: Bool = false, devLog: Bool = true) -> LogDestinations {
        LogDestinations.choose(logConsole: console, noSyslog: noSyslog, facility: facility, logJournal: journalFlag,
                               environment: environment, stderrIsJournal: stderrIsJournal, devLogExists: devLog)
    }

    @Test func syslogByDefaultLikeKeepalived() {
        let chosen = choose()
        #expect(chosen.syslog && !chosen.console && !chosen.journal)
        #expect(chosen.summary == "syslog (LOG_DAEMON)")
    }

    @Test func withoutDevLogTheLinesGoToStderr() {
        let chosen = choose(devLog: false)
        #expect(!chosen.syslog && chosen.console)
        #expect(choose(facility: 3, devLog: false).syslog, "an explicit -S is obeyed")
    }

    @Test func consoleFlagAddsStderrWithTimestamps() {
        let chosen = choose(console: true, facility: 3)
        #expect(chosen.console && chosen.consoleTimestamps && chosen.syslog)
        #expect(chosen.summary == "stderr, syslog (LOG_LOCAL3)")
    }

    @Test func noSyslogFallsBackToStderr() {
        let chosen = choose(noSyslog: true, facility: 2)
        #expect(!chosen.syslog && chosen.console && !chosen.consoleTimestamps)
    }

    @Test func journalWhenSystemdConnectedStderrOrAsked() {
        let underSystemd = choose(stderrIsJournal: true)
        #expect(underSystemd.journal && !underSystemd.syslog && !underSystemd.console, "one copy of each line in the journal")
        let asked = choose(journalFlag: true, environment: ["HALO_JOURNAL_SOCKET": "/tmp/j.sock"])
        #expect(asked.journal && asked.journalSocketPath == "/tmp/j.sock")
        #expect(choose(journalFlag: true).journalSocketPath == "/run/systemd/journal/socket")
    }

    @Test func journalStreamMustNameOurStderr() {
        #expect(!JournalLogHandler.stderrIsJournal([:]))
        #expect(!JournalLogHandler.stderrIsJournal(["JOURNAL_STREAM": "garbage"]))
        var status = stat()
        #expect(fstat(2, &status) == 0)
        #expect(JournalLogHandler.stderrIsJournal(["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino)"]))
        #expect(!JournalLogHandler.stderrIsJournal(["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino + 1)"]))
    }

    @Test func syslogFacilitiesAndSeverities() {
        #expect(SyslogLogHandler.facility(local: nil) == LOG_DAEMON)
        #expect(SyslogLogHandler.facility(local: 0) == LOG_LOCAL0)
        #expect(SyslogLogHandler.facility(local: 3) == LOG_LOCAL3)
        #expect(SyslogLogHandler.facility(local: 7) == LOG_LOCAL7)
        #expect(SyslogLogHandler.severity(.info) == LOG_INFO)
        #expect(SyslogLogHandler.severity(.warning) == LOG_WARNING)
        #expect(SyslogLogHandler.severity(.error) == LOG_ERR)
        #expect(SyslogLogHandler.severity(.critical) == LOG_CRIT)
        #expect(SyslogLogHandler.severity(.debug) == LOG_DEBUG)
    }

    @Test func instanceNameComesFromTheLinePrefix() {
        #expect(JournalLogHandler.instanceName(in: "(VI_1) Entering MASTER STATE") == "VI_1")
        #expect(JournalLogHandler.instanceName(in: "(web-group) nginx: start") == "web-group")
        #expect(JournalLogHandler.instanceName(in: "VRRP engine running 2 instance(s)") == nil)
        #expect(JournalLogHandler.instanceName(in: "(not a name) x") == nil)
        #expect(JournalLogHandler.instanceName(in: "()") == nil)
    }

    @Test func journalEntryEncoding() {
        let simple = JournalLogHandler.encode([("MESSAGE", "hello"), ("PRIORITY", "6")])
        #expect(String(decoding: simple, as: UTF8.self) == "MESSAGE=hello\nPRIORITY=6\n")
        let multiline = JournalLogHandler.encode([("MESSAGE", "a\nb")])
        #expect(multiline == Array("MESSAGE\n".utf8) + [3, 0, 0, 0, 0, 0, 0, 0] + Array("a\nb\n".utf8))
    }
}
