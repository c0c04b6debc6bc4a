import Glibc
import HaloLinux
import Logging

/// Runs notify hooks and feeds the notify FIFO. keepalived fires hooks and
/// forgets them (they may run concurrently and out of order); Halo keeps one
/// queue per instance or sync group: hooks run in event order, one at a time,
/// each killed with its process group when it passes its timeout, and each
/// result logged. Loop thread only.
final class Notifier {
    /// `INSTANCE` or `GROUP`, as keepalived spells them.
    enum Kind: String {
        case instance = "INSTANCE"
        case group = "GROUP"
    }

    private let runner: ProcessRunner
    private let settings: HookSettings
    private let credentials: ProcessCredentials?
    private let logger: Logger
    private var queues: [String: HookQueue] = [:]
    private var fifo: NotifyFIFOWriter?
    private var idleWaiters: [() -> Void] = []

    init(runner: ProcessRunner, settings: HookSettings, credentials: ProcessCredentials?, logger: Logger) {
        self.runner = runner
        self.settings = settings
        self.credentials = credentials
        self.logger = logger
    }

    /// Opens the FIFO (creating it) and starts `notify_fifo_script` on it.
    func start() {
        guard let path = settings.fifoPath else { return }
        do {
            fifo = try NotifyFIFOWriter(path: path)
        } catch {
            logger.error("notify_fifo \(path): \(error)")
            return
        }
        guard let script = settings.fifoScript else { return }
        do {
            try runner.start(ProcessSpec(arguments: script + [path], credentials: credentials)) { [logger] outcome in
                logger.warning("notify_fifo_script \(script.first ?? "") ended: \(outcome)")
            }
        } catch {
            logger.error("notify_fifo_script: cannot run: \(error)")
        }
    }

    /// A state change of an instance or group: the FIFO line at once, then the
    /// specific hook and the generic one, queued behind earlier hooks of the same owner.
    func stateChanged(_ kind: Kind, name: String, notify: NotifySpec, state: String, priority: Int) {
        fifo?.write("\(kind.rawValue) \"\(name)\" \(state) \(priority)\n", logger: logger)
        let specific: [String]? = switch state {
        case "MASTER": notify.master
        case "BACKUP": notify.backup
        case "FAULT": notify.fault
        case "STOP": notify.stop
        default: nil
        }
        let queue = queue(for: "\(kind.rawValue) \(name)", label: "(\(name))")
        if let specific { queue.enqueue(keyword: "notify_\(state.lowercased())", arguments: specific) }
        if let generic = notify.generic {
            queue.enqueue(keyword: "notify", arguments: generic + [kind.rawValue, name, state, String(priority)])
        }
    }

    private func queue(for key: String, label: String) -> HookQueue {
        if let queue = queues[key] { return queue }
        let queue = HookQueue(label: label, runner: runner, settings: settings, credentials: credentials, logger: logger)
        queue.onIdle = { [unowned self] in runIdleWaitersIfIdle() }
        queues[key] = queue
        return queue
    }

    var isIdle: Bool { queues.values.allSatisfy(\.isIdle) }

    /// Runs `action` once no hook is queued or running (at once if none is).
    func whenIdle(_ action: @escaping () -> Void) {
        idleWaiters.append(action)
        runIdleWaitersIfIdle()
    }

    private func runIdleWaitersIfIdle() {
        guard isIdle, !idleWaiters.isEmpty else { return }
        let waiters = idleWaiters
        idleWaiters.removeAll()
        waiters.forEach { $0() }
    }

    var hooksRun: Int { queues.values.reduce(0) { $0 + $1.completed } }
}

/// The hooks of one instance or group, run strictly one after another.
final class HookQueue {
    private let label: String
    private let runner: ProcessRunner
    private let settings: HookSettings
    private let credentials: ProcessCredentials?
    private let logger: Logger
    private var pending: [(keyword: String, arguments: [String])] = []
    private var current: RunningProcess?
    private(set) var completed = 0
    var onIdle: (() -> Void)?

    init(label: String, runner: ProcessRunner, settings: HookSettings, credentials: ProcessCredentials?, logger: Logger) {
        self.label = label
        self.runner = runner
        self.settings = settings
        self.credentials = credentials
        self.logger = logger
    }

    var isIdle: Bool { current == nil && pending.isEmpty }

    func enqueue(keyword: String, arguments: [String]) {
        pending.append((keyword, arguments))
        if current == nil { runNext() }
    }

    private func runNext() {
        while current == nil, !pending.isEmpty {
            let (keyword, arguments) = pending.removeFirst()
            let spec = ProcessSpec(arguments: arguments, credentials: credentials, timeoutNanoseconds: settings.notifyTimeoutNanoseconds)
            let command = arguments.joined(separator: " ")
            do {
                current = try runner.start(spec) { [unowned self] outcome in
                    current = nil
                    completed += 1
                    let milliseconds = outcome.durationNanoseconds / 1_000_000
                    let tail = outcome.output.isEmpty ? "" : "; output: \(outcome.output.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | "))"
                    let message = "\(label) \(keyword) \(command): \(outcome) in \(milliseconds) ms\(tail)"
                    if outcome.succeeded { logger.info("\(message)") } else { logger.warning("\(message)") }
                    runNext()
                }
            } catch {
                completed += 1
                logger.error("\(label) \(keyword) \(command): cannot run: \(error)")
            }
        }
        if isIdle { onIdle?() }
    }
}

/// `notify_fifo`: a named pipe receiving one line per state change. Opened
/// read-write and non-blocking so that neither a missing reader nor a slow one
/// can stop the engine: a line that does not fit is dropped and counted.
final class NotifyFIFOWriter {
    private let fd: Int32
    private(set) var dropped = 0

    init(path: String) throws {
        if mkfifo(path, 0o600) < 0 && errno != EEXIST { throw SystemError("mkfifo \(path)") }
        fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { throw SystemError("open \(path)") }
    }

    deinit { close(fd) }

    func write(_ line: String, logger: Logger) {
        var line = line
        let written = line.withUTF8 { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written != line.utf8.count {
            dropped += 1
            logger.warning("notify_fifo: line dropped (no room in the pipe; \(dropped) dropped so far): \(line.dropLast())")
        }
    }
}
