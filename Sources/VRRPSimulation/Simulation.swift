import HaloNet
import VRRP

/// A deterministic run of one scenario: a virtual clock, an event queue, one
/// `VirtualRouter` per node on a simulated LAN. The harness plays the data plane:
/// it performs the routers' actions (sends adverts through the LAN, arms timers,
/// tracks who holds the addresses) and checks the properties as it goes.
public struct Simulation {
    enum Event {
        case start(node: Int)
        case deliver(to: Int, advert: Advertisement, from: IPAddress)
        case timer(node: Int, RouterTimer, incarnation: Int)
        case disturbance(index: Int)
        case convergenceDeadline(episode: Int)
    }

    struct Node {
        var router: VirtualRouter
        /// The host is up (a crash takes it down; a stopped daemon's host stays up).
        var hostUp = false
        var incarnation = 0
        var holdsAddresses = false
        var trackerWeight = 0
        var faulted = false

        /// The daemon runs and takes part in the protocol.
        var isRunning: Bool { hostUp && router.state != .initialize }
        /// Could be master now: running, no fault, not withdrawn, not leaving.
        var isEligible: Bool {
            isRunning && !router.isFaulted && !router.isPeerFaulted && !router.isWithdrawn
                && (router.state == .backup || router.state == .master)
        }
    }

    let scenario: SimulationScenario
    var nodes: [Node]
    var groups: [Int]
    var queue = EventQueue<Event>()
    var random: SplitMix64
    var now = VRRPInstant.zero
    var consecutiveLosses: [[Int]]
    var lastArrival: [[Int64]]
    var episode: Episode
    var lastRandomLoss: VRRPInstant?
    /// Also trace every delivered advert and fired timer (long; for reading one seed).
    public var tracePackets = false
    var result: SimulationResult

    public init(scenario: SimulationScenario) {
        self.scenario = scenario
        nodes = scenario.routers.map { Node(router: VirtualRouter(configuration: $0)) }
        groups = Array(repeating: 0, count: scenario.routers.count)
        // The LAN's randomness is its own stream, separate from the generator's.
        random = SplitMix64(seed: scenario.seed ^ 0x5EED_1A2B_3C4D_5E6F)
        consecutiveLosses = Array(repeating: Array(repeating: 0, count: scenario.routers.count), count: scenario.routers.count)
        lastArrival = Array(repeating: Array(repeating: 0, count: scenario.routers.count), count: scenario.routers.count)
        episode = Episode(index: 0, disturbance: nil, start: .zero, nodeCount: scenario.routers.count)
        result = SimulationResult(seed: scenario.seed, transitions: [], addressChanges: [], violations: [],
                                  statistics: SimulationStatistics(), trace: [])
    }

    /// Runs to the scenario's end and returns what happened.
    public static func run(_ scenario: SimulationScenario, tracePackets: Bool = false) -> SimulationResult {
        var simulation = Simulation(scenario: scenario)
        simulation.tracePackets = tracePackets
        return simulation.run()
    }

    public mutating func run() -> SimulationResult {
        for (node, start) in scenario.startTimes.enumerated() { queue.push(.start(node: node), at: start.nanoseconds) }
        for (index, scheduled) in scenario.disturbances.enumerated() {
            queue.push(.disturbance(index: index), at: scheduled.at.nanoseconds)
        }
        beginEpisode(index: 0, disturbance: nil, at: .zero)
        while let next = queue.pop(), next.time <= scenario.endTime.nanoseconds {
            now = VRRPInstant(nanoseconds: next.time)
            result.statistics.events += 1
            process(next.payload)
            if result.violations.count >= 1 { break }
        }
        if result.violations.isEmpty {
            now = scenario.endTime
            finishEpisode()
        }
        result.trace.append("\(now) end of run")
        return result
    }

