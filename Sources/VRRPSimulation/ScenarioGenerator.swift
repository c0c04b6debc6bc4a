import HaloNet
import VRRP

/// Builds a random but reproducible scenario from a seed, within the assumptions
/// under which VRRP promises its properties:
/// - priorities are distinct and at least 10 apart, and every link's delay plus
///   jitter stays under half the skew of those 10 points, so the best backup's
///   advert reaches the others before their own timers run out;
/// - random loss never drops more than `down_timer_adverts − 1` (at most 2)
///   adverts in a row on a link: longer silences are partitions, scheduled as events;
/// - `state MASTER` is used only by the node that stays highest, and the address
///   owner and `preempt_delay` only with preemption (keepalived forbids the rest
///   or they defeat nopreempt by design);
/// - disturbances are spaced so the cluster settles between two of them.
public struct ScenarioGenerator: Sendable {
    public var routerCount: Int?

    public init(routerCount: Int? = nil) { self.routerCount = routerCount }

    static let priorityGap = 10

    public func scenario(seed: UInt64) -> SimulationScenario {
        var random = SplitMix64(seed: seed)
        let count = routerCount ?? random.int(in: 2...5)
        let version: VRRPVersion = random.chance(0.4) ? .v2 : .v3
        let interval: UInt16 = version == .v2 ? random.pick([100, 100, 200]) : random.pick([1, 10, 10, 50, 100])
        let downTimerAdverts = random.pick([3, 3, 3, 2, 4])
        let maxLosses = min(2, downTimerAdverts - 1)
        let preempt = random.chance(0.75)
        let advertInterval = VRRPDuration.centiseconds(Int64(interval))
        // Half-way between adverts: at an exact multiple of the interval, two better
        // backups race the expiry against the master's advert and one may accept one
        // advert more than the other, so the worse one takes over first and then yields
        // (real keepalived behaviour with preempt_delay = k × advert_int).
        let preemptDelay = preempt && random.chance(0.3)
            ? VRRPDuration(nanoseconds: (Int64(random.int(in: 1...4)) * 2 + 1) * advertInterval.nanoseconds / 2) : .zero
        let handoffBound: VRRPDuration? = random.chance(0.3) ? Int64(random.int(in: (maxLosses + 1)...(maxLosses + 3))) * advertInterval : nil
        let hasOwner = preempt && random.chance(0.25)
        let topPriority = hasOwner ? 240 : 250

        // Distinct priorities on a grid of `priorityGap`.
        var slots = Array(stride(from: 20, through: topPriority, by: Self.priorityGap))
        var priorities: [Int] = []
        for _ in 0..<count { priorities.append(slots.remove(at: random.int(in: 0...(slots.count - 1)))) }
        if hasOwner { priorities[0] = 255 }
        let highest = priorities.indices.max { priorities[$0] < priorities[$1] }!
        let stateMasterNode: Int? = preempt && !hasOwner && random.chance(0.3) ? highest : nil

        let routers = (0..<count).map { node in
            RouterConfiguration(
                virtualRouterID: 51, version: version, primaryAddress: .v4(IPv4Address(10, 0, 0, UInt8(10 + node))),
                virtualAddresses: [.v4(IPv4Address(10, 0, 0, 100))], basePriority: UInt8(priorities[node]),
                advertIntervalCentiseconds: interval, initialState: node == stateMasterNode ? .master : .backup,
                preempt: preempt, preemptDelay: preemptDelay, downTimerAdverts: downTimerAdverts, handoffBound: handoffBound)
        }

        // Skew of `priorityGap` points; delay + jitter stay under 40 % of it.
        let gapSkew = VRRPTiming(version: version).skewTime(priority: UInt8(256 - Self.priorityGap), masterAdvertInterval: advertInterval)
        let budget = gapSkew.nanoseconds * 4 / 10
        let lossy = random.chance(0.5)
        let links = (0..<count).map { _ in
            (0..<count).map { _ in
                LinkQuality(
                    delay: VRRPDuration(nanoseconds: random.int64(in: 0...(budget * 6 / 10))),
                    jitter: VRRPDuration(nanoseconds: random.int64(in: 0...(budget * 4 / 10))),
                    lossProbability: lossy ? Double(random.int(in: 0...15)) / 100 : 0,
                    duplicationProbability: random.chance(0.3) ? Double(random.int(in: 0...5)) / 100 : 0,
                    maxConsecutiveLosses: maxLosses)
            }
        }
        let startTimes = (0..<count).map { _ in VRRPInstant(nanoseconds: random.int64(in: 0...advertInterval.nanoseconds)) }

        // Spacing: the slowest settling any disturbance may need, plus a quiet window.
        let slowestDown = VRRPTiming(version: version, downTimerAdverts: downTimerAdverts)
            .masterDownInterval(priority: 1, masterAdvertInterval: advertInterval)
        let worstDelay = VRRPDuration(nanoseconds: budget)
        // (Simulation.convergenceBound's chain for the worst priority, plus a quiet window.)
        let settle = 2 * slowestDown + preemptDelay + Int64(2 * maxLosses + 1) * advertInterval + 3 * worstDelay
            + (handoffBound ?? 3 * advertInterval) + advertInterval * 2
        var disturbances: [ScheduledDisturbance] = []
        var time = VRRPInstant.zero + advertInterval + settle
        var state = GeneratorState(count: count, priorities: priorities, fixed: Set([stateMasterNode].compactMap { $0 } + (hasOwner ? [0] : [])),
                                   oneNodeAtATime: preemptDelay > .zero)
        for _ in 0..<random.int(in: 4...10) {
            disturbances.append(ScheduledDisturbance(at: time, state.next(&random)))
            time = time + settle + VRRPDuration(nanoseconds: random.int64(in: 0...(3 * advertInterval.nanoseconds)))
        }
        return SimulationScenario(seed: seed, routers: routers, links: links, startTimes: startTimes,
                                  disturbances: disturbances, endTime: time)
    }
}

