/// The `status` reply: schema 1 (docs/control-protocol.md). Fields are only ever added.
public struct StatusReport: Codable, Equatable, Sendable {
    /// Host name of the node.
    public var node: String
    /// `router_id` from global_defs, when set.
    public var routerID: String?
    public var standby: Bool
    public var instances: [InstanceStatus]
    public var syncGroups: [SyncGroupStatus]
    /// Adverts dropped by the receive checks, per interface and family.
    public var receivers: [ReceiverStatus]
    /// Added in schema 1 (absent from older halod): every resource_group and its resources.
    public var resourceGroups: [ResourceGroupStatus]?

    public init(node: String, routerID: String?, standby: Bool, instances: [InstanceStatus],
                syncGroups: [SyncGroupStatus], receivers: [ReceiverStatus], resourceGroups: [ResourceGroupStatus]? = nil) {
        self.node = node
        self.routerID = routerID
        self.standby = standby
        self.instances = instances
        self.syncGroups = syncGroups
        self.receivers = receivers
        self.resourceGroups = resourceGroups
    }
}

public struct InstanceStatus: Codable, Equatable, Sendable {
    public var name: String
    public var interface: String
    public var vrid: Int
    /// VRRP version: 2 or 3.
    public var version: Int
    /// "ipv4" or "ipv6".
    public var family: String
    /// INIT, BACKUP, MASTER, FAULT or HANDOFF.
    public var state: String
    public var basePriority: Int
    public var effectivePriority: Int
    /// Sum of tracker weights now applied to the base priority.
    public var trackerWeight: Int
    /// Its own trackers hold it in FAULT.
    public var faulted: Bool
    /// Out of the election (standby, or holding after a failover): never takes over.
    public var withdrawn: Bool
    /// The latest effective-priority or fault change and its cause.
    public var priorityCause: String?
    public var virtualAddresses: [String]
    /// This node has the virtual addresses configured now.
    public var holdsAddresses: Bool
    /// The master's address: ours when MASTER/HANDOFF, else the last master heard.
    public var master: String?
    public var lastTransition: TransitionStatus?
    /// The latest advert accepted on this VRID from another router.
    public var lastAdvertHeard: AdvertHeard?
    public var adverts: AdvertCounts

    public init(name: String, interface: String, vrid: Int, version: Int, family: String, state: String,
                basePriority: Int, effectivePriority: Int, trackerWeight: Int, faulted: Bool, withdrawn: Bool,
                priorityCause: String?, virtualAddresses: [String], holdsAddresses: Bool, master: String?,
                lastTransition: TransitionStatus?, lastAdvertHeard: AdvertHeard?, adverts: AdvertCounts) {
        self.name = name
        self.interface = interface
        self.vrid = vrid
        self.version = version
        self.family = family
        self.state = state
        self.basePriority = basePriority
        self.effectivePriority = effectivePriority
        self.trackerWeight = trackerWeight
        self.faulted = faulted
        self.withdrawn = withdrawn
        self.priorityCause = priorityCause
        self.virtualAddresses = virtualAddresses
        self.holdsAddresses = holdsAddresses
        self.master = master
        self.lastTransition = lastTransition
        self.lastAdvertHeard = lastAdvertHeard
        self.adverts = adverts
    }
}

public struct TransitionStatus: Codable, Equatable, Sendable {
    public var from: String
    public var to: String
    public var reason: String
    /// Wall-clock time, RFC 3339 UTC with milliseconds.
    public var time: String
    /// Seconds between the transition and this report (monotonic, immune to clock steps).
    public var ageSeconds: Double

    public init(from: String, to: String, reason: String, time: String, ageSeconds: Double) {
        self.from = from
        self.to = to
        self.reason = reason
        self.time = time
        self.ageSeconds = ageSeconds
    }
}

public struct AdvertHeard: Codable, Equatable, Sendable {
    public var from: String
    public var priority: Int
    public var ageSeconds: Double

    public init(from: String, priority: Int, ageSeconds: Double) {
        self.from = from
        self.priority = priority
        self.ageSeconds = ageSeconds
    }
}

public struct AdvertCounts: Codable, Equatable, Sendable {
    public var sent: Int
    public var received: Int
    public var priorityZeroSent: Int
    public var sendErrors: Int
    public var transitions: Int

    public init(sent: Int, received: Int, priorityZeroSent: Int, sendErrors: Int, transitions: Int) {
        self.sent = sent
        self.received = received
        self.priorityZeroSent = priorityZeroSent
        self.sendErrors = sendErrors
        self.transitions = transitions
    }
}

public struct SyncGroupStatus: Codable, Equatable, Sendable {
    public var name: String
    public var members: [String]
    /// The members' common state, or MIXED while they move.
    public var state: String

    public init(name: String, members: [String], state: String) {
        self.name = name
        self.members = members
        self.state = state
    }
}

public struct ReceiverStatus: Codable, Equatable, Sendable {
    public var interface: String
    public var family: String
    /// Drop reason -> count (only reasons seen).
    public var drops: [String: Int]

    public init(interface: String, family: String, drops: [String: Int]) {
        self.interface = interface
        self.family = family
        self.drops = drops
    }
}