    private mutating func process(_ event: Event) {
        switch event {
        case .start(let node):
            startNode(node)
        case .deliver(let node, let advert, let source):
            guard nodes[node].isRunning else { return }
            if tracePackets { result.trace.append("\(now) n\(node) hears priority \(advert.priority) from \(source)") }
            handle(.advertReceived(advert, from: source), node: node)
        case .timer(let node, let timer, let incarnation):
            guard nodes[node].hostUp, nodes[node].incarnation == incarnation else { return }
            if tracePackets, nodes[node].router.deadline(of: timer) == now {
                result.trace.append("\(now) n\(node) \(timer) timer fires")
            }
            handle(.timerFired(timer), node: node)
        case .disturbance(let index):
            finishEpisode()
            guard result.violations.isEmpty else { return }
            let scheduled = scenario.disturbances[index]
            beginEpisode(index: index + 1, disturbance: scheduled.disturbance, at: now)
            apply(scheduled.disturbance)
        case .convergenceDeadline(let index):
            guard index == episode.index else { return }
            episode.converged = true
            checkSteadyState(context: "at the convergence deadline")
        }
    }

    // MARK: - Driving routers

    mutating func handle(_ event: RouterEvent, node: Int) {
        let actions = nodes[node].router.handle(event, at: now)
        var changed = false
        for action in actions { changed = perform(action, node: node) || changed }
        if nodes[node].holdsAddresses != nodes[node].router.state.holdsVirtualAddresses && nodes[node].hostUp {
            violate("address bookkeeping", "n\(node) in \(nodes[node].router.state) but holds addresses = \(nodes[node].holdsAddresses)")
        }
        if changed { afterChange() }
    }

    /// Performs one action as the data plane would; returns whether state or addresses changed.
    private mutating func perform(_ action: RouterAction, node: Int) -> Bool {
        switch action {
        case .sendAdvertisement(let advert):
            send(advert, from: node)
        case .addVirtualAddresses:
            if nodes[node].holdsAddresses { violate("address bookkeeping", "n\(node) added addresses it already holds") }
            setAddresses(node, held: true)
            return true
        case .removeVirtualAddresses:
            if !nodes[node].holdsAddresses { violate("address bookkeeping", "n\(node) removed addresses it does not hold") }
            setAddresses(node, held: false)
            return true
        case .announceVirtualAddresses(let reason):
            if reason == .stayedMasterAfterConflict {
                result.statistics.announcementsAfterConflict += 1
                result.reannouncements.append(ConflictReannouncement(time: now, node: node))
                result.trace.append("\(now) n\(node) re-announces the virtual addresses (stayed master after conflict)")
            }
        case .scheduleTimer(let timer, let deadline):
            queue.push(.timer(node: node, timer, incarnation: nodes[node].incarnation), at: deadline.nanoseconds)
        case .cancelTimer:
            // The router ignores firings that no longer match an armed deadline.
            break
        case .stateChanged(let from, let to, let reason):
            let transition = NodeTransition(time: now, node: node, from: from, to: to, reason: reason)
            result.transitions.append(transition)
            result.trace.append(transition.description)
            if (from == .master) != (to == .master) { episode.mastershipChanges[node] += 1 }
            return true
        }
        return false
    }

    mutating func setAddresses(_ node: Int, held: Bool) {
        guard nodes[node].holdsAddresses != held else { return }
        nodes[node].holdsAddresses = held
        result.addressChanges.append(AddressChange(time: now, node: node, holds: held))
        result.trace.append("\(now) n\(node) \(held ? "adds" : "removes") the virtual addresses")
    }

    private mutating func send(_ advert: Advertisement, from sender: Int) {
        result.statistics.advertsSent += 1
        for receiver in nodes.indices where receiver != sender {
            guard groups[receiver] == groups[sender] else {
                result.statistics.partitionDrops += 1
                continue
            }
            guard nodes[receiver].hostUp else { continue }
            let link = scenario.links[sender][receiver]
            if link.lossProbability > 0, consecutiveLosses[sender][receiver] < link.maxConsecutiveLosses,
               random.chance(link.lossProbability) {
                consecutiveLosses[sender][receiver] += 1
                if tracePackets { result.trace.append("\(now) advert n\(sender) -> n\(receiver) lost") }
                result.statistics.randomLosses += 1
                lastRandomLoss = now
                continue
            }
            consecutiveLosses[sender][receiver] = 0
            deliver(advert, from: sender, to: receiver, over: link)
            if link.duplicationProbability > 0, random.chance(link.duplicationProbability) {
                result.statistics.duplicates += 1
                deliver(advert, from: sender, to: receiver, over: link)
            }
        }
    }

