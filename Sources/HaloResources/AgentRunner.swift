import HaloLinux

/// Runs one agent action through the shared `ProcessRunner` and reports a
/// judged `AgentResult` on the loop. Resource agents run as root (they mount,
/// start services, add addresses), never as the script user.
public final class AgentRunner {
    public let processes: ProcessRunner

    public init(processes: ProcessRunner) { self.processes = processes }

    /// Starts `action` for `resource`; `completion` gets the result and how long the agent ran.
    /// A resource that cannot run the action (exec without monitor) reports not running at once.
    public func run(_ resource: ResourceDefinition, _ action: AgentAction, timeoutMilliseconds: Int,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        guard let invocation = resource.invocation(action, timeoutMilliseconds: timeoutMilliseconds) else {
            _ = processes.loop.schedule(at: MonotonicClock.nanoseconds()) { completion(.notRunning, nil) }
            return
        }
        let spec = ProcessSpec(arguments: invocation.arguments, timeoutNanoseconds: Int64(timeoutMilliseconds) * 1_000_000,
                               environment: invocation.environment)
        do {
            try processes.start(spec) { outcome in
                completion(Self.judge(resource, action, outcome), outcome)
            }
        } catch {
            // Missing agent: OCF's "not installed"; a probe of a missing agent is simply "not running".
            let result: AgentResult = action == .probe || action == .monitor && resource.isScriptAgent
                ? .notRunning : .failed(reason: "\(error)", hard: true)
            _ = processes.loop.schedule(at: MonotonicClock.nanoseconds()) { completion(result, nil) }
        }
    }

    static func judge(_ resource: ResourceDefinition, _ action: AgentAction, _ outcome: ProcessOutcome) -> AgentResult {
        if outcome.timedOut { return .timedOut }
        switch outcome.termination {
        case .signaled(let signal): return .failed(reason: "killed by signal \(signal)", hard: false)
        case .exited(let code):
            let result = resource.result(of: action, exitCode: code)
            guard case .failed(let reason, let hard) = result, !outcome.lastOutputLine.isEmpty else { return result }
            return .failed(reason: "\(reason): \(outcome.lastOutputLine)", hard: hard)
        }
    }
}

extension ResourceDefinition {
    var isScriptAgent: Bool {
        if case .exec = kind { return false }
        return true
    }
}
