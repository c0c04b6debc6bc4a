import Glibc
import HaloLinux

/// `builtin:haproxy`: every start checks the configuration with `haproxy -c`
/// first and refuses, with haproxy's own message, when it is invalid; a start
/// while haproxy runs is a reload (`-sf` hands the listeners over, the old
/// processes finish their connections). Running means the stats socket answers
/// `show info`, or, without one, the frontend port accepts.
public final class BuiltinHAProxyAgent: BuiltinAgent {
    public let config: String
    public let pidFile: String
    public let probe: ServiceProbe
    /// The haproxy executable (tests name a missing one).
    public var program = "haproxy"

    public init(parameters: [String: String]) throws {
        let parameters = BuiltinAgentParameters(agent: "haproxy", parameters)
        config = try parameters.required("config")
        pidFile = parameters.value("pid_file", default: "/run/haproxy-halo.pid")
        if let socket = parameters.values["stats_socket"] {
            probe = ServiceProbe(.unix(path: socket), request: Array("show info\n".utf8), judge: ServiceProbe.judgeHAProxyInfo)
        } else {
            let port = try parameters.integer("port", default: 0, in: 1...65535)
            probe = ServiceProbe(.tcp(host: parameters.value("host", default: "127.0.0.1"), port: port))
        }
    }

    private var runningPids: [pid_t] { AgentFiles.pids(in: pidFile).filter(AgentFiles.isAlive) }

    public func run(_ action: AgentAction, timeoutMilliseconds: Int, context: BuiltinAgentContext,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let deadline = AgentDeadline(milliseconds: timeoutMilliseconds)
        switch action {
        case .start: checkThenStart(deadline: deadline, context: context, completion: completion)
        case .stop: stop(deadline: deadline, context: context, completion: completion)
        case .monitor, .probe:
            guard !runningPids.isEmpty else { return context.finish(.notRunning, nil, completion) }
            probe.run(on: context.loop, timeoutMilliseconds: min(timeoutMilliseconds, 10_000)) { problem in
                completion(problem.map { .failed(reason: $0, hard: false) } ?? .success, nil)
            }
        }
    }

    private func checkThenStart(deadline: AgentDeadline, context: BuiltinAgentContext,
                                completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let check = AgentCommand([program, "-c", "-f", config], package: "haproxy")
        context.run(check, until: deadline) { [self] run in
            switch run {
            case .notRun(let result): return completion(result, nil)
            case .ran(let outcome) where !outcome.succeeded:
                let reason = outcome.timedOut ? "timed out" : Self.alert(in: outcome.output)
                context.log("haproxy: refusing to start with \(config): \(reason)")
                return completion(.failed(reason: "haproxy -c \(config): \(reason)", hard: true), outcome)
            case .ran:
                let old = runningPids
                var launch = [program, "-D", "-f", config, "-p", pidFile]
                if !old.isEmpty {
                    context.log("haproxy: reloading (-sf \(old.map(String.init).joined(separator: " ")))")
                    launch += ["-sf"] + old.map(String.init)
                }
                context.runInOrder([AgentCommand(launch, package: "haproxy")], until: deadline) { result, outcome in
                    guard result == .success else { return completion(result, outcome) }
                    self.awaitAnswer(deadline: deadline, context: context) { completion($0, outcome) }
                }
            }
        }
    }

    /// haproxy's first ALERT line (the reason), else its last line.
    static func alert(in output: String) -> String {
        let lines = output.split(whereSeparator: \.isNewline).map(String.init)
        return lines.first { $0.contains("[ALERT]") && !$0.contains("Fatal errors found") } ?? lines.last ?? "invalid configuration"
    }

    private func awaitAnswer(deadline: AgentDeadline, context: BuiltinAgentContext, completion: @escaping (AgentResult) -> Void) {
        probe.run(on: context.loop, timeoutMilliseconds: 2000) { [self] problem in
            guard let problem else { return completion(.success) }
            guard deadline.remainingNanoseconds > 300_000_000 else {
                return completion(.failed(reason: "haproxy started but does not answer: \(problem)", hard: false))
            }
            context.after(nanoseconds: 200_000_000) { self.awaitAnswer(deadline: deadline, context: context, completion: completion) }
        }
    }

    /// SIGTERM to every process in the pid file (haproxy's hard stop), SIGKILL
    /// to those left when little time remains; done once none is alive.
    private func stop(deadline: AgentDeadline, context: BuiltinAgentContext, completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let pids = runningPids
        pids.forEach { kill($0, SIGTERM) }
        let killAt = AgentDeadline(milliseconds: Int(max(deadline.remainingNanoseconds / 2_000_000, 100)))
        var killed = false
        context.poll(every: 100_000_000, until: deadline, { [pidFile] in
            if !killed && killAt.hasPassed { killed = true; pids.filter(AgentFiles.isAlive).forEach { kill($0, SIGKILL) } }
            return !pids.contains(where: AgentFiles.isAlive) && !AgentFiles.pids(in: pidFile).contains(where: AgentFiles.isAlive)
        }) { [pidFile] stopped in
            if stopped { unlink(pidFile) }
            completion(stopped ? .success : .failed(reason: "haproxy processes \(pids) still alive", hard: false), nil)
        }
    }
}
