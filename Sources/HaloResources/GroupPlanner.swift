/// The ordered-group logic as a value: events in, commands out, no I/O and no
/// clock (times come in with the events). One agent action is in flight at a
/// time, which is what makes the order strict.
///
/// Rules:
/// - up: left to right; the VIPs are one more step at `vipIndex` (0: before
///   the first resource). A resource counts as started only once its start
///   succeeded and a probe then says running.
/// - down: right to left, VIPs removed at their position.
/// - a failed start: stop what started (the failed one included: stop is
///   idempotent and clears half-done work), in reverse, then `failOver`.
/// - a failed monitor: restart in place (stop it and those after it, start
///   them again; the VIPs stay) until `migrationThreshold` failures fall within
///   `failureTimeout`; then stop all in reverse and `failOver`. Hard and fatal
///   failures fail over at once.
/// - a failed stop: retried `stopRetries` times, then the policy: `block`
///   leaves it (and those before it) alone, releases the VIPs and refuses
///   promotion; `fence` runs the fencing command and carries on when it succeeds.
public struct GroupPlanner: Sendable {
    public struct Settings: Hashable, Sendable {
        public var resourceNames: [String]
        /// How many resources start before the VIPs are added (0 ... count).
        public var vipIndex: Int
        public var migrationThreshold: Int
        /// Failures older than this are forgotten; 0: never.
        public var failureTimeoutNanoseconds: Int64
        public var stopRetries: Int
        /// `on_stop_failure fence`: true; `block`: false.
        public var fences: Bool

        public init(resourceNames: [String], vipIndex: Int = 0, migrationThreshold: Int = 3,
                    failureTimeoutNanoseconds: Int64 = 0, stopRetries: Int = 2, fences: Bool = false) {
            self.resourceNames = resourceNames
            self.vipIndex = min(max(vipIndex, 0), resourceNames.count)
            self.migrationThreshold = migrationThreshold
            self.failureTimeoutNanoseconds = failureTimeoutNanoseconds
            self.stopRetries = stopRetries
            self.fences = fences
        }
    }

    public let settings: Settings
    public private(set) var records: [ResourceRecord]
    public private(set) var wantsRunning = false
    public private(set) var holdsVIPs = false
    /// Set by a failed start, the migration threshold or a blocked stop; cleared by `cleanup`.
    public private(set) var refusesPromotion: String?
    /// The resource whose action (or fencing) is running.
    public private(set) var inFlight: Int?
    private var probing = false
    /// No promote or demote yet: adopted resources are left as found until one comes.
    private var decided = false
    /// A monitor failure: stop from the end down to this one, then start again.
    private var restartFrom: Int?
    /// A failure that ends in `failOver` once everything is down.
    private var failing: String?
    private var reportedStarted = false
    private var reportedStopped = true

    public init(_ settings: Settings) {
        self.settings = settings
        records = settings.resourceNames.map { ResourceRecord(name: $0) }
    }

    private var count: Int { records.count }

    /// Up, probed and idle: what the operator sees as "started".
    public var isStarted: Bool { reportedStarted && wantsRunning && failing == nil && refusesPromotion == nil }

    public var phase: GroupPhase {
        if records.contains(where: { $0.state == .blocked }) { return .blocked }
        if failing != nil { return .stopping }
        if refusesPromotion != nil { return inFlight == nil ? .failed : .stopping }
        if isStarted { return .running }
        if wantsRunning { return .starting }
        if inFlight != nil || records.contains(where: { $0.state == .stopping }) { return .stopping }
        // Adopted at daemon start and not yet told to stop: it does run.
        if !decided && records.contains(where: { $0.state == .started }) { return .running }
        return .stopped
    }

    public mutating func handle(_ event: GroupEvent, now: Int64 = 0) -> [GroupCommand] {
        var out: [GroupCommand] = []
        switch event {
        case .probeAll:
            probing = true
        case .promote:
            decided = true
            wantsRunning = true
            reportedStarted = false
            if let reason = refusesPromotion { return [.failOver(reason: reason)] }
        case .demote:
            decided = true
            wantsRunning = false
            reportedStopped = false
        case .cleanup:
            refusesPromotion = nil
            for index in records.indices { clearFailures(index) }
        case .cleanupResource(let index):
            clearFailures(index)
            if !records.contains(where: \.hasFailure) { refusesPromotion = nil }
        case .restart(let index):
            guard isStarted, records[index].state == .started else { return [] }
            restartFrom = min(restartFrom ?? index, index)
        case .monitorDue(let index):
            guard inFlight == nil, isStarted, restartFrom == nil, failing == nil, records[index].state == .started else { return [] }
            inFlight = index
            return [.run(resource: index, action: .monitor)]
        case .finished(let index, let action, let result):
            guard inFlight == index else { return [] }
            inFlight = nil
            out += finished(index, action, result, now: now)
        case .fenceFinished(let index, let succeeded):
            guard inFlight == index, records[index].state == .fencing else { return [] }
            inFlight = nil
            if succeeded {
                records[index].state = .stopped
            } else {
                records[index].lastError = "fencing failed"
                out += block(index)
            }
        }
        return out + advance()
    }

    public mutating func recordDuration(resource: Int, action: AgentAction, nanoseconds: Int64, finishedAt: Int64? = nil) {
        records[resource].lastDuration[action] = nanoseconds
        if let finishedAt { records[resource].lastFinished[action] = finishedAt }
    }

