import HaloNet

/// One VRRP virtual router as a value: events in, actions out (RFC 5798 §6.4,
/// with keepalived's behaviour where the RFC is silent). No clock, no I/O:
/// every event comes with the current instant, and timers are absolute
/// deadlines the data plane arms and fires.
public struct VirtualRouter: Sendable {
    public internal(set) var configuration: RouterConfiguration
    public internal(set) var state: RouterState = .initialize
    public internal(set) var trackerWeight = 0
    public internal(set) var effectivePriority: UInt8
    /// Master_Adver_Interval: ours until a v3 master's advert teaches us its own.
    public internal(set) var masterAdvertInterval: VRRPDuration
    /// Our own fault (trackers).
    public internal(set) var isFaulted = false
    /// Another sync group member's fault.
    public internal(set) var isPeerFaulted = false
    /// After an operator give-up: Backup that never takes over until `rejoin`.
    public internal(set) var isWithdrawn = false
    public internal(set) var handoffPurpose: HandoffPurpose?
    /// Source of the last advert we accepted as master's (for status output).
    public internal(set) var lastMasterHeard: IPAddress?
    /// Set by `SyncGroup`: when the master-down timer expires the router only
    /// records that it wants Master and waits for the group's consent.
    public var requiresGroupConsent = false
    public internal(set) var wantsMaster = false

    var deadlines = TimerDeadlines()
    var preemptDelayPhase = PreemptDelayPhase.idle

    public init(configuration: RouterConfiguration) {
        self.configuration = configuration
        effectivePriority = configuration.basePriority
        masterAdvertInterval = configuration.advertInterval
    }

    public var isAddressOwner: Bool { effectivePriority == Priority.owner }

    /// The armed deadline of a timer, if any.
    public func deadline(of timer: RouterTimer) -> VRRPInstant? { deadlines[timer] }

    public var masterDownInterval: VRRPDuration {
        configuration.timing.masterDownInterval(priority: effectivePriority, masterAdvertInterval: masterAdvertInterval)
    }

    public var skewTime: VRRPDuration {
        configuration.timing.skewTime(priority: effectivePriority, masterAdvertInterval: masterAdvertInterval)
    }

    public mutating func handle(_ event: RouterEvent, at now: VRRPInstant) -> [RouterAction] {
        var actions: [RouterAction] = []
        handle(event, at: now, into: &actions)
        return actions
    }

    /// Appends the event's actions to `actions`: the data plane reuses one buffer,
    /// so a steady master's advert allocates nothing.
    public mutating func handle(_ event: RouterEvent, at now: VRRPInstant, into actions: inout [RouterAction]) {
        switch event {
        case .startup: start(at: now, &actions)
        case .shutdown: shutDown(at: now, &actions)
        case .advertReceived(let advert, let source): receive(advert, from: source, at: now, &actions)
        case .timerFired(let timer): timerFired(timer, at: now, &actions)
        case .trackerWeightChanged(let weight):
            trackerWeight = weight
            effectivePriority = Priority.effective(base: configuration.basePriority, trackerWeight: weight)
        case .faultRaised:
            isFaulted = true
            raiseFault(reason: .faultRaised, at: now, &actions)
        case .faultCleared:
            isFaulted = false
            clearFault(reason: .faultCleared, at: now, &actions)
        case .giveUp: giveUp(at: now, &actions)
        case .rejoin: rejoin(at: now, &actions)
        case .syncGroup(let command): obey(command, at: now, &actions)
        }
    }

    // MARK: - Startup, shutdown, give-up

    private mutating func start(at now: VRRPInstant, _ actions: inout [RouterAction]) {
        guard state == .initialize else { return }
        isWithdrawn = false
        masterAdvertInterval = configuration.advertInterval
        if isFaulted || isPeerFaulted {
            enterFault(reason: isFaulted ? .faultRaised : .syncGroupFault, at: now, &actions)
        } else if isAddressOwner {
            enterMaster(reason: .addressOwner, at: now, &actions)
        } else {
            // keepalived enters BACKUP first. `state MASTER` waits one interval plus the
            // minimum skew (any live master is heard within one interval); BACKUP waits
            // the full Master_Down_Interval.
            let timing = configuration.timing
            let wait = configuration.initialState == .master
                ? configuration.advertInterval + timing.minimumSkew(masterAdvertInterval: configuration.advertInterval)
                : masterDownInterval
            enterBackup(reason: .startup, wait: wait, at: now, &actions)
            // preempt_delay counts from startup (keepalived.conf(5)).
            startPreemptDelay(at: now, &actions)
        }
    }

