import HaloNet
import VRRP

/// The properties of issue 3, checked while the run goes. Time is cut into
/// episodes: each starts with one disturbance (the fault event) and lasts until
/// the next, and schedules space disturbances so the cluster settles in between.
struct Episode {
    var index: Int
    var disturbance: Disturbance?
    var start: VRRPInstant
    /// From here to the episode's end the cluster must be in its steady state.
    var converged = false
    /// Changes into or out of Master, per node.
    var mastershipChanges: [Int]
    /// Nodes the disturbance acted on directly.
    var touched: Set<Int> = []
    /// Nodes that were the eligible master of their part of the LAN when the episode began.
    var mastersAtStart: [Int] = []
    var handoff: HandoffWatch?

    init(index: Int, disturbance: Disturbance?, start: VRRPInstant, nodeCount: Int) {
        self.index = index
        self.disturbance = disturbance
        self.start = start
        mastershipChanges = Array(repeating: 0, count: nodeCount)
    }
}

/// A planned hand-off under watch: at every instant at least one node of the
/// leaver's side holds the addresses (when a successor exists), at most two, and
/// two for no longer than the bound.
struct HandoffWatch {
    var leaver: Int
    var group: Int
    var bound: VRRPDuration
    var successorExists: Bool
    var bothHoldSince: VRRPInstant?
    var leaverHoldsSince: VRRPInstant?
}

extension Simulation {
    mutating func beginEpisode(index: Int, disturbance: Disturbance?, at start: VRRPInstant) {
        episode = Episode(index: index, disturbance: disturbance, start: start, nodeCount: nodes.count)
        episode.mastersAtStart = nodes.indices.filter { nodes[$0].isEligible && nodes[$0].router.state == .master }
        result.statistics.episodes += 1
        queue.push(.convergenceDeadline(episode: index), at: (start + convergenceBound(for: disturbance)).nanoseconds)
    }

    /// How long the cluster may take to settle after a disturbance.
    /// - heal: one Master_Down_Interval plus the worst link delay (the issue's bound):
    ///   the two masters meet within (lost adverts + 1) × interval ≤ Master_Down.
    /// - anything else, the slowest chain: a backup that missed the last adverts may
    ///   take over first (≤ Master_Down); its first adverts reach a better backup
    ///   after up to `lost` more intervals and start its preempt_delay; that backup
    ///   then waits Master_Down and its advert crosses the LAN (lost + 1 intervals
    ///   at worst). Planned hand-offs add their bound.
    func convergenceBound(for disturbance: Disturbance?) -> VRRPDuration {
        let delay = scenario.worstLinkDelay
        let masterDown = slowestMasterDownInterval
        if disturbance == .heal { return masterDown + delay }
        let configuration = scenario.routers[0]
        var bound = 2 * masterDown + configuration.preemptDelay + (2 * lostInARow + 1) * configuration.advertInterval + 3 * delay
        if disturbance == nil {
            bound = bound + ((scenario.startTimes.max() ?? .zero) - VRRPInstant.zero)
        }
        if disturbance?.isPlannedHandoff == true { bound = bound + configuration.effectiveHandoffBound }
        return bound
    }

    var lostInARow: Int64 { Int64(scenario.links.flatMap { $0 }.map(\.maxConsecutiveLosses).max() ?? 0) }

    /// Random loss shortly before or during the episode: VRRP itself may then let a
    /// worse backup time out first (it missed the master's last adverts, or the new
    /// master's first one), so flapping and the two-holder limit are not checked.
    var lossAffectsEpisode: Bool {
        guard let lastLoss = lastRandomLoss else { return false }
        return lastLoss >= episode.start - slowestMasterDownInterval - scenario.routers[0].advertInterval
    }

    /// Master_Down_Interval of the lowest current priority: the longest any backup waits.
    var slowestMasterDownInterval: VRRPDuration {
        nodes.map { node in
            node.router.configuration.timing.masterDownInterval(
                priority: Priority.effective(base: node.router.configuration.basePriority, trackerWeight: node.trackerWeight),
                masterAdvertInterval: node.router.configuration.advertInterval)
        }.max() ?? .zero
    }

    mutating func watchHandoff(of leaver: Int) {
        let group = groups[leaver]
        let successorExists = nodes.indices.contains { $0 != leaver && groups[$0] == group && nodes[$0].isEligible }
        episode.handoff = HandoffWatch(leaver: leaver, group: group, bound: scenario.routers[leaver].effectiveHandoffBound,
                                       successorExists: successorExists, bothHoldSince: nil, leaverHoldsSince: now)
        if successorExists { result.statistics.handoffsChecked += 1 }
    }

