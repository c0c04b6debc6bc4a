import Foundation
import HaloLinux
import HaloResources
import Testing

/// Invocation and exit-code tables, then real agents: resource-agents'
/// ocf:heartbeat:anything and Dummy, an LSB script, an exec agent.
@Suite(.serialized) struct AgentTests {
    @Test func ocfInvocation() throws {
        let resource = ResourceDefinition(name: "web", kind: .ocf(provider: "heartbeat", type: "anything"),
                                          parameters: [("binfile", "/bin/sleep"), ("cmdline_options", "100")])
        let start = try #require(resource.invocation(.start, timeoutMilliseconds: 20_000))
        #expect(start.arguments == ["/usr/lib/ocf/resource.d/heartbeat/anything", "start"])
        #expect(start.environment["OCF_ROOT"] == "/usr/lib/ocf")
        #expect(start.environment["OCF_RESOURCE_INSTANCE"] == "web")
        #expect(start.environment["OCF_RESKEY_binfile"] == "/bin/sleep")
        #expect(start.environment["OCF_RESKEY_cmdline_options"] == "100")
        #expect(start.environment["OCF_RESKEY_CRM_meta_timeout"] == "20000")
        #expect(start.environment["OCF_RESKEY_CRM_meta_interval"] == nil)
        let probe = try #require(resource.invocation(.probe, timeoutMilliseconds: 1000))
        #expect(probe.arguments.last == "monitor")
        #expect(probe.environment["OCF_RESKEY_CRM_meta_interval"] == "0")
    }

    @Test func lsbAndExecInvocation() throws {
        let lsb = ResourceDefinition(name: "n", kind: .lsb(script: "nginx"))
        #expect(lsb.invocation(.start, timeoutMilliseconds: 1)?.arguments == ["/etc/init.d/nginx", "start"])
        #expect(lsb.invocation(.probe, timeoutMilliseconds: 1)?.arguments == ["/etc/init.d/nginx", "status"])
        let exec = ResourceDefinition(name: "x", kind: .exec(start: ["/a"], stop: ["/b"], monitor: nil))
        #expect(exec.invocation(.stop, timeoutMilliseconds: 1)?.arguments == ["/b"])
        #expect(exec.invocation(.monitor, timeoutMilliseconds: 1) == nil)
    }

    @Test(arguments: [
        (AgentAction.monitor, Int32(0), AgentResult.success),
        (.monitor, 7, .notRunning),
        (.probe, 7, .notRunning),
        (.stop, 7, .failed(reason: "exit 7 (not running)", hard: false)),
        (.start, 1, .failed(reason: "exit 1 (generic error)", hard: false)),
        (.start, 2, .failed(reason: "exit 2 (invalid argument)", hard: true)),
        (.start, 5, .failed(reason: "exit 5 (not installed)", hard: true)),
        (.monitor, 6, .fatal(reason: "exit 6 (not configured)")),
        (.monitor, 8, .success),
        (.monitor, 9, .failed(reason: "exit 9 (failed promoted)", hard: false)),
    ])
    func ocfExitCodes(action: AgentAction, code: Int32, expected: AgentResult) {
        let resource = ResourceDefinition(name: "r", kind: .ocf(provider: "p", type: "t"))
        #expect(resource.result(of: action, exitCode: code) == expected)
    }

    @Test(arguments: [
        (AgentAction.monitor, Int32(0), AgentResult.success),
        (.monitor, 3, .notRunning),
        (.monitor, 1, .failed(reason: "status 1 (dead, pid file remains)", hard: false)),
        (.probe, 2, .failed(reason: "status 2 (dead, lock file remains)", hard: false)),
        (.monitor, 4, .failed(reason: "status 4 (unknown)", hard: false)),
        (.stop, 1, .failed(reason: "exit 1", hard: false)),
    ])
    func lsbExitCodes(action: AgentAction, code: Int32, expected: AgentResult) {
        #expect(ResourceDefinition(name: "r", kind: .lsb(script: "s")).result(of: action, exitCode: code) == expected)
    }

    @Test func execExitCodes() {
        let exec = ResourceDefinition(name: "r", kind: .exec(start: ["/a"], stop: ["/b"], monitor: ["/c"]))
        #expect(exec.result(of: .monitor, exitCode: 1) == .notRunning)
        #expect(exec.result(of: .start, exitCode: 3) == .failed(reason: "exit 3", hard: false))
    }

