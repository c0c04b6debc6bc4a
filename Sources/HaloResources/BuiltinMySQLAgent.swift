import HaloLinux

/// `builtin:mysql`: a MySQL-protocol service (MariaDB, MyCAT, haproxy in tcp
/// mode in front of them) started and stopped by the user's commands or an
/// init service; running means it sends the protocol's server greeting
/// (check_mysql's rule: a port that accepts but does not greet is not healthy).
public final class BuiltinMySQLAgent: BuiltinAgent {
    public let startCommand: AgentCommand
    public let stopCommand: AgentCommand
    public let probe: ServiceProbe
    /// How long one greeting may take inside a start's wait.
    private let greetingTimeoutMilliseconds = 2000

    public init(parameters: [String: String]) throws {
        let parameters = BuiltinAgentParameters(agent: "mysql", parameters)
        if let service = parameters.values["service"] {
            startCommand = AgentCommand(["service", service, "start"], package: "init-system-helpers")
            stopCommand = AgentCommand(["service", service, "stop"], package: "init-system-helpers")
        } else {
            let start = try parameters.required("start_command").split(separator: " ").map(String.init)
            let stop = try parameters.required("stop_command").split(separator: " ").map(String.init)
            startCommand = AgentCommand(start)
            stopCommand = AgentCommand(stop)
        }
        let port = try parameters.integer("port", default: 3306, in: 1...65535)
        probe = ServiceProbe(.tcp(host: parameters.value("host", default: "127.0.0.1"), port: port),
                             judge: ServiceProbe.judgeMySQLGreeting)
    }

    public func run(_ action: AgentAction, timeoutMilliseconds: Int, context: BuiltinAgentContext,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let deadline = AgentDeadline(milliseconds: timeoutMilliseconds)
        switch action {
        case .start:
            context.runInOrder([startCommand], until: deadline) { [self] result, outcome in
                guard result == .success else { return completion(result, outcome) }
                awaitGreeting(deadline: deadline, context: context) { completion($0, outcome) }
            }
        case .stop:
            context.runInOrder([stopCommand], until: deadline, completion: completion)
        case .monitor, .probe:
            probe.run(on: context.loop, timeoutMilliseconds: min(timeoutMilliseconds, 10_000)) { problem in
                completion(Self.judge(problem), nil)
            }
        }
    }

    /// A refused connection is a clean "not running"; anything else (silence, an ERR packet, not MySQL) a failure.
    static func judge(_ problem: ServiceProbe.Problem) -> AgentResult {
        guard let problem else { return .success }
        return problem.hasSuffix("Connection refused") ? .notRunning : .failed(reason: problem, hard: false)
    }

    /// Start commands return before the server listens: greet until it answers or the start's time is up.
    private func awaitGreeting(deadline: AgentDeadline, context: BuiltinAgentContext, completion: @escaping (AgentResult) -> Void) {
        let timeout = Int(min(Int64(greetingTimeoutMilliseconds), max(deadline.remainingNanoseconds / 1_000_000, 1)))
        probe.run(on: context.loop, timeoutMilliseconds: timeout) { [self] problem in
            guard let problem else { return completion(.success) }
            guard deadline.remainingNanoseconds > 300_000_000 else {
                return completion(.failed(reason: "started, but no MySQL greeting before the start timeout: \(problem)", hard: false))
            }
            context.after(nanoseconds: 250_000_000) { self.awaitGreeting(deadline: deadline, context: context, completion: completion) }
        }
    }
}