    /// Jitter varies the delay, but one sender's packets to one receiver stay in
    /// order, as on a real segment (a priority 0 never overtakes the advert before it).
    private mutating func deliver(_ advert: Advertisement, from sender: Int, to receiver: Int, over link: LinkQuality) {
        let arrival = max((now + delay(on: link)).nanoseconds, lastArrival[sender][receiver])
        lastArrival[sender][receiver] = arrival
        queue.push(.deliver(to: receiver, advert: advert, from: scenario.routers[sender].primaryAddress), at: arrival)
    }

    private mutating func delay(on link: LinkQuality) -> VRRPDuration {
        guard link.jitter > .zero else { return link.delay }
        return link.delay + VRRPDuration(nanoseconds: random.int64(in: 0...link.jitter.nanoseconds))
    }

    // MARK: - Disturbances

    private mutating func startNode(_ node: Int) {
        var router = VirtualRouter(configuration: scenario.routers[node])
        // A fresh process: the data plane re-reads its trackers before starting the instance.
        if nodes[node].trackerWeight != 0 { _ = router.handle(.trackerWeightChanged(nodes[node].trackerWeight), at: now) }
        if nodes[node].faulted { _ = router.handle(.faultRaised, at: now) }
        nodes[node].router = router
        nodes[node].hostUp = true
        nodes[node].incarnation += 1
        result.trace.append("\(now) n\(node) starts (priority \(router.effectivePriority))")
        handle(.startup, node: node)
    }

    private func resolve(_ target: SimulationTarget) -> Int? {
        switch target {
        case .node(let node): return nodes[node].isRunning ? node : nil
        case .currentMaster: return nodes.indices.first { nodes[$0].isRunning && nodes[$0].router.state == .master }
        }
    }

    private mutating func apply(_ disturbance: Disturbance) {
        result.trace.append("\(now) ** \(disturbance)")
        switch disturbance {
        case .partition(let newGroups):
            groups = newGroups
        case .heal:
            groups = Array(repeating: 0, count: nodes.count)
            result.statistics.heals += 1
        case .crash(let target):
            guard let node = resolve(target) else { return }
            episode.touched.insert(node)
            nodes[node].hostUp = false
            nodes[node].incarnation += 1
            nodes[node].router = VirtualRouter(configuration: scenario.routers[node])
            result.trace.append("\(now) n\(node) crashes")
            setAddresses(node, held: false)
            afterChange()
        case .restartDownNodes:
            for node in nodes.indices where !nodes[node].isRunning { startNode(node) }
        case .restart(let node):
            if !nodes[node].isRunning { startNode(node) }
        case .trackerWeight(let node, let weight):
            nodes[node].trackerWeight = weight
            episode.touched.insert(node)
            if nodes[node].isRunning { handle(.trackerWeightChanged(weight), node: node) }
        case .raiseFault(let target):
            guard let node = resolve(target) else { return }
            episode.touched.insert(node)
            nodes[node].faulted = true
            handle(.faultRaised, node: node)
        case .clearFaults:
            for node in nodes.indices where nodes[node].faulted { clearFault(of: node) }
        case .clearFault(let node):
            if nodes[node].faulted { clearFault(of: node) }
        case .giveUp(let target), .shutdown(let target):
            guard let node = resolve(target) else { return }
            episode.touched.insert(node)
            if nodes[node].router.state == .master { watchHandoff(of: node) }
            handle(disturbance.isShutdown ? .shutdown : .giveUp, node: node)
        case .rejoinAll:
            for node in nodes.indices where nodes[node].isRunning && nodes[node].router.isWithdrawn {
                handle(.rejoin, node: node)
            }
        case .rejoin(let node):
            if nodes[node].isRunning { handle(.rejoin, node: node) }
        }
    }

    private mutating func clearFault(of node: Int) {
        nodes[node].faulted = false
        if nodes[node].isRunning { handle(.faultCleared, node: node) }
    }

    mutating func violate(_ property: String, _ detail: String) {
        result.violations.append(PropertyViolation(seed: scenario.seed, property: property, time: now, detail: detail, trace: result.trace))
    }
}

extension Disturbance {
    var isShutdown: Bool { if case .shutdown = self { true } else { false } }
}
