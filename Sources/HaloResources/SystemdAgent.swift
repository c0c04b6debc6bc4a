#if canImport(Glibc)
import Glibc
#endif

/// `systemd:UNIT`: `systemctl start|stop UNIT`, monitored with `systemctl is-active UNIT`,
/// whose printed state is read as Pacemaker's systemd class reads it.
extension ResourceDefinition {
    static func systemctlArguments(_ action: AgentAction, unit: String) -> [String] {
        switch action {
        case .start: ["systemctl", "start", unit]
        case .stop: ["systemctl", "stop", unit]
        case .monitor, .probe: ["systemctl", "is-active", unit]
        }
    }

    static func systemdResult(_ action: AgentAction, _ code: Int32, output: String) -> AgentResult {
        switch action {
        case .start, .stop:
            // The runner adds systemctl's last output line to the reason.
            return code == 0 ? .success : .failed(reason: "systemctl \(action.rawValue) exit \(code)", hard: false)
        case .monitor, .probe:
            return systemdState(output)
        }
    }

    /// `is-active` prints one state word. Pacemaker: active and reloading are running;
    /// activating/deactivating are pending (here: a soft failure, retried by the monitor);
    /// inactive, failed and anything else are not running.
    static func systemdState(_ output: String) -> AgentResult {
        let state = output.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        switch state {
        case "active", "reloading": return .success
        case "activating", "deactivating": return .failed(reason: "unit is \(state)", hard: false)
        default: return .notRunning
        }
    }

    /// Why a systemd unit cannot be driven here, or nil when systemd runs this host.
    public var systemdUnavailableReason: String? {
        guard case .systemd(let unit) = kind, access(systemdRuntimeDirectory, F_OK) != 0 else { return nil }
        return "systemd is not running on this host (\(systemdRuntimeDirectory) is absent): cannot drive systemd:\(unit)"
    }

    /// What an action reports when systemd does not run: nothing can be started, so a
    /// start is fatal on this node; a unit that cannot run is stopped and not running.
    func systemdUnavailableResult(_ action: AgentAction, reason: String) -> AgentResult {
        switch action {
        case .start: .fatal(reason: reason)
        case .stop: .success
        case .monitor, .probe: .notRunning
        }
    }
}
