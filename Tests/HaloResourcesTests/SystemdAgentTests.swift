import Foundation
import HaloLinux
import HaloResources
import Testing

/// `systemd:UNIT`: the systemctl command lines and Pacemaker's reading of
/// `is-active`, then the real host, where PID 1 is not systemd.
@Suite struct SystemdAgentTests {
    @Test func actionsMapToSystemctl() throws {
        let unit = ResourceDefinition(name: "web", kind: .systemd(unit: "nginx.service"))
        #expect(unit.invocation(.start, timeoutMilliseconds: 1)?.arguments == ["systemctl", "start", "nginx.service"])
        #expect(unit.invocation(.stop, timeoutMilliseconds: 1)?.arguments == ["systemctl", "stop", "nginx.service"])
        #expect(unit.invocation(.monitor, timeoutMilliseconds: 1)?.arguments == ["systemctl", "is-active", "nginx.service"])
        #expect(unit.invocation(.probe, timeoutMilliseconds: 1)?.arguments == ["systemctl", "is-active", "nginx.service"])
    }

    @Test(arguments: [
        (AgentAction.monitor, Int32(0), "active\n", AgentResult.success),
        (.probe, 0, "reloading\n", .success),
        (.monitor, 3, "inactive\n", .notRunning),
        (.probe, 3, "failed\n", .notRunning),
        (.monitor, 3, "unknown\n", .notRunning),
        (.monitor, 3, "activating\n", .failed(reason: "unit is activating", hard: false)),
        (.monitor, 3, "deactivating\n", .failed(reason: "unit is deactivating", hard: false)),
        (.start, 0, "", .success),
        (.start, 1, "Job for x.service failed.\n", .failed(reason: "systemctl start exit 1", hard: false)),
        (.stop, 5, "", .failed(reason: "systemctl stop exit 5", hard: false)),
    ])
    func isActiveStatesReadAsPacemakerDoes(action: AgentAction, code: Int32, output: String, expected: AgentResult) {
        let unit = ResourceDefinition(name: "u", kind: .systemd(unit: "x.service"))
        #expect(unit.result(of: action, exitCode: code, output: output) == expected)
    }

    @Test func noRuntimeDirectoryMeansSystemdIsNotRunning() throws {
        var unit = ResourceDefinition(name: "u", kind: .systemd(unit: "x.service"))
        unit.systemdRuntimeDirectory = "/nonexistent-\(getpid())/systemd/system"
        #expect(unit.systemdUnavailableReason == "systemd is not running on this host (\(unit.systemdRuntimeDirectory) is absent): cannot drive systemd:x.service")
        unit.systemdRuntimeDirectory = NSTemporaryDirectory()
        #expect(unit.systemdUnavailableReason == nil)
        #expect(ResourceDefinition(name: "o", kind: .lsb(script: "x")).systemdUnavailableReason == nil)
    }

    /// This machine's PID 1 is not systemd: the start is a clear fatal error, nothing
    /// can be running (probe), and stopping what cannot run succeeds.
    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/run/systemd/system"), "this host runs systemd"))
    func onThisHostStartFailsSayingSystemdIsNotRunning() throws {
        let unit = ResourceDefinition(name: "web", kind: .systemd(unit: "nginx.service"))
        let results = try runAgentActions(unit, [.probe, .start, .stop])
        #expect(results == [
            .notRunning,
            .fatal(reason: "systemd is not running on this host (/run/systemd/system is absent): cannot drive systemd:nginx.service"),
            .success,
        ])
    }

    /// With the check pointed at a directory that exists, the real systemctl runs
    /// and its refusal (no systemd bus) is a failed start, not a success.
    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/run/systemd/system")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/systemctl"), "needs systemctl on a host without systemd"))
    func realSystemctlWithoutSystemdFailsTheStart() throws {
        var unit = ResourceDefinition(name: "web", kind: .systemd(unit: "halo-test-\(getpid()).service"))
        unit.systemdRuntimeDirectory = NSTemporaryDirectory()
        let results = try runAgentActions(unit, [.start, .probe])
        guard case .failed(let reason, hard: false) = results.first else { Issue.record("expected a failed start, got \(results)"); return }
        #expect(reason.hasPrefix("systemctl start exit "))
        #expect(results.last == .notRunning)
    }
}