    /// Forgets a resource's failures and last error; a blocked one counts as
    /// started again (its state is unknown: the next step down stops it again,
    /// stop being idempotent).
    private mutating func clearFailures(_ index: Int) {
        records[index].failureTimes = []
        records[index].lastError = nil
        if records[index].state == .blocked { records[index].state = .started }
    }

    // MARK: - Results

    private mutating func finished(_ index: Int, _ action: AgentAction, _ result: AgentResult, now: Int64) -> [GroupCommand] {
        let name = records[index].name
        // "Not running" answers a probe or a stop; from start or monitor it is a failure.
        if result != .success && !(result == .notRunning && (action == .probe || action == .stop)) {
            records[index].lastError = "\(action): \(result)"
        }
        switch action {
        case .probe where records[index].state == .unknown:
            // Daemon-start probe: adopt what already runs; an error means "unknown, stop it first".
            records[index].state = result == .notRunning ? .stopped : .started
        case .start:
            guard result == .success else { return startFailed(index, "start of \(name) failed: \(result)") }
            records[index].state = .confirming
            guard wantsRunning else { records[index].state = .started; return [] }
            inFlight = index
            return [.run(resource: index, action: .probe)]
        case .probe:
            guard records[index].state == .confirming else { return [] }
            guard result == .success else { return startFailed(index, "\(name) is not running after its start: \(result)") }
            records[index].state = .started
        case .monitor:
            guard result != .success else { return [] }
            return monitorFailed(index, result, now: now)
        case .stop:
            guard result != .success && result != .notRunning else {
                records[index].state = .stopped
                records[index].stopAttempts = 0
                return []
            }
            records[index].stopAttempts += 1
            if records[index].stopAttempts <= settings.stopRetries {
                inFlight = index
                return [.run(resource: index, action: .stop)]
            }
            records[index].stopAttempts = 0
            if settings.fences {
                records[index].state = .fencing
                inFlight = index
                return [.fence(resource: index)]
            }
            return block(index)
        }
        return []
    }

    private mutating func startFailed(_ index: Int, _ reason: String) -> [GroupCommand] {
        // Stop it too: a failed start may have left half of it running.
        records[index].state = .started
        records[index].totalFailures += 1
        failing = failing ?? reason
        return []
    }

    private mutating func monitorFailed(_ index: Int, _ result: AgentResult, now: Int64) -> [GroupCommand] {
        var record = records[index]
        record.totalFailures += 1
        record.failureTimes.append(now)
        if settings.failureTimeoutNanoseconds > 0 {
            record.failureTimes.removeAll { now - $0 >= settings.failureTimeoutNanoseconds }
        }
        records[index] = record
        let name = record.name
        switch result {
        case .fatal, .failed(_, hard: true):
            failing = "\(name) monitor: \(result)"
        default:
            if record.failCount >= settings.migrationThreshold {
                failing = "\(name) failed \(record.failCount) times (migration_threshold \(settings.migrationThreshold)), last: \(result)"
            } else {
                restartFrom = min(restartFrom ?? index, index)
            }
        }
        return []
    }

    private mutating func block(_ index: Int) -> [GroupCommand] {
        records[index].state = .blocked
        let reason = "stop of \(records[index].name) failed: blocked"
        refusesPromotion = reason
        return [.failOver(reason: reason)]
    }

    // MARK: - The next step

    private mutating func advance() -> [GroupCommand] {
        guard inFlight == nil else { return [] }
        if probing {
            if let next = records.firstIndex(where: { $0.state == .unknown }) {
                inFlight = next
                return [.run(resource: next, action: .probe)]
            }
            probing = false
        }
        guard decided else { return [] }
        if let from = restartFrom, failing == nil, wantsRunning {
            if let last = (from..<count).last(where: { records[$0].state == .started }) {
                return stop(last)
            }
            restartFrom = nil
        }
        if wantsRunning && failing == nil && refusesPromotion == nil { return stepUp() }
        return stepDown()
    }

    private mutating func stepUp() -> [GroupCommand] {
        var out: [GroupCommand] = []
        for position in 0...count {
            if position == settings.vipIndex && !holdsVIPs {
                holdsVIPs = true
                out.append(.addVIPs)
            }
            guard position < count else { break }
            switch records[position].state {
            case .started:
                continue
            case .blocked, .fencing, .starting, .confirming, .stopping:
                return out
            case .stopped, .unknown:
                records[position].state = .starting
                inFlight = position
                return out + [.run(resource: position, action: .start)]
            }
        }
        if !reportedStarted {
            reportedStarted = true
            out.append(.groupStarted)
        }
        return out
    }

    private mutating func stepDown() -> [GroupCommand] {
        var out: [GroupCommand] = []
        for position in stride(from: count, through: 0, by: -1) {
            if position < count {
                if records[position].state == .blocked {
                    // Leave it and what it stands on; the addresses still go (VRRP has moved them).
                    if holdsVIPs { holdsVIPs = false; out.append(.removeVIPs) }
                    return out
                }
                if records[position].state == .started {
                    return out + stop(position)
                }
            }
            if position == settings.vipIndex && holdsVIPs && (!wantsRunning || failing != nil || refusesPromotion != nil) {
                holdsVIPs = false
                out.append(.removeVIPs)
            }
        }
        if let reason = failing {
            failing = nil
            refusesPromotion = reason
            out.append(.failOver(reason: reason))
        }
        if !wantsRunning && !reportedStopped {
            reportedStopped = true
            out.append(.groupStopped)
        }
        return out
    }

    private mutating func stop(_ index: Int) -> [GroupCommand] {
        records[index].state = .stopping
        inFlight = index
        return [.run(resource: index, action: .stop)]
    }
}
