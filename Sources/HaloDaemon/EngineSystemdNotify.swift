import Glibc
import HaloLinux
import Logging
import VRRP

/// Tells systemd (Type=notify) what the engine is doing: READY=1 once it
/// runs, a STATUS= line naming every instance's state that changes with each
/// transition, WATCHDOG=1 pings while the loop turns, STOPPING=1 at shutdown.
///
/// The unit's main process is halo-supervisor (halod execs into it) and this
/// engine is its child, so the unit needs NotifyAccess=all; the supervisor
/// stays the main PID because it outlives an engine crash and is the process
/// that receives SIGTERM and SIGHUP (packaging/halod.service).
final class EngineSystemdNotifier {
    private let socket: SystemdNotifySocket
    private let logger: Logger
    private var lastStatus = ""
    private var sentStopping = false
    private var reportedFailure = false

    init(socket: SystemdNotifySocket, logger: Logger) {
        self.socket = socket
        self.logger = logger
    }

    func send(_ fields: [String]) {
        do {
            try socket.send(fields)
            reportedFailure = false
        } catch {
            // Once per run of failures: a gone service manager must not flood the log.
            if !reportedFailure { logger.warning("systemd notification \(fields.first ?? "") not sent: \(error)") }
            reportedFailure = true
        }
    }

    /// STATUS= only when the line differs from the last one sent; `extra` fields go first.
    func update(status: String, stopping: Bool, extra: [String] = []) {
        var fields = extra
        if stopping && !sentStopping {
            sentStopping = true
            fields.append("STOPPING=1")
        }
        if status != lastStatus {
            lastStatus = status
            fields.append("STATUS=\(status)")
        }
        if !fields.isEmpty { send(fields) }
    }

    /// Pings every `interval` from the loop: a wedged loop stops the pings and
    /// systemd restarts the unit (WatchdogSec=).
    func startWatchdog(on loop: EventLoop, every interval: Int64) {
        send(["WATCHDOG=1"])
        _ = loop.schedule(at: MonotonicClock.nanoseconds() + interval) { [weak self] in
            self?.startWatchdog(on: loop, every: interval)
        }
    }
}

extension Engine {
    /// Call once after `start()`. Does nothing unless systemd set NOTIFY_SOCKET.
    /// `supervisor`: halo-supervisor's pid, which WATCHDOG_PID names under the unit.
    public func startSystemdNotify(supervisor: Int32?) {
        var environment: [String: String] = [:]
        for name in SystemdNotifyEnvironment.variableNames {
            if let value = getenv(name) { environment[name] = String(cString: value) }
            // Scripts and agents already get a clean environment; this covers anything else spawned later.
            unsetenv(name)
        }
        let accepted = Set([getpid()] + (supervisor.map { [$0] } ?? []))
        guard let settings = SystemdNotifyEnvironment(environment, acceptedWatchdogPIDs: accepted) else { return }
        let socket: SystemdNotifySocket
        do {
            socket = try SystemdNotifySocket(address: settings.notifySocket)
        } catch {
            logger.warning("cannot notify systemd: \(error)")
            return
        }
        let notifier = EngineSystemdNotifier(socket: socket, logger: logger)
        systemdNotifier = notifier
        notifier.update(status: systemdStatusLine, stopping: false, extra: ["READY=1"])
        if let interval = settings.watchdogPingInterval {
            notifier.startWatchdog(on: loop, every: interval)
            logger.info("systemd watchdog: pinging every \(interval / 1_000_000) ms")
        }
        // Instances with no transition left at shutdown still tell systemd the engine is stopping.
        let stopped = onStopped
        onStopped = { [unowned self] in
            systemdStateChanged()
            stopped?()
        }
    }

    /// From `stateChanged`: a new STATUS= line (and STOPPING=1 once a shutdown began).
    func systemdStateChanged() {
        systemdNotifier?.update(status: systemdStatusLine, stopping: isStopping)
    }

    /// Around a reload: RELOADING=1 (with the monotonic time newer systemd asks for), then
    /// READY=1 once the new configuration is applied or refused, so `systemctl reload` waits for it.
    func systemdReloading() {
        systemdNotifier?.send(["RELOADING=1", "MONOTONIC_USEC=\(MonotonicClock.nanoseconds() / 1_000)"])
    }

    func systemdReloaded() {
        systemdNotifier?.update(status: systemdStatusLine, stopping: isStopping, extra: ["READY=1"])
    }

    /// "VI_1 MASTER, VI_2 BACKUP" in configuration order.
    var systemdStatusLine: String {
        let states = instances.map { "\($0.spec.name) \(Self.statusWord($0.state))" }
        let line = states.isEmpty ? "no instance running" : states.joined(separator: ", ")
        return isStopping ? "stopping: \(line)" : line
    }

    static func statusWord(_ state: RouterState) -> String {
        switch state {
        case .master: "MASTER"
        case .backup: "BACKUP"
        case .fault: "FAULT"
        case .initialize: "INIT"
        case .handingOff: "HANDING-OFF"
        }
    }
}
