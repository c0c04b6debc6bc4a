import HaloLinux

/// `builtin:mogilefsd`: a MogileFS tracker. mogilefsd writes no pid file, so
/// dpkg's start-stop-daemon starts it in the background with one and stops it
/// by it (TERM, then KILL); running means the tracker answers `noop` with `OK`.
public final class BuiltinMogileFSAgent: BuiltinAgent {
    public let program: String
    public let config: String
    public let user: String
    public let pidFile: String
    public let probe: ServiceProbe

    public init(parameters: [String: String]) throws {
        let parameters = BuiltinAgentParameters(agent: "mogilefsd", parameters)
        config = try parameters.required("config")
        program = parameters.value("program", default: "mogilefsd")
        user = parameters.value("user", default: "mogile")
        pidFile = parameters.value("pid_file", default: "/run/mogilefsd-halo.pid")
        let port = try parameters.integer("port", default: 7001, in: 1...65535)
        probe = ServiceProbe(.tcp(host: parameters.value("host", default: "127.0.0.1"), port: port),
                             request: Array("noop\r\n".utf8), judge: ServiceProbe.judgeFirstLine(startsWith: "OK"))
    }

    /// MogileFS is not packaged in Debian: say where it comes from.
    var notInstalled: AgentResult {
        .failed(reason: "\(program) not installed (MogileFS::Server from CPAN; Debian has no package)", hard: true)
    }

    public func run(_ action: AgentAction, timeoutMilliseconds: Int, context: BuiltinAgentContext,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let deadline = AgentDeadline(milliseconds: timeoutMilliseconds)
        switch action {
        case .start:
            guard let path = BuiltinAgentContext.locate(program) else { return context.finish(notInstalled, nil, completion) }
            if AgentFiles.pids(in: pidFile).contains(where: AgentFiles.isAlive) {
                return answersNoop(deadline: deadline, context: context, completion: completion)
            }
            let start = AgentCommand(["start-stop-daemon", "--start", "--background", "--make-pidfile", "--pidfile", pidFile,
                                      "--exec", path, "--", "--config=\(config)", "--user=\(user)"], package: "dpkg")
            context.runInOrder([start], until: deadline) { [self] result, outcome in
                guard result == .success else { return completion(result, outcome) }
                answersNoop(deadline: deadline, context: context) { result, _ in completion(result, outcome) }
            }
        case .stop:
            // Exit 1: nothing was running, which is what stop wants.
            let stop = AgentCommand(["start-stop-daemon", "--stop", "--pidfile", pidFile, "--remove-pidfile",
                                     "--retry", "TERM/10/KILL/5"], accepting: [0, 1], package: "dpkg")
            context.runInOrder([stop], until: deadline, completion: completion)
        case .monitor, .probe:
            guard AgentFiles.pids(in: pidFile).contains(where: AgentFiles.isAlive) else {
                return context.finish(.notRunning, nil, completion)
            }
            probe.run(on: context.loop, timeoutMilliseconds: min(timeoutMilliseconds, 10_000)) { problem in
                completion(problem.map { .failed(reason: $0, hard: false) } ?? .success, nil)
            }
        }
    }

    /// The tracker forks before it listens: ask `noop` until OK or the start's time is up.
    private func answersNoop(deadline: AgentDeadline, context: BuiltinAgentContext,
                             completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        probe.run(on: context.loop, timeoutMilliseconds: 2000) { [self] problem in
            guard let problem else { return completion(.success, nil) }
            guard deadline.remainingNanoseconds > 300_000_000, AgentFiles.pids(in: pidFile).contains(where: AgentFiles.isAlive) else {
                return completion(.failed(reason: "tracker not answering noop: \(problem)", hard: false), nil)
            }
            context.after(nanoseconds: 250_000_000) { self.answersNoop(deadline: deadline, context: context, completion: completion) }
        }
    }
}
