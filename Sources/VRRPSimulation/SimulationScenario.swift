import VRRP

/// One link direction's behaviour on the simulated LAN.
public struct LinkQuality: Hashable, Sendable {
    public var delay: VRRPDuration
    /// Extra delay, uniform in 0...jitter, drawn per packet.
    public var jitter: VRRPDuration
    public var lossProbability: Double
    public var duplicationProbability: Double
    /// Random loss never drops more than this many adverts in a row on one link:
    /// a longer silence is a partition, which schedules model as an explicit event.
    public var maxConsecutiveLosses: Int

    public init(delay: VRRPDuration = .zero, jitter: VRRPDuration = .zero, lossProbability: Double = 0,
                duplicationProbability: Double = 0, maxConsecutiveLosses: Int = 0) {
        self.delay = delay
        self.jitter = jitter
        self.lossProbability = lossProbability
        self.duplicationProbability = duplicationProbability
        self.maxConsecutiveLosses = maxConsecutiveLosses
    }

    public static let perfect = LinkQuality()

    public var worstDelay: VRRPDuration { delay + jitter }
}

/// Which node a disturbance hits; `currentMaster` is resolved when it happens.
public enum SimulationTarget: Hashable, Sendable, CustomStringConvertible {
    case node(Int)
    case currentMaster

    public var description: String {
        switch self { case .node(let n): "n\(n)"; case .currentMaster: "the master" }
    }
}

public enum Disturbance: Hashable, Sendable, CustomStringConvertible {
    /// Nodes in different groups cannot hear each other; `groups[n]` is node n's group.
    case partition(groups: [Int])
    case heal
    /// The host dies: no packets, addresses gone.
    case crash(SimulationTarget)
    /// Every crashed or stopped node starts again (fresh process).
    case restartDownNodes
    /// One node starts again if it is down.
    case restart(node: Int)
    case trackerWeight(node: Int, weight: Int)
    case raiseFault(SimulationTarget)
    case clearFaults
    case clearFault(node: Int)
    /// Operator planned failover (make-before-break).
    case giveUp(SimulationTarget)
    /// Planned daemon stop (make-before-break), node stays down until a restart.
    case shutdown(SimulationTarget)
    case rejoinAll
    case rejoin(node: Int)

    public var description: String {
        switch self {
        case .partition(let groups): "partition \(groups)"
        case .heal: "heal"
        case .crash(let target): "crash \(target)"
        case .restartDownNodes: "restart down nodes"
        case .restart(let node): "restart n\(node)"
        case .trackerWeight(let node, let weight): "tracker weight of n\(node) = \(weight)"
        case .raiseFault(let target): "fault on \(target)"
        case .clearFaults: "clear faults"
        case .clearFault(let node): "clear the fault of n\(node)"
        case .giveUp(let target): "give-up by \(target)"
        case .shutdown(let target): "shutdown of \(target)"
        case .rejoinAll: "rejoin all"
        case .rejoin(let node): "rejoin n\(node)"
        }
    }

    var isPlannedHandoff: Bool {
        switch self { case .giveUp, .shutdown: true; default: false }
    }
}

public struct ScheduledDisturbance: Hashable, Sendable {
    public var at: VRRPInstant
    public var disturbance: Disturbance

    public init(at: VRRPInstant, _ disturbance: Disturbance) {
        self.at = at
        self.disturbance = disturbance
    }
}

/// Everything a run needs; a generated one is a pure function of its seed.
public struct SimulationScenario: Sendable {
    public var seed: UInt64
    /// One router per node, all on the same VRID.
    public var routers: [RouterConfiguration]
    /// `links[from][to]`.
    public var links: [[LinkQuality]]
    /// When each node first starts.
    public var startTimes: [VRRPInstant]
    /// In time order, spaced so the cluster settles between them.
    public var disturbances: [ScheduledDisturbance]
    public var endTime: VRRPInstant

    public init(seed: UInt64, routers: [RouterConfiguration], links: [[LinkQuality]], startTimes: [VRRPInstant],
                disturbances: [ScheduledDisturbance], endTime: VRRPInstant) {
        self.seed = seed
        self.routers = routers
        self.links = links
        self.startTimes = startTimes
        self.disturbances = disturbances
        self.endTime = endTime
    }

    /// Same link quality in every direction.
    public static func uniformLinks(_ quality: LinkQuality, nodes: Int) -> [[LinkQuality]] {
        Array(repeating: Array(repeating: quality, count: nodes), count: nodes)
    }

    public var worstLinkDelay: VRRPDuration {
        links.flatMap { $0 }.map(\.worstDelay).max() ?? .zero
    }

    public var preemptionEnabled: Bool { routers.allSatisfy(\.preempt) }
}
