/// What one agent action reported, already judged: the planner never sees exit
/// codes, only these.
public enum AgentResult: Hashable, Sendable, CustomStringConvertible {
    /// start/stop done, or monitor/probe: running.
    case success
    /// monitor/probe: cleanly not running (OCF 7, LSB status 3).
    case notRunning
    /// Failed; `hard` failures (OCF 1-5 on start) are not worth restarting in place.
    case failed(reason: String, hard: Bool)
    /// OCF 6 (not configured): no node can run this until the config changes.
    case fatal(reason: String)
    /// The action outran its timeout and its process group was stopped.
    case timedOut

    public var description: String {
        switch self {
        case .success: "ok"
        case .notRunning: "not running"
        case .failed(let reason, let hard): "\(hard ? "hard " : "")failure: \(reason)"
        case .fatal(let reason): "fatal: \(reason)"
        case .timedOut: "timed out"
        }
    }
}

/// The actions a group runs on an agent.
public enum AgentAction: String, Hashable, Sendable, CaseIterable {
    case start, stop, monitor
    /// A one-off monitor to learn the state (at daemon start, after a start).
    case probe
}
