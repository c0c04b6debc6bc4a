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
    private var fifoReader: FIFOScriptRunner?
    private var idleWaiters: [() -> Void] = []

    init(runner: ProcessRunner, settings: HookSettings, credentials: ProcessCredentials?, logger: Logger) {
        self.runner = runner
        self.settings = settings
        self.credentials = credentials
        self.logger = logger
    }

    /// Opens the FIFO (creating it, owned by `notify_fifo`'s user and group) and
    /// starts `notify_fifo_script` on it.
    func start() {
        guard let path = settings.fifoPath else { return }
        let owner = settings.fifoOwner.flatMap { owner -> ProcessCredentials? in
            do {
                return try ProcessCredentials.resolve(user: owner.user, group: owner.group)
            } catch {
                logger.error("notify_fifo \(path) owner \(owner): \(error); the FIFO stays root's")
                return nil
            }
        }
        do {
            let writer = try NotifyFIFOWriter(path: path)
            if let owner, writer.created, let error = writer.give(to: owner) {
                logger.error("notify_fifo \(path): cannot give it to \(owner): \(error)")
            }
            fifo = writer
        } catch {
            logger.error("notify_fifo \(path): \(error)")
            return
        }
        guard let script = settings.fifoScript else { return }
        let reader = FIFOScriptRunner(arguments: script + [path], runner: runner, credentials: credentials, logger: logger)
        reader.start()
        fifoReader = reader
    }

    /// At exit: the FIFO reader is not restarted any more.
    func stopRestarting() { fifoReader?.stop() }

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
    let path: String
    /// Made by us, not found in place (only such a FIFO is given to `notify_fifo`'s owner, as keepalived does).
    let created: Bool
    private(set) var dropped = 0

    init(path: String) throws {
        self.path = path
        if mkfifo(path, 0o600) == 0 {
            created = true
        } else if errno == EEXIST {
            created = false
        } else {
            throw SystemError("mkfifo \(path)")
        }
        fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 { throw SystemError("open \(path)") }
    }

    /// `notify_fifo PATH USER [GROUP]`: the owner and group may read it (0640;
    /// keepalived makes it 0644, readable by everyone). nil when done.
    func give(to owner: ProcessCredentials) -> SystemError? {
        if fchown(fd, owner.uid, owner.gid) < 0 { return SystemError("fchown") }
        if fchmod(fd, 0o640) < 0 { return SystemError("fchmod") }
        return nil
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
