import Glibc
import HaloLinux

/// One external command a built-in agent runs, with how its exit is judged
/// and which Debian package provides it (for the "not installed" error).
public struct AgentCommand: Sendable {
    public var arguments: [String]
    /// Exit codes that count as success (fsck: 0 and 1; fuser: 0 and 1).
    public var acceptedExitCodes: Set<Int32>
    /// Named in the error when the program is missing, e.g. "drbd-utils".
    public var package: String?

    public init(_ arguments: [String], accepting acceptedExitCodes: Set<Int32> = [0], package: String? = nil) {
        self.arguments = arguments
        self.acceptedExitCodes = acceptedExitCodes
        self.package = package
    }

    public var program: String { arguments.first ?? "" }

    /// "drbdadm not installed (package drbd-utils)": the error for a program not found.
    public var notInstalledReason: String {
        "\(program) not installed" + (package.map { " (package \($0))" } ?? "")
    }

    /// Exit judged: success for an accepted code, else a failure naming the command and its last output line.
    public func judge(_ outcome: ProcessOutcome) -> AgentResult {
        if outcome.timedOut { return .timedOut }
        if case .exited(let code) = outcome.termination, acceptedExitCodes.contains(code) { return .success }
        let detail = Self.lastLines(of: outcome)
        return .failed(reason: "\(arguments.joined(separator: " ")): \(outcome)" + (detail.isEmpty ? "" : ": \(detail)"), hard: false)
    }

    /// The output's last two lines on one line: tools often say what went wrong
    /// just before a generic final line (drbdadm's "Command ... terminated").
    public static func lastLines(of outcome: ProcessOutcome) -> String {
        outcome.output.split(whereSeparator: \.isNewline).suffix(2).joined(separator: "; ")
    }
}

/// An absolute point on the monotonic clock shared by every step of one action,
/// so a sequence of commands (and the waits between them) never outruns the action's timeout.
public struct AgentDeadline: Sendable {
    public let nanoseconds: Int64

    public init(milliseconds: Int) {
        nanoseconds = MonotonicClock.nanoseconds() + Int64(milliseconds) * 1_000_000
    }

    public var remainingNanoseconds: Int64 { nanoseconds - MonotonicClock.nanoseconds() }
    public var hasPassed: Bool { remainingNanoseconds <= 0 }
}

/// How one command went: it ran (any exit), or it could not run at all.
public enum CommandRun {
    case ran(ProcessOutcome)
    /// Not started: program missing (hard failure naming the package) or the deadline already passed.
    case notRun(AgentResult)
}

extension BuiltinAgentContext {
    /// The environment agent commands see: a clean PATH, C locale.
    public static let commandEnvironment = ProcessSpec.cleanEnvironment

    /// Runs one command, bounded by what is left of `deadline`.
    public func run(_ command: AgentCommand, until deadline: AgentDeadline, completion: @escaping (CommandRun) -> Void) {
        let remaining = deadline.remainingNanoseconds
        guard remaining > 0 else {
            finishRun(.notRun(.timedOut), completion)
            return
        }
        let spec = ProcessSpec(arguments: command.arguments, timeoutNanoseconds: remaining, environment: Self.commandEnvironment)
        do {
            try processes.start(spec) { completion(.ran($0)) }
        } catch {
            finishRun(.notRun(.failed(reason: command.notInstalledReason, hard: true)), completion)
        }
    }

    /// Runs `commands` in order within one deadline; the first one whose exit is not
    /// accepted ends the sequence with its failure. Completes with the last outcome.
    public func runInOrder(_ commands: [AgentCommand], until deadline: AgentDeadline,
                           completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        func step(_ index: Int, _ last: ProcessOutcome?) {
            guard index < commands.count else {
                completion(.success, last)
                return
            }
            run(commands[index], until: deadline) { run in
                switch run {
                case .notRun(let result):
                    completion(result, last)
                case .ran(let outcome):
                    let result = commands[index].judge(outcome)
                    if result == .success { step(index + 1, outcome) } else { completion(result, outcome) }
                }
            }
        }
        step(0, nil)
    }

    /// Calls `body` after `nanoseconds` on the loop (the pause between retries).
    public func after(nanoseconds: Int64, _ body: @escaping () -> Void) {
        _ = loop.schedule(at: MonotonicClock.nanoseconds() + nanoseconds, body)
    }

    /// Polls `condition` every `interval` until it holds (true) or `deadline` passes (false).
    public func poll(every interval: Int64 = 200_000_000, until deadline: AgentDeadline,
                     _ condition: @escaping () -> Bool, completion: @escaping (Bool) -> Void) {
        if condition() {
            after(nanoseconds: 0) { completion(true) }
            return
        }
        guard deadline.remainingNanoseconds > interval else {
            after(nanoseconds: max(0, deadline.remainingNanoseconds)) { completion(condition()) }
            return
        }
        after(nanoseconds: interval) { poll(every: interval, until: deadline, condition, completion: completion) }
    }

    private func finishRun(_ run: CommandRun, _ completion: @escaping (CommandRun) -> Void) {
        _ = loop.schedule(at: MonotonicClock.nanoseconds()) { completion(run) }
    }

    /// The file `program` would run as (PATH lookup as the runner does), or nil when missing.
    public static func locate(_ program: String) -> String? {
        guard let path = try? ProcessSpec(arguments: [program], environment: commandEnvironment).resolvedProgram() else { return nil }
        return access(path, X_OK) == 0 ? path : nil
    }
}
