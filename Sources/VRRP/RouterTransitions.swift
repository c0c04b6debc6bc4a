/// State entry and timer bookkeeping shared by every event handler.
extension VirtualRouter {
    /// RFC 5798 §6.4.1/§6.4.2 "transition to Master": advert, addresses, announcements
    /// (keepalived's order), then the state change that runs the notify hooks.
    mutating func enterMaster(reason: RouterStateChangeReason, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        cancel(.masterDown, &actions)
        cancel(.preemptDelay, &actions)
        preemptDelayPhase = .idle
        wantsMaster = false
        actions.append(.sendAdvertisement(advertisement(priority: effectivePriority)))
        if !state.holdsVirtualAddresses { actions.append(.addVirtualAddresses) }
        actions.append(.announceVirtualAddresses(.becameMaster))
        arm(.advert, at: now + configuration.advertInterval, &actions)
        transition(to: .master, reason: reason, &actions)
    }

    /// Backup waits `wait` for a master (no timer while withdrawn).
    mutating func enterBackup(reason: RouterStateChangeReason, wait: VRRPDuration, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        if state.holdsVirtualAddresses { actions.append(.removeVirtualAddresses) }
        cancel(.advert, &actions)
        cancel(.handoffBound, &actions)
        handoffPurpose = nil
        if !isWithdrawn { arm(.masterDown, at: now + wait, &actions) }
        transition(to: .backup, reason: reason, &actions)
    }

    mutating func transition(to newState: RouterState, reason: RouterStateChangeReason, _ actions: inout [RouterAction]) {
        let old = state
        state = newState
        actions.append(.stateChanged(from: old, to: newState, reason: reason))
    }

    func advertisement(priority: UInt8) -> Advertisement {
        Advertisement(
            version: configuration.version, virtualRouterID: configuration.virtualRouterID, priority: priority,
            intervalCentiseconds: configuration.advertIntervalCentiseconds, addresses: configuration.virtualAddresses,
            authentication: configuration.version == .v2 ? configuration.authentication : .none)
    }

    mutating func arm(_ timer: RouterTimer, at deadline: VRRPInstant, _ actions: inout [RouterAction]) {
        deadlines[timer] = deadline
        actions.append(.scheduleTimer(timer, at: deadline))
    }

    mutating func cancel(_ timer: RouterTimer, _ actions: inout [RouterAction]) {
        guard deadlines[timer] != nil else { return }
        deadlines[timer] = nil
        actions.append(.cancelTimer(timer))
    }

    mutating func cancelAllTimers(_ actions: inout [RouterAction]) {
        for timer in RouterTimer.allCases { cancel(timer, &actions) }
        preemptDelayPhase = .idle
    }

    /// keepalived's `preempt_time`: idle (not counting), counting until the timer
    /// fires, elapsed (lower-priority adverts are ignored from now on).
    mutating func startPreemptDelay(at now: VRRPInstant, _ actions: inout [RouterAction]) {
        guard configuration.preemptDelay > .zero, configuration.preempt else { return }
        preemptDelayPhase = .counting
        arm(.preemptDelay, at: now + configuration.preemptDelay, &actions)
    }
}

enum PreemptDelayPhase: Hashable, Sendable {
    case idle, counting, elapsed
}

/// One optional deadline per named timer, without a dictionary.
struct TimerDeadlines: Hashable, Sendable {
    private var slots: (VRRPInstant?, VRRPInstant?, VRRPInstant?, VRRPInstant?) = (nil, nil, nil, nil)

    subscript(timer: RouterTimer) -> VRRPInstant? {
        get {
            switch timer {
            case .advert: slots.0
            case .masterDown: slots.1
            case .preemptDelay: slots.2
            case .handoffBound: slots.3
            }
        }
        set {
            switch timer {
            case .advert: slots.0 = newValue
            case .masterDown: slots.1 = newValue
            case .preemptDelay: slots.2 = newValue
            case .handoffBound: slots.3 = newValue
            }
        }
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        RouterTimer.allCases.allSatisfy { lhs[$0] == rhs[$0] }
    }

    func hash(into hasher: inout Hasher) {
        for timer in RouterTimer.allCases { hasher.combine(self[timer]) }
    }
}
