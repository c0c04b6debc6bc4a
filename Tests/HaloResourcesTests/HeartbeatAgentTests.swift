import Foundation
import HaloLinux
import HaloResources
import Testing

/// heartbeat resource scripts: arguments before the verb, status read from its output.
@Suite struct HeartbeatAgentTests {
    @Test func argumentsComeBeforeTheVerb() {
        let script = ResourceDefinition(name: "db", kind: .heartbeat(script: "/etc/ha.d/resource.d/mysql", arguments: ["--port", "3307"]))
        #expect(script.invocation(.start, timeoutMilliseconds: 1)?.arguments == ["/etc/ha.d/resource.d/mysql", "--port", "3307", "start"])
        #expect(script.invocation(.stop, timeoutMilliseconds: 1)?.arguments.suffix(1) == ["stop"])
        #expect(script.invocation(.probe, timeoutMilliseconds: 1)?.arguments.suffix(1) == ["status"])
        #expect(script.invocation(.monitor, timeoutMilliseconds: 1)?.arguments.suffix(1) == ["status"])
    }

    @Test(arguments: [
        ("running\n", Int32(0), AgentResult.success),
        ("OK\n", 0, .success),
        ("mysqld (pid 42) is running...\n", 0, .success),
        ("stopped\n", 0, .notRunning),
        ("mysqld is not running\n", 3, .notRunning),
        ("", 0, .notRunning),
        ("Usage: x {start|stop|status}\n", 1, .notRunning),
        ("starting...\nrunning\n", 0, .success),
    ])
    func statusIsReadFromItsOutput(output: String, code: Int32, expected: AgentResult) {
        let script = ResourceDefinition(name: "s", kind: .heartbeat(script: "/x", arguments: []))
        #expect(script.result(of: .monitor, exitCode: code, output: output) == expected)
    }

    @Test func startAndStopAreJudgedByExitCode() {
        let script = ResourceDefinition(name: "s", kind: .heartbeat(script: "/x", arguments: []))
        #expect(script.result(of: .start, exitCode: 0, output: "whatever") == .success)
        #expect(script.result(of: .stop, exitCode: 2, output: "") == .failed(reason: "exit 2", hard: false))
    }

    /// A real script that prints "running" with exit 0 and "stopped" with exit 0,
    /// as old heartbeat scripts do: only the output tells them apart.
    @Test func realScriptGetsItsArguments() throws {
        let directory = NSTemporaryDirectory() + "/halo-hb-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = """
        #!/bin/sh
        state=\(directory)/"$1".on
        echo "$@" >> \(directory)/calls
        case "$2" in
          start) touch "$state" ;;
          stop) rm -f "$state" ;;
          status) if [ -e "$state" ]; then echo running; else echo stopped; fi ;;
        esac
        exit 0
        """
        try script.write(toFile: directory + "/svc", atomically: true, encoding: .utf8)
        chmod(directory + "/svc", 0o755)
        let resource = ResourceDefinition(name: "svc", kind: .heartbeat(script: directory + "/svc", arguments: ["blue"]))
        #expect(try runAgentActions(resource, [.probe, .start, .monitor, .stop, .monitor]) == [.notRunning, .success, .success, .success, .notRunning])
        let calls = try String(contentsOfFile: directory + "/calls", encoding: .utf8)
        #expect(calls == "blue status\nblue start\nblue status\nblue stop\nblue status\n")
    }
}
