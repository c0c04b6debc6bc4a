import HaloLinux
import Logging

/// Delays between restarts of a process that keeps exiting: 1 s, doubling up
/// to 30 s, so a reader that fails at once does not spin; a run that lasted
/// 30 s or more counts as healthy and the next restart waits 1 s again.
struct RestartBackoff: Equatable, Sendable {
    static let shortest: Int64 = 1_000_000_000
    static let longest: Int64 = 30_000_000_000
    private(set) var next = shortest

    /// The wait before the next start, after a run that lasted `ran` nanoseconds.
    mutating func delay(afterRunning ran: Int64) -> Int64 {
        if ran >= Self.longest { next = Self.shortest }
        let delay = next
        next = min(next * 2, Self.longest)
        return delay
    }
}

/// `notify_fifo_script`: the FIFO's reader, started with the FIFO path
/// appended. keepalived starts it once and only logs "notify fifo script
/// terminated" when it ends, after which state changes fill the FIFO unread;
/// Halo restarts it with `RestartBackoff`. Loop thread only.
final class FIFOScriptRunner {
    private let arguments: [String]
    private let runner: ProcessRunner
    private let credentials: ProcessCredentials?
    private let logger: Logger
    private var backoff = RestartBackoff()
    private var restartTimer: LoopTimer?
    private var stopped = false
    private(set) var starts = 0

    init(arguments: [String], runner: ProcessRunner, credentials: ProcessCredentials?, logger: Logger) {
        self.arguments = arguments
        self.runner = runner
        self.credentials = credentials
        self.logger = logger
    }

    private var name: String { arguments.first ?? "" }

    func start() {
        guard !stopped else { return }
        restartTimer = nil
        starts += 1
        let startedAt = MonotonicClock.nanoseconds()
        do {
            try runner.start(ProcessSpec(arguments: arguments, credentials: credentials)) { [unowned self] outcome in
                restart(after: "ended: \(outcome)", ranFor: MonotonicClock.nanoseconds() - startedAt)
            }
        } catch {
            restart(after: "cannot run: \(error)", ranFor: 0)
        }
    }

    /// No restart from now on (the engine is exiting and kills what is left).
    func stop() {
        stopped = true
        if let restartTimer { runner.loop.cancel(restartTimer) }
        restartTimer = nil
    }

    private func restart(after what: String, ranFor nanoseconds: Int64) {
        guard !stopped else { return }
        let delay = backoff.delay(afterRunning: nanoseconds)
        logger.warning("notify_fifo_script \(name) \(what); restarting it in \(delay / 1_000_000) ms")
        restartTimer = runner.loop.schedule(at: MonotonicClock.nanoseconds() + delay) { [unowned self] in start() }
    }
}
