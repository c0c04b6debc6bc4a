import Foundation
import Testing

/// keepalived's logging flags on halod's command line.
@Suite struct LogFlagTests {
    @Test(arguments: ["8", "12", "local3"])
    func aFacilityOutsideZeroToSevenIsAUsageError(value: String) throws {
        let run = try Halod.run(["-S", value, "--config-test", "-f", "/nonexistent.conf"])
        #expect(run.status == 64, "\(run.output)\(run.errors)")
        #expect(run.errors.contains("0-7"), "the error names the range: \(run.errors)")
    }

    @Test func helpNamesTheLoggingFlags() throws {
        let help = try Halod.run(["--help"]).output
        for flag in ["--log-console", "--no-syslog", "--log-facility", "--log-journal"] {
            #expect(help.contains(flag), "\(flag) missing from --help:\n\(help)")
        }
    }

    /// The same lines reach stderr when syslog is turned off (-G) and no journal is in use.
    @Test func withoutSyslogAndJournalLinesGoToStderr() throws {
        let path = try Halod.temporaryFile("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 300\n}\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try Halod.run(["-G", "-f", path, "--no-supervisor"])
        #expect(run.status == 3, "a config with errors is not started: \(run.errors)")
        #expect(run.errors.contains("has errors; not starting"), "\(run.errors)")
    }
}
