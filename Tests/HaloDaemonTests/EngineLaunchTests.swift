import Testing
@testable import HaloDaemon

/// The engine reads back exactly what halod wrote for it, without ArgumentParser.
struct EngineLaunchTests {
    private func launch(console: Bool, timestamps: Bool, syslog: Bool, facility: Int?, journal: Bool, detail: Bool) -> EngineLaunch {
        EngineLaunch(
            configurationPath: "/etc/halo/halo.conf",
            logs: LogDestinations(console: console, consoleTimestamps: timestamps, syslog: syslog, syslogFacility: facility,
                                  journal: journal, journalSocketPath: "/tmp/journal socket"),
            logDetail: detail, controlSocket: "/run/halo/halod.sock", stateDirectory: "/var/lib/halo")
    }

    @Test(arguments: [
        (true, true, false, nil, false, false),
        (true, false, true, 3, false, true),
        (false, false, true, nil, true, false),
        (false, false, false, nil, true, true),
    ] as [(Bool, Bool, Bool, Int?, Bool, Bool)])
    func argumentsRoundTrip(console: Bool, timestamps: Bool, syslog: Bool, facility: Int?, journal: Bool, detail: Bool) throws {
        let written = launch(console: console, timestamps: timestamps, syslog: syslog, facility: facility, journal: journal, detail: detail)
        let read = try EngineLaunch.parse(written.arguments + ["--engine-of", "4242"]).get()
        #expect(read.launch == written)
        #expect(read.supervisor == 4242)
    }

    @Test func withoutSupervisorThePIDIsAbsent() throws {
        let written = launch(console: true, timestamps: false, syslog: false, facility: nil, journal: false, detail: false)
        #expect(try EngineLaunch.parse(written.arguments).get().supervisor == nil)
    }

    @Test(arguments: [
        (["/etc/halo/halo.conf"], "expected --engine CONFIG first"),
        (["--engine"], "expected --engine CONFIG first"),
        (["--engine", "c", "--state-dir"], "--state-dir needs a value"),
        (["--engine", "c", "--engine-of", "x"], "--engine-of needs a pid, not 'x'"),
        (["--engine", "c", "-f", "other"], "unknown engine argument '-f'"),
    ])
    func unreadableArgumentsAreNamed(arguments: [String], message: String) {
        guard case .failure(let error) = EngineLaunch.parse(arguments) else {
            Issue.record("parsed \(arguments)")
            return
        }
        #expect(error.description == message)
    }
}