    private func run(_ resource: ResourceDefinition, _ actions: [AgentAction], timeout: Int = 20_000) throws -> [AgentResult] {
        try runAgentActions(resource, actions, timeout: timeout)
    }

    private static let ocfAgents = "/usr/lib/ocf/resource.d/heartbeat"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ocfAgents + "/anything"), "needs resource-agents (scripts/setup)"))
    func realOCFAnything() throws {
        let pidfile = NSTemporaryDirectory() + "/halo-anything-\(getpid()).pid"
        let resource = ResourceDefinition(name: "sleeper", kind: .ocf(provider: "heartbeat", type: "anything"),
                                          parameters: [("binfile", "/bin/sleep"), ("cmdline_options", "300"), ("pidfile", pidfile)])
        #expect(try run(resource, [.probe, .start, .monitor, .start, .stop, .monitor, .stop]) ==
                [.notRunning, .success, .success, .success, .success, .notRunning, .success])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ocfAgents + "/Dummy"), "needs resource-agents (scripts/setup)"))
    func realOCFDummy() throws {
        let state = NSTemporaryDirectory() + "/halo-dummy-\(getpid()).state"
        let resource = ResourceDefinition(name: "dummy", kind: .ocf(provider: "heartbeat", type: "Dummy"), parameters: [("state", state)])
        #expect(try run(resource, [.probe, .start, .probe, .stop, .monitor]) == [.notRunning, .success, .success, .success, .notRunning])
    }

    @Test func ocfAgentSeesItsEnvironmentAndExit6IsFatal() throws {
        let root = NSTemporaryDirectory() + "/halo-ocf-\(getpid())"
        try FileManager.default.createDirectory(atPath: root + "/resource.d/test", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let script = """
        #!/bin/sh
        env | grep ^OCF_ | sort > \(root)/env.$1
        exit 6
        """
        try script.write(toFile: root + "/resource.d/test/fatal", atomically: true, encoding: .utf8)
        chmod(root + "/resource.d/test/fatal", 0o755)
        var resource = ResourceDefinition(name: "f", kind: .ocf(provider: "test", type: "fatal"), parameters: [("size", "10 GB")])
        resource.ocfRoot = root
        let results = try run(resource, [.start], timeout: 1500)
        #expect(results == [.fatal(reason: "exit 6 (not configured)")])
        let environment = try String(contentsOfFile: root + "/env.start", encoding: .utf8)
        #expect(environment.contains("OCF_RESKEY_size=10 GB\n"))
        #expect(environment.contains("OCF_RESKEY_CRM_meta_timeout=1500\n"))
        #expect(environment.contains("OCF_RESOURCE_INSTANCE=f\n"))
        #expect(environment.contains("OCF_ROOT=\(root)\n"))
    }

    @Test func missingOCFAgentIsHardOnStartAndNotRunningOnProbe() throws {
        let resource = ResourceDefinition(name: "none", kind: .ocf(provider: "nobody", type: "nothing"))
        let results = try run(resource, [.probe, .start])
        #expect(results.first == .notRunning)
        guard case .failed(_, hard: true) = results.last else { Issue.record("expected hard failure, got \(results)"); return }
    }

    @Test func lsbScriptFromAnInitDirectory() throws {
        let directory = NSTemporaryDirectory() + "/halo-init-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = """
        #!/bin/sh
        case "$1" in
          start) touch \(directory)/on ;;
          stop) rm -f \(directory)/on ;;
          status) test -e \(directory)/on || exit 3 ;;
        esac
        """
        try script.write(toFile: directory + "/svc", atomically: true, encoding: .utf8)
        chmod(directory + "/svc", 0o755)
        var resource = ResourceDefinition(name: "svc", kind: .lsb(script: "svc"))
        resource.initDirectory = directory
        #expect(try run(resource, [.probe, .start, .monitor, .stop, .monitor]) == [.notRunning, .success, .success, .success, .notRunning])
    }

    @Test func execMonitorTimeoutIsReported() throws {
        let resource = ResourceDefinition(name: "slow", kind: .exec(start: ["/bin/true"], stop: ["/bin/true"], monitor: ["/bin/sleep", "10"]))
        #expect(try run(resource, [.monitor], timeout: 200) == [.timedOut])
    }
}