    /// Called after every event that changed a state or the address holders.
    mutating func afterChange() {
        if episode.handoff != nil { checkHandoff() }
        if episode.converged { checkSteadyState(context: "after convergence") }
    }

    private mutating func checkHandoff() {
        guard var watch = episode.handoff else { return }
        let holders = nodes.indices.filter { groups[$0] == watch.group && nodes[$0].holdsAddresses }
        if holders.isEmpty && watch.successorExists {
            violate("planned hand-off", "nobody holds the addresses during n\(watch.leaver)'s planned hand-off")
        }
        if watch.leaverHoldsSince.map({ now - $0 > watch.bound }) == true && nodes[watch.leaver].holdsAddresses {
            violate("planned hand-off", "n\(watch.leaver) still holds the addresses \(now - watch.leaverHoldsSince!) after giving up, bound \(watch.bound)")
        }
        if holders.count > 2 && !lossAffectsEpisode {
            violate("planned hand-off", "\(holders.count) nodes hold the addresses: \(holders)")
        }
        if holders.count == 2 {
            if watch.bothHoldSince == nil { watch.bothHoldSince = now }
        } else if let since = watch.bothHoldSince {
            if now - since > watch.bound {
                violate("planned hand-off", "two nodes held the addresses for \(now - since), bound \(watch.bound)")
            }
            watch.bothHoldSince = nil
        }
        episode.handoff = watch
    }

    /// Exactly one master in each part of the LAN that has an eligible node, none
    /// elsewhere; with preemption the master is the highest effective priority.
    mutating func checkSteadyState(context: String) {
        let running = nodes.indices.filter { nodes[$0].isRunning }
        for group in Set(running.map { groups[$0] }).sorted() {
            let members = running.filter { groups[$0] == group }
            let masters = members.filter { nodes[$0].router.state == .master }
            let eligible = members.filter { nodes[$0].isEligible }
            if let leaving = members.first(where: { nodes[$0].router.state == .handingOff }) {
                violate("convergence", "n\(leaving) still hands off \(context)")
                return
            }
            let expected = eligible.isEmpty ? 0 : 1
            guard masters.count == expected else {
                violate("convergence", "\(masters.count) masters \(masters.map { "n\($0)" }) among \(members.map { "n\($0)" }) \(context) (episode \(episode.index), started \(episode.start))")
                return
            }
            if scenario.preemptionEnabled, let master = masters.first {
                let best = eligible.max { rank($0) < rank($1) }!
                if best != master {
                    violate("highest priority wins", "n\(master) (priority \(nodes[master].router.effectivePriority)) is master but n\(best) has \(nodes[best].router.effectivePriority) \(context)")
                }
            }
        }
    }

    /// Priority, then primary address (unsigned compare), as RFC 5798 §6.4.3 ranks masters.
    private func rank(_ node: Int) -> (UInt8, IPAddress) {
        (nodes[node].router.effectivePriority, scenario.routers[node].primaryAddress)
    }

    /// End-of-episode checks: steady state, no flapping, nopreempt.
    mutating func finishEpisode() {
        if !episode.converged {
            episode.converged = true
            checkSteadyState(context: "at the end of the episode")
        }
        if let watch = episode.handoff {
            if let since = watch.bothHoldSince, now - since > watch.bound {
                violate("planned hand-off", "two nodes still hold the addresses after \(now - since), bound \(watch.bound)")
            }
            if nodes[watch.leaver].holdsAddresses && nodes[watch.leaver].router.state == .handingOff {
                violate("planned hand-off", "n\(watch.leaver) never finished its hand-off")
            }
        }
        if episode.disturbance == nil {
            // Startup is not a fault event: nodes start up to an interval apart, so a
            // worse one may time out first and yield when the better one takes over.
        } else if lossAffectsEpisode {
            result.statistics.flappingChecksWaived += 1
        } else {
            result.statistics.flappingChecks += 1
            for node in nodes.indices where episode.mastershipChanges[node] > 1 {
                violate("no flapping", "n\(node) changed mastership \(episode.mastershipChanges[node]) times after \(episode.disturbance.map(\.description) ?? "startup")")
            }
        }
        if !scenario.preemptionEnabled && episode.disturbance != .heal {
            for master in episode.mastersAtStart where !episode.touched.contains(master) {
                if nodes[master].router.state != .master || episode.mastershipChanges[master] != 0 {
                    violate("nopreempt", "master n\(master) was displaced after \(episode.disturbance.map(\.description) ?? "startup")")
                }
            }
        }
    }
}

