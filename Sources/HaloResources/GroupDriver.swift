import HaloLinux

/// What a running group asks of the daemon: the VIPs, fencing, and the
/// mastership consequences. Called on the loop thread.
public protocol GroupDriverDelegate: AnyObject {
    func groupAddVIPs(_ driver: GroupDriver)
    func groupRemoveVIPs(_ driver: GroupDriver)
    func groupStarted(_ driver: GroupDriver)
    func groupStopped(_ driver: GroupDriver)
    func groupFailOver(_ driver: GroupDriver, reason: String)
    /// Run the fencing command for `resource`; call `done(succeeded)` on the loop.
    func groupFence(_ driver: GroupDriver, resource: String, done: @escaping (Bool) -> Void)
    func groupLog(_ driver: GroupDriver, _ message: String)
}

/// The imperative shell around one `GroupPlanner`: runs its commands through
/// the agents, feeds results back, keeps monitor timers. Loop thread only.
public final class GroupDriver {
    public struct Timing: Sendable {
        public var startTimeoutMilliseconds: Int
        public var stopTimeoutMilliseconds: Int
        public var monitorTimeoutMilliseconds: Int
        public var monitorIntervalMilliseconds: Int

        public init(start: Int, stop: Int, monitor: Int, interval: Int) {
            startTimeoutMilliseconds = start
            stopTimeoutMilliseconds = stop
            monitorTimeoutMilliseconds = monitor
            monitorIntervalMilliseconds = interval
        }
    }

    public let name: String
    public let resources: [ResourceDefinition]
    public let timing: Timing
    public private(set) var planner: GroupPlanner
    public weak var delegate: GroupDriverDelegate?
    /// Pause before each stop retry (heartbeat's resource scripts sleep 1 s between attempts).
    public var stopRetryPauseNanoseconds: Int64 = 1_000_000_000
    /// Told of every agent run as it finishes (resource index, action, result, run time if it ran): metrics.
    public var onAgentFinished: ((Int, AgentAction, AgentResult, Int64?) -> Void)?
    private let agents: AgentRunner
    private var monitorTimers: [Int: LoopTimer] = [:]
    /// Time the manager itself spent between one agent's exit and the next
    /// agent's start (the overhead the issue bounds at 5 ms a step).
    public private(set) var stepOverheadsNanoseconds: [Int64] = []
    private var lastAgentExit: Int64?
    /// The last action's cost outside the agent: launch, exit watch, reap.
    private var pendingLaunchOverhead: Int64 = 0

    public init(name: String, resources: [ResourceDefinition], settings: GroupPlanner.Settings, timing: Timing,
                agents: AgentRunner) {
        self.name = name
        self.resources = resources
        self.timing = timing
        self.agents = agents
        planner = GroupPlanner(settings)
    }

    private var loop: EventLoop { agents.processes.loop }

    public func handle(_ event: GroupEvent) {
        perform(planner.handle(event, now: MonotonicClock.nanoseconds()))
    }

    private func perform(_ commands: [GroupCommand]) {
        for command in commands {
            switch command {
            case .run(let index, let action) where action == .stop && planner.records[index].stopAttempts > 0:
                // A stop retry waits first: what made the stop fail (a busy mount, a process still exiting) gets time to clear.
                delegate?.groupLog(self, "\(resources[index].name): stop failed, retrying in \(stopRetryPauseNanoseconds / 1_000_000) ms")
                lastAgentExit = nil
                loop.schedule(at: MonotonicClock.nanoseconds() + stopRetryPauseNanoseconds) { [weak self] in self?.run(index, action) }
            case .run(let index, let action): run(index, action)
            case .addVIPs: delegate?.groupAddVIPs(self)
            case .removeVIPs: delegate?.groupRemoveVIPs(self)
            case .groupStarted:
                delegate?.groupLog(self, "group \(name) started")
                for index in resources.indices { scheduleMonitor(index) }
                delegate?.groupStarted(self)
            case .groupStopped:
                cancelMonitors()
                delegate?.groupLog(self, "group \(name) stopped")
                delegate?.groupStopped(self)
            case .failOver(let reason):
                cancelMonitors()
                delegate?.groupLog(self, "group \(name) gives up mastership: \(reason)")
                delegate?.groupFailOver(self, reason: reason)
            case .fence(let index):
                delegate?.groupLog(self, "\(resources[index].name): stop failed for good; fencing")
                guard let delegate else { handle(.fenceFinished(resource: index, succeeded: false)); continue }
                delegate.groupFence(self, resource: resources[index].name) { [weak self] succeeded in
                    self?.handle(.fenceFinished(resource: index, succeeded: succeeded))
                }
            }
        }
    }

    private func timeout(for action: AgentAction) -> Int {
        switch action {
        case .start: timing.startTimeoutMilliseconds
        case .stop: timing.stopTimeoutMilliseconds
        case .monitor, .probe: timing.monitorTimeoutMilliseconds
        }
    }

    private func run(_ index: Int, _ action: AgentAction) {
        let resource = resources[index]
        if let exit = lastAgentExit, action != .monitor {
            stepOverheadsNanoseconds.append(pendingLaunchOverhead + MonotonicClock.nanoseconds() - exit)
            if stepOverheadsNanoseconds.count > 1000 { stepOverheadsNanoseconds.removeFirst() }
        }
        lastAgentExit = nil
        let calledAt = MonotonicClock.nanoseconds()
        if action == .start || action == .stop { delegate?.groupLog(self, "\(resource.name): \(action)") }
        agents.run(resource, action, timeoutMilliseconds: timeout(for: action)) { [weak self] result, outcome in
            guard let self else { return }
            let exitedAt = MonotonicClock.nanoseconds()
            if let outcome {
                planner.recordDuration(resource: index, action: action, nanoseconds: outcome.durationNanoseconds, finishedAt: exitedAt)
                pendingLaunchOverhead = max(0, exitedAt - calledAt - outcome.durationNanoseconds)
            }
            if result != .success && !(result == .notRunning && action != .start) {
                delegate?.groupLog(self, "\(resource.name): \(action) \(result)")
            }
            lastAgentExit = exitedAt
            onAgentFinished?(index, action, result, outcome?.durationNanoseconds)
            handle(.finished(resource: index, action: action, result: result))
            // Idle now (waiting for an event, not for a step): the next run is not this step's overhead.
            if planner.inFlight == nil { lastAgentExit = nil }
            if action == .monitor { scheduleMonitor(index) }
        }
    }

    private func scheduleMonitor(_ index: Int) {
        if let existing = monitorTimers[index] { loop.cancel(existing) }
        guard planner.isStarted else { monitorTimers[index] = nil; return }
        let deadline = MonotonicClock.nanoseconds() + Int64(timing.monitorIntervalMilliseconds) * 1_000_000
        monitorTimers[index] = loop.schedule(at: deadline) { [weak self] in
            guard let self else { return }
            monitorTimers[index] = nil
            // Busy (another action in flight): try again next interval.
            if planner.inFlight != nil { scheduleMonitor(index); return }
            handle(.monitorDue(resource: index))
        }
    }

    private func cancelMonitors() {
        monitorTimers.values.forEach(loop.cancel)
        monitorTimers.removeAll()
    }
}
