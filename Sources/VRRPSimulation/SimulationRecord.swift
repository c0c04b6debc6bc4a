import VRRP

/// One state change of one node, as the harness saw it.
public struct NodeTransition: Hashable, Sendable, CustomStringConvertible {
    public var time: VRRPInstant
    public var node: Int
    public var from: RouterState
    public var to: RouterState
    public var reason: RouterStateChangeReason

    public var description: String { "\(time) n\(node) \(from) -> \(to) (\(reason))" }
}

/// A node starting or stopping to hold the virtual addresses.
public struct AddressChange: Hashable, Sendable {
    public var time: VRRPInstant
    public var node: Int
    public var holds: Bool

    public init(time: VRRPInstant, node: Int, holds: Bool) {
        self.time = time
        self.node = node
        self.holds = holds
    }
}

/// A master re-announcing its addresses after meeting another master.
public struct ConflictReannouncement: Hashable, Sendable {
    public var time: VRRPInstant
    public var node: Int

    public init(time: VRRPInstant, node: Int) {
        self.time = time
        self.node = node
    }
}

/// A broken property, with what is needed to reproduce and read it.
public struct PropertyViolation: Sendable, CustomStringConvertible {
    public var seed: UInt64
    public var property: String
    public var time: VRRPInstant
    public var detail: String
    /// The run's disturbances, state changes and address moves up to the violation.
    public var trace: [String]

    public var description: String {
        var lines = ["VIOLATION seed=\(seed) [\(property)] at \(time): \(detail)",
                     "  reproduce: halo-sim --seed \(seed) --schedules 1 --trace"]
        let shown = trace.suffix(80)
        if shown.count < trace.count { lines.append("  ... \(trace.count - shown.count) earlier trace lines omitted") }
        lines += shown.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

/// Counters that say how much a run actually exercised.
public struct SimulationStatistics: Hashable, Sendable {
    public var events = 0
    public var advertsSent = 0
    public var randomLosses = 0
    public var partitionDrops = 0
    public var duplicates = 0
    public var episodes = 0
    public var flappingChecks = 0
    /// Episodes with random loss: VRRP itself may flap there (a lost first advert
    /// from a new master lets a lower backup time out), so only the other properties apply.
    public var flappingChecksWaived = 0
    public var heals = 0
    public var handoffsChecked = 0
    public var announcementsAfterConflict = 0

    public mutating func add(_ other: SimulationStatistics) {
        events += other.events
        advertsSent += other.advertsSent
        randomLosses += other.randomLosses
        partitionDrops += other.partitionDrops
        duplicates += other.duplicates
        episodes += other.episodes
        flappingChecks += other.flappingChecks
        flappingChecksWaived += other.flappingChecksWaived
        heals += other.heals
        handoffsChecked += other.handoffsChecked
        announcementsAfterConflict += other.announcementsAfterConflict
    }
}

public struct SimulationResult: Sendable {
    public var seed: UInt64
    public var transitions: [NodeTransition]
    public var addressChanges: [AddressChange]
    public var reannouncements: [ConflictReannouncement] = []
    public var violations: [PropertyViolation]
    public var statistics: SimulationStatistics
    public var trace: [String]

    /// Transitions of one node, in order.
    public func transitions(of node: Int) -> [NodeTransition] { transitions.filter { $0.node == node } }
}
