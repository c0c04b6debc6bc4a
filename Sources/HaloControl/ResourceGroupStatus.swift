/// A resource_group in the `status` reply (docs/control-protocol.md, "Resource groups").
public struct ResourceGroupStatus: Codable, Equatable, Sendable {
    public var name: String
    /// The instance or sync group it follows.
    public var follows: String
    /// stopped, starting, running, stopping, failed or blocked.
    public var state: String
    /// Why promotion is refused here (failed or blocked), until cleanup or failure_timeout.
    public var refusal: String?
    /// The group holds its VIPs now.
    public var holdsAddresses: Bool
    /// In start order.
    public var resources: [ResourceStatus]

    public init(name: String, follows: String, state: String, refusal: String?, holdsAddresses: Bool, resources: [ResourceStatus]) {
        self.name = name
        self.follows = follows
        self.state = state
        self.refusal = refusal
        self.holdsAddresses = holdsAddresses
        self.resources = resources
    }
}

public struct ResourceStatus: Codable, Equatable, Sendable {
    public var name: String
    /// As configured: `ocf:heartbeat:IPaddr2`, `lsb:nfs-kernel-server`, `exec`, `builtin:NAME` ...
    public var agent: String
    /// unknown, stopped, starting, confirming, started, stopping, blocked or fencing.
    public var state: String
    /// Monitor failures inside failure_timeout (what migration_threshold counts; cleanup resets it).
    public var failCount: Int
    /// Every failure since halod started (start and monitor).
    public var totalFailures: Int
    public var lastError: String?
    public var lastStart: ActionTiming?
    public var lastStop: ActionTiming?
    public var lastMonitor: ActionTiming?

    public init(name: String, agent: String, state: String, failCount: Int, totalFailures: Int, lastError: String?,
                lastStart: ActionTiming?, lastStop: ActionTiming?, lastMonitor: ActionTiming?) {
        self.name = name
        self.agent = agent
        self.state = state
        self.failCount = failCount
        self.totalFailures = totalFailures
        self.lastError = lastError
        self.lastStart = lastStart
        self.lastStop = lastStop
        self.lastMonitor = lastMonitor
    }
}

/// The last run of one agent action: how long it took and when it ended.
public struct ActionTiming: Codable, Equatable, Sendable {
    public var durationMilliseconds: Double
    /// When it finished: wall-clock time, RFC 3339 UTC with milliseconds.
    public var time: String
    /// Seconds between then and this report.
    public var ageSeconds: Double

    public init(durationMilliseconds: Double, time: String, ageSeconds: Double) {
        self.durationMilliseconds = durationMilliseconds
        self.time = time
        self.ageSeconds = ageSeconds
    }
}