/// What the generator must remember to keep its disturbances meaningful.
private struct GeneratorState {
    var count: Int
    var priorities: [Int]
    var weights: [Int]
    /// Nodes whose priority never changes (the owner, the `state MASTER` node).
    var fixed: Set<Int>
    var partitioned = false
    /// With preempt_delay, two better nodes entering Backup at the same instant
    /// (restart, fault cleared, rejoin) race that instant and their delay deadlines
    /// against the master's adverts in flight: one may accept an advert more and the
    /// worse one take over first for an interval (keepalived does the same). So
    /// those events then bring back one node at a time.
    var oneNodeAtATime: Bool

    init(count: Int, priorities: [Int], fixed: Set<Int>, oneNodeAtATime: Bool) {
        self.oneNodeAtATime = oneNodeAtATime
        self.count = count
        self.priorities = priorities
        weights = Array(repeating: 0, count: count)
        self.fixed = fixed
    }

    mutating func next(_ random: inout SplitMix64) -> Disturbance {
        if partitioned && random.chance(0.5) {
            partitioned = false
            return .heal
        }
        switch random.int(in: 0...10) {
        case 0 where !partitioned:
            var groups = (0..<count).map { _ in random.int(in: 0...min(2, count - 1)) }
            if Set(groups).count == 1 { groups[0] = groups[0] == 0 ? 1 : 0 }
            partitioned = true
            return .partition(groups: groups)
        case 1: return .crash(.currentMaster)
        case 2: return .crash(.node(random.int(in: 0...(count - 1))))
        case 3: return restart(&random)
        case 4: return priorityChange(&random) ?? restart(&random)
        case 5: return .raiseFault(random.chance(0.5) ? .currentMaster : .node(random.int(in: 0...(count - 1))))
        case 6: return oneNodeAtATime ? .clearFault(node: random.int(in: 0...(count - 1))) : .clearFaults
        case 7: return .giveUp(.currentMaster)
        case 8: return .shutdown(.currentMaster)
        case 9: return oneNodeAtATime ? .rejoin(node: random.int(in: 0...(count - 1))) : .rejoinAll
        default: return partitioned ? .heal : .crash(.currentMaster)
        }
    }

    func restart(_ random: inout SplitMix64) -> Disturbance {
        oneNodeAtATime ? .restart(node: random.int(in: 0...(count - 1))) : .restartDownNodes
    }

    /// A new tracker weight that keeps every effective priority distinct on the grid.
    mutating func priorityChange(_ random: inout SplitMix64) -> Disturbance? {
        let movable = (0..<count).filter { !fixed.contains($0) }
        guard !movable.isEmpty else { return nil }
        let node = random.pick(movable)
        let taken = Set((0..<count).filter { $0 != node }.map { priorities[$0] + weights[$0] })
        let ceiling = fixed.isEmpty ? 250 : (taken.max() ?? 250) - ScenarioGenerator.priorityGap
        let free = stride(from: 20, through: min(240, ceiling), by: ScenarioGenerator.priorityGap).filter { !taken.contains($0) }
        guard !free.isEmpty else { return nil }
        let target = random.pick(free)
        weights[node] = target - priorities[node]
        return .trackerWeight(node: node, weight: weights[node])
    }
}