    private mutating func shutDown(at now: VRRPInstant, _ actions: inout [RouterAction]) {
        switch state {
        case .initialize: return
        case .master: startHandoff(.shutdown, at: now, &actions)
        case .handingOff: handoffPurpose = .shutdown
        case .backup, .fault:
            cancelAllTimers(&actions)
            transition(to: .initialize, reason: .stopped, &actions)
        }
    }

    private mutating func giveUp(at now: VRRPInstant, _ actions: inout [RouterAction]) {
        switch state {
        case .master: startHandoff(.giveUp, at: now, &actions)
        case .backup:
            isWithdrawn = true
            wantsMaster = false
            cancel(.masterDown, &actions)
            cancel(.preemptDelay, &actions)
            preemptDelayPhase = .idle
        case .initialize, .fault: isWithdrawn = true
        case .handingOff: return
        }
    }

    private mutating func rejoin(at now: VRRPInstant, _ actions: inout [RouterAction]) {
        guard isWithdrawn else { return }
        isWithdrawn = false
        guard state == .backup else { return }
        if isAddressOwner {
            enterMaster(reason: .rejoined, at: now, &actions)
        } else {
            arm(.masterDown, at: now + masterDownInterval, &actions)
        }
    }

    /// Make-before-break: say we are leaving (priority 0, so backups wait only
    /// Skew_Time) but keep the addresses until the successor is heard.
    private mutating func startHandoff(_ purpose: HandoffPurpose, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        handoffPurpose = purpose
        actions.append(.sendAdvertisement(advertisement(priority: Priority.leaving)))
        // Repeat priority 0 every interval: a single lost one would otherwise leave
        // the backups waiting the full Master_Down_Interval, past the bound.
        arm(.advert, at: now + configuration.advertInterval, &actions)
        arm(.handoffBound, at: now + configuration.effectiveHandoffBound, &actions)
        transition(to: .handingOff, reason: .handoffStarted(purpose), &actions)
    }

    mutating func completeHandoff(reason: RouterStateChangeReason, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        let purpose = handoffPurpose ?? .giveUp
        handoffPurpose = nil
        actions.append(.removeVirtualAddresses)
        cancel(.advert, &actions)
        cancel(.handoffBound, &actions)
        switch purpose {
        case .shutdown:
            transition(to: .initialize, reason: reason, &actions)
        case .giveUp:
            isWithdrawn = true
            transition(to: .backup, reason: reason, &actions)
        }
    }

    // MARK: - Fault

    private mutating func raiseFault(reason: RouterStateChangeReason, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        switch state {
        case .initialize, .fault: return
        case .handingOff where handoffPurpose == .shutdown:
            // Already leaving for good: finish the stop now, without waiting.
            completeHandoff(reason: reason, at: now, &actions)
        default: enterFault(reason: reason, at: now, &actions)
        }
    }

    private mutating func clearFault(reason: RouterStateChangeReason, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        guard state == .fault, !isFaulted, !isPeerFaulted else { return }
        if isAddressOwner && !isWithdrawn {
            enterMaster(reason: reason, at: now, &actions)
        } else {
            enterBackup(reason: reason, wait: masterDownInterval, at: now, &actions)
        }
    }

    private mutating func enterFault(reason: RouterStateChangeReason, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        if state == .master {
            // Tell the backups at once (they wait only Skew_Time), as keepalived does.
            actions.append(.sendAdvertisement(advertisement(priority: Priority.leaving)))
        }
        if state.holdsVirtualAddresses { actions.append(.removeVirtualAddresses) }
        cancelAllTimers(&actions)
        wantsMaster = false
        handoffPurpose = nil
        transition(to: .fault, reason: reason, &actions)
    }

    // MARK: - Sync group

    private mutating func obey(_ command: SyncGroupCommand, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        switch command {
        case .agreeMaster:
            if state == .backup && wantsMaster { enterMaster(reason: .syncGroupAgreedMaster, at: now, &actions) }
        case .peerLeftMaster:
            if state == .master { enterBackup(reason: .syncGroupPeerLeftMaster, wait: masterDownInterval, at: now, &actions) }
        case .peerFault(let faulted):
            isPeerFaulted = faulted
            if faulted {
                raiseFault(reason: .syncGroupFault, at: now, &actions)
            } else {
                clearFault(reason: .faultCleared, at: now, &actions)
            }
        }
    }
}
