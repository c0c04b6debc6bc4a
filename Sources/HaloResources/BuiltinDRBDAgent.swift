import HaloLinux

/// `builtin:drbd`, heartbeat's drbddisk: `drbdadm primary RES` on start and
/// `drbdadm secondary RES` on stop, each tried up to `attempts` times 1 s apart
/// (the peer may still hold the resource while it demotes); monitor reads
/// `drbdadm role RES` (8.4 prints "Primary/Secondary", 9 prints "Primary").
public final class BuiltinDRBDAgent: BuiltinAgent {
    public let resource: String
    public let attempts: Int
    public let drbdadm: String
    /// Pause between attempts (drbddisk's `sleep 1`).
    public var retryPauseNanoseconds: Int64 = 1_000_000_000

    public init(parameters: [String: String]) throws {
        let parameters = BuiltinAgentParameters(agent: "drbd", parameters)
        resource = try parameters.required("resource")
        attempts = try parameters.integer("attempts", default: 6, in: 1...100)
        drbdadm = parameters.value("drbdadm", default: "drbdadm")
    }

    private func command(_ verb: String) -> AgentCommand {
        AgentCommand([drbdadm, verb, resource], package: "drbd-utils")
    }

    public func run(_ action: AgentAction, timeoutMilliseconds: Int, context: BuiltinAgentContext,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let deadline = AgentDeadline(milliseconds: timeoutMilliseconds)
        switch action {
        case .start: change(to: "primary", attempt: 1, deadline: deadline, context: context, completion: completion)
        case .stop: change(to: "secondary", attempt: 1, deadline: deadline, context: context, completion: completion)
        case .monitor, .probe: role(action, deadline: deadline, context: context, completion: completion)
        }
    }

    private func change(to role: String, attempt: Int, deadline: AgentDeadline, context: BuiltinAgentContext,
                        completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let command = command(role)
        context.run(command, until: deadline) { [self] run in
            guard case .ran(let outcome) = run else {
                if case .notRun(let result) = run { completion(result, nil) }
                return
            }
            let result = command.judge(outcome)
            if result == .success || result == .timedOut { return completion(result, outcome) }
            guard attempt < attempts, deadline.remainingNanoseconds > retryPauseNanoseconds else {
                context.log("drbdadm \(role) \(resource) failed \(attempt) time(s), giving up: \(result)")
                return completion(result, outcome)
            }
            context.log("drbdadm \(role) \(resource) failed (attempt \(attempt) of \(attempts)), retrying in 1 s: \(AgentCommand.lastLines(of: outcome))")
            context.after(nanoseconds: retryPauseNanoseconds) {
                self.change(to: role, attempt: attempt + 1, deadline: deadline, context: context, completion: completion)
            }
        }
    }

    private func role(_ action: AgentAction, deadline: AgentDeadline, context: BuiltinAgentContext,
                      completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        context.run(command("role"), until: deadline) { [resource] run in
            switch run {
            case .notRun(let result):
                // Without drbd-utils nothing can be Primary here: a probe says not running.
                completion(action == .probe && result != .timedOut ? .notRunning : result, nil)
            case .ran(let outcome):
                let judged = AgentCommand(["drbdadm", "role", resource]).judge(outcome)
                guard judged == .success else { return completion(judged, outcome) }
                let local = outcome.lastOutputLine.split(separator: "/").first.map(String.init) ?? ""
                switch local {
                case "Primary": completion(.success, outcome)
                case "Secondary": completion(.notRunning, outcome)
                default: completion(.failed(reason: "drbdadm role \(resource) says '\(outcome.lastOutputLine)'", hard: false), outcome)
                }
            }
        }
    }
}
