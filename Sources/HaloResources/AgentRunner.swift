import HaloLinux

/// Runs one agent action through the shared `ProcessRunner` and reports a
/// judged `AgentResult` on the loop. Resource agents run as root (they mount,
/// start services, add addresses), never as the script user.
public final class AgentRunner {
    public let processes: ProcessRunner
    private let builtinContext: BuiltinAgentContext
    /// Built-in agents by resource name, made on first use and kept (some remember state between actions).
    private var builtins: [String: BuiltinAgent] = [:]

    public init(processes: ProcessRunner, netlink: NetlinkSocket? = nil, log: @escaping (String) -> Void = { _ in }) {
        self.processes = processes
        builtinContext = BuiltinAgentContext(processes: processes, netlink: netlink, log: log)
    }

    /// Starts `action` for `resource`; `completion` gets the result and how long the agent ran.
    /// A resource that cannot run the action (exec without monitor) reports not running at once.
    public func run(_ resource: ResourceDefinition, _ action: AgentAction, timeoutMilliseconds: Int,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        if case .builtin(let name) = resource.kind {
            runBuiltin(name: name, resource, action, timeoutMilliseconds: timeoutMilliseconds, completion: completion)
            return
        }
        if let reason = resource.systemdUnavailableReason {
            builtinContext.finish(resource.systemdUnavailableResult(action, reason: reason), nil, completion)
            return
        }
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

    private func runBuiltin(name: String, _ resource: ResourceDefinition, _ action: AgentAction, timeoutMilliseconds: Int,
                            completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let agent: BuiltinAgent
        if let made = builtins[resource.name] {
            agent = made
        } else {
            do {
                let parameters = Dictionary(resource.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
                agent = try BuiltinAgents.make(name: name, parameters: parameters)
                builtins[resource.name] = agent
            } catch {
                // OCF's "not configured": no node can run it until the configuration changes.
                let result: AgentResult = action == .probe || action == .monitor ? .notRunning : .fatal(reason: "\(error)")
                builtinContext.finish(result, nil, completion)
                return
            }
        }
        agent.run(action, timeoutMilliseconds: timeoutMilliseconds, context: builtinContext, completion: completion)
    }

    static func judge(_ resource: ResourceDefinition, _ action: AgentAction, _ outcome: ProcessOutcome) -> AgentResult {
        if outcome.timedOut { return .timedOut }
        switch outcome.termination {
        case .signaled(let signal): return .failed(reason: "killed by signal \(signal)", hard: false)
        case .exited(let code):
            let result = resource.result(of: action, exitCode: code, output: outcome.output)
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
