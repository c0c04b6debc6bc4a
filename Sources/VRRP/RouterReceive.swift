import HaloNet

/// Advert reception and timer expiry (RFC 5798 §6.4.2, §6.4.3).
extension VirtualRouter {
    mutating func receive(_ advert: Advertisement, from source: IPAddress, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        guard advert.virtualRouterID == configuration.virtualRouterID else { return }
        switch state {
        case .backup: backupReceives(advert, from: source, at: now, &actions)
        case .master: masterReceives(advert, from: source, at: now, &actions)
        case .handingOff:
            // Any live master's advert means the successor holds the addresses now.
            if advert.priority != Priority.leaving {
                completeHandoff(reason: .successorHeard(source), at: now, &actions)
            }
        case .initialize, .fault: return
        }
    }

    private mutating func backupReceives(_ advert: Advertisement, from source: IPAddress, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        guard !isWithdrawn else { return }
        if advert.priority == Priority.leaving {
            // The master is leaving: take over after Skew_Time only, so the
            // highest-priority backup goes first (RFC 5798 §6.4.2).
            arm(.masterDown, at: now + skewTime, &actions)
            return
        }
        // With preemption, a lower priority is ignored (timer not reset) and we take
        // over at Master_Down. keepalived keeps accepting it while preempt_delay runs.
        let preemptDelayHolds = configuration.preemptDelay > .zero && preemptDelayPhase != .elapsed
        guard !configuration.preempt || advert.priority >= effectivePriority || preemptDelayHolds else { return }
        if configuration.version == .v3, advert.intervalCentiseconds > 0 {
            masterAdvertInterval = .centiseconds(Int64(advert.intervalCentiseconds))
        }
        lastMasterHeard = source
        wantsMaster = false
        arm(.masterDown, at: now + masterDownInterval, &actions)
        if configuration.preemptDelay > .zero, configuration.preempt {
            if advert.priority > effectivePriority {
                // A better master: the delay starts again when a worse one shows up.
                cancel(.preemptDelay, &actions)
                preemptDelayPhase = .idle
            } else if preemptDelayPhase == .idle {
                startPreemptDelay(at: now, &actions)
            }
        }
    }

    private mutating func masterReceives(_ advert: Advertisement, from source: IPAddress, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        if advert.priority == Priority.leaving {
            // Another master is leaving (split brain ending): answer at once so its
            // backups do not take over, and re-announce so clients learn our MAC.
            sendAdvertNow(at: now, &actions)
            actions.append(.announceVirtualAddresses(.stayedMasterAfterConflict))
            return
        }
        let theirsWins = advert.priority > effectivePriority
            || (advert.priority == effectivePriority && source > configuration.primaryAddress)
        if theirsWins {
            if configuration.version == .v3, advert.intervalCentiseconds > 0 {
                masterAdvertInterval = .centiseconds(Int64(advert.intervalCentiseconds))
            }
            lastMasterHeard = source
            if configuration.advertiseBeforeYielding {
                actions.append(.sendAdvertisement(advertisement(priority: effectivePriority)))
            }
            enterBackup(reason: .yielded(to: source, priority: advert.priority), wait: masterDownInterval, at: now, &actions)
        } else {
            // We stay master. The advert at once makes the other side step down
            // (RFC 9568, keepalived default); the announcement is Halo's answer to
            // the split-brain heal where clients keep the loser's MAC.
            if configuration.advertiseOnLowerPriority { sendAdvertNow(at: now, &actions) }
            actions.append(.announceVirtualAddresses(.stayedMasterAfterConflict))
        }
    }

    private mutating func sendAdvertNow(at now: VRRPInstant, _ actions: inout [RouterAction]) {
        actions.append(.sendAdvertisement(advertisement(priority: effectivePriority)))
        arm(.advert, at: now + configuration.advertInterval, &actions)
    }

    mutating func timerFired(_ timer: RouterTimer, at now: VRRPInstant, _ actions: inout [RouterAction]) {
        guard let deadline = deadlines[timer], now >= deadline else { return }
        deadlines[timer] = nil
        switch (timer, state) {
        case (.advert, .master):
            actions.append(.sendAdvertisement(advertisement(priority: effectivePriority)))
            arm(.advert, at: nextAdvertDeadline(after: deadline, now: now), &actions)
        case (.advert, .handingOff):
            actions.append(.sendAdvertisement(advertisement(priority: Priority.leaving)))
            arm(.advert, at: nextAdvertDeadline(after: deadline, now: now), &actions)
        case (.masterDown, .backup):
            if requiresGroupConsent {
                wantsMaster = true
            } else {
                enterMaster(reason: .masterDownTimerExpired, at: now, &actions)
            }
        case (.preemptDelay, .backup):
            preemptDelayPhase = .elapsed
        case (.handoffBound, .handingOff):
            completeHandoff(reason: .handoffBoundElapsed, at: now, &actions)
        default:
            return
        }
    }

    /// Adverts keep their cadence from the previous deadline (no drift from
    /// firing latency) unless the firing was more than an interval late.
    private func nextAdvertDeadline(after deadline: VRRPInstant, now: VRRPInstant) -> VRRPInstant {
        let next = deadline + configuration.advertInterval
        return next > now ? next : now + configuration.advertInterval
    }
}
