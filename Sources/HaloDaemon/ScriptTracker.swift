import HaloLinux
import Logging

/// Runs one `vrrp_script` every `interval` on absolute deadlines (no drift),
/// each run limited to `timeout`, and keeps its rise/fall status. A run still
/// going when the next is due is not doubled up: that tick is skipped and
/// counted. Loop thread only.
final class ScriptTracker {
    let spec: ScriptSpec
    private(set) var health: ScriptHealth
    private(set) var runs = 0
    private(set) var skipped = 0
    private(set) var timeouts = 0
    /// Runs that counted as failed (exit status, signal, timeout, cannot start): for metrics.
    private(set) var failures = 0
    private let runner: ProcessRunner
    private let credentials: ProcessCredentials?
    private let logger: Logger
    private var running: RunningProcess?
    private var nextDeadline: Int64 = 0
    private var timer: LoopTimer?
    private var startFailureLogged = false
    /// Called after the status changed (up, down), with a one-line cause.
    var onStatusChange: ((ScriptTracker, String) -> Void)?

    init(spec: ScriptSpec, runner: ProcessRunner, credentials: ProcessCredentials?, logger: Logger) {
        self.spec = spec
        self.runner = runner
        self.credentials = credentials
        self.logger = logger
        health = ScriptHealth(rise: spec.rise, fall: spec.fall, initiallyFailed: spec.initiallyFailed)
    }

    private var loop: EventLoop { runner.loop }

    /// A run is going now (the dumps' "State = running").
    var isRunning: Bool { running != nil }

    /// First run after `delay` (the engine spreads many scripts' starts so their
    /// spawns do not all land in one loop iteration), then every interval.
    func start(after delay: Int64) {
        nextDeadline = MonotonicClock.nanoseconds() + min(delay, spec.intervalNanoseconds / 2)
        timer = loop.schedule(at: nextDeadline) { [unowned self] in tick() }
    }

    func stop() {
        if let timer { loop.cancel(timer) }
        timer = nil
        running?.terminate()
    }

    private func tick() {
        if running != nil {
            skipped += 1
            // The first skip says why; later ones only count (the summary at stop has the total).
            if skipped == 1 {
                logger.warning("Script \(spec.name): still running after its \(spec.intervalNanoseconds / 1_000_000) ms interval; skipping this run (counted)")
            }
        } else {
            launch()
        }
        let now = MonotonicClock.nanoseconds()
        nextDeadline += spec.intervalNanoseconds
        // After a stall longer than an interval, resume from now rather than firing a burst.
        if nextDeadline <= now { nextDeadline = now + spec.intervalNanoseconds }
        timer = loop.schedule(at: nextDeadline) { [unowned self] in tick() }
    }

    private func launch() {
        var process = ProcessSpec(arguments: spec.arguments, credentials: credentials, timeoutNanoseconds: spec.timeoutNanoseconds)
        process.outputLimit = 1024
        do {
            let started = try runner.start(process) { [unowned self] outcome in
                running = nil
                runs += 1
                // A timed-out run was counted when its timeout passed.
                if !outcome.timedOut { record(success: outcome.succeeded, detail: Self.detail(outcome)) }
            }
            started.onTimeout = { [unowned self] in
                timeouts += 1
                record(success: false, detail: "timed out after \(spec.timeoutNanoseconds / 1_000_000) ms")
            }
            running = started
        } catch {
            if !startFailureLogged {
                logger.error("Script \(spec.name): cannot run: \(error)")
                startFailureLogged = true
            }
            runs += 1
            record(success: false, detail: "cannot run: \(error)")
        }
    }

    private func record(success: Bool, detail: String) {
        if !success { failures += 1 }
        guard health.record(success: success) else { return }
        let cause = "script \(spec.name) \(health.status) (\(detail))"
        logger.info("Script \(spec.name) is now \(health.status == .up ? "up" : "down"): \(detail)")
        onStatusChange?(self, cause)
    }

    private static func detail(_ outcome: ProcessOutcome) -> String {
        let line = outcome.lastOutputLine
        return line.isEmpty ? outcome.description : "\(outcome.description): \(line)"
    }

    var summary: String {
        "Script \(spec.name): \(health.status), \(runs) runs, \(timeouts) timed out, \(skipped) skipped while still running"
    }
}
