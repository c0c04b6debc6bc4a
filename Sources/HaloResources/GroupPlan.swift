/// The events a group planner takes and the actions it asks for.
public enum GroupEvent: Hashable, Sendable {
    /// Probe every resource (daemon start): running ones are adopted.
    case probeAll
    /// The followed instance or sync group became MASTER.
    case promote
    /// It left MASTER (or must not run the group): stop in reverse.
    case demote
    /// An action asked for by `GroupCommand.run` finished.
    case finished(resource: Int, action: AgentAction, result: AgentResult)
    /// The fencing command for a resource finished.
    case fenceFinished(resource: Int, succeeded: Bool)
    /// A started resource's monitor interval passed.
    case monitorDue(resource: Int)
    /// The operator (or failure_timeout) clears failures: promotion allowed again.
    case cleanup
    /// The operator clears one resource's failures; the group's refusal goes
    /// once no resource has a failure left.
    case cleanupResource(Int)
    /// The operator restarts a running resource in place: it and those after
    /// it stop in reverse, then start again in order; the VIPs stay.
    case restart(resource: Int)
}

public enum GroupCommand: Hashable, Sendable, CustomStringConvertible {
    case run(resource: Int, action: AgentAction)
    case addVIPs
    case removeVIPs
    /// Run the fencing command because this resource's stop failed for good.
    case fence(resource: Int)
    /// Every resource started and probed: the group is up.
    case groupStarted
    /// Every resource (and the VIPs, when the group holds them) is down.
    case groupStopped
    /// Give up mastership here (raise a fault): a start failed and was rolled
    /// back, the migration threshold was reached, or a stop failure blocks.
    case failOver(reason: String)

    public var description: String {
        switch self {
        case .run(let resource, let action): "\(action) #\(resource)"
        case .addVIPs: "add VIPs"
        case .removeVIPs: "remove VIPs"
        case .fence(let resource): "fence #\(resource)"
        case .groupStarted: "group started"
        case .groupStopped: "group stopped"
        case .failOver(let reason): "fail over (\(reason))"
        }
    }
}

/// Where a resource stands, as far as the planner knows.
public enum ResourceState: String, Hashable, Sendable {
    /// Not probed yet.
    case unknown
    case stopped
    case starting
    /// Start succeeded; the confirming probe is running.
    case confirming
    case started
    case stopping
    /// A stop failed for good under `block`: left alone, promotion refused.
    case blocked
    case fencing
}

/// Per-resource bookkeeping kept for the operator: fail counts, last error, timings.
public struct ResourceRecord: Hashable, Sendable {
    public var name: String
    public var state: ResourceState = .unknown
    /// Monitor failures inside the failure window (timestamps, nanoseconds).
    public var failureTimes: [Int64] = []
    public var totalFailures = 0
    public var lastError: String?
    /// How long the last run of each action took, in nanoseconds.
    public var lastDuration: [AgentAction: Int64] = [:]
    /// When the last run of each action finished (monotonic nanoseconds).
    public var lastFinished: [AgentAction: Int64] = [:]
    /// Failed stop attempts of the current stop.
    var stopAttempts = 0

    public init(name: String) { self.name = name }

    public var failCount: Int { failureTimes.count }

    /// Something an operator's cleanup would clear.
    public var hasFailure: Bool { !failureTimes.isEmpty || lastError != nil || state == .blocked }
}

/// A group as the operator sees it (`haloctl status`).
public enum GroupPhase: String, Hashable, Sendable {
    case stopped, starting, running, stopping
    /// A failed start, the migration threshold or a failed monitor: promotion refused until cleanup or failure_timeout.
    case failed
    /// A stop failed for good under `on_stop_failure block`.
    case blocked
}
