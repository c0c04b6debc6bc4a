import HaloNet

/// What one `vrrp_instance` tells the state machine. The config layer maps
/// keepalived keywords onto these fields and validates their ranges.
public struct RouterConfiguration: Hashable, Sendable {
    /// keepalived's `state`: only where a non-owner starts its wait (see `VirtualRouter`).
    public enum InitialState: Hashable, Sendable { case backup, master }

    public var virtualRouterID: UInt8
    public var version: VRRPVersion
    /// Our own primary address (IPv4) or link-local (IPv6): the source of our adverts
    /// and the tie-break between equal priorities (unsigned compare, RFC 5798 §6.4.3).
    public var primaryAddress: IPAddress
    /// The virtual addresses carried in our adverts.
    public var virtualAddresses: [IPAddress]
    /// 1–255; 255 means we own the addresses.
    public var basePriority: UInt8
    /// Our advert interval in centiseconds (v2: a multiple of 100).
    public var advertIntervalCentiseconds: UInt16
    public var initialState: InitialState
    /// false = keepalived's `nopreempt`.
    public var preempt: Bool
    /// keepalived's `preempt_delay` (0–1000 s).
    public var preemptDelay: VRRPDuration
    /// keepalived's `down_timer_adverts` (1–100).
    public var downTimerAdverts: Int
    /// On a lower-priority advert while master, answer with our own at once
    /// (RFC 9568, keepalived default); false = keepalived's `lower_prio_no_advert`.
    public var advertiseOnLowerPriority: Bool
    /// Before yielding to a better master, send one advert of our own (keepalived's
    /// `higher_prio_send_advert`, on by default in Halo): after a split brain the
    /// winner then hears us, answers and re-announces, whichever advert crossed first.
    public var advertiseBeforeYielding: Bool
    /// How long a master that gives up keeps its addresses waiting for the
    /// successor's first advert; nil = 3 × advert interval.
    public var handoffBound: VRRPDuration?
    public var authentication: Authentication

    public init(
        virtualRouterID: UInt8, version: VRRPVersion = .v2, primaryAddress: IPAddress,
        virtualAddresses: [IPAddress], basePriority: UInt8 = 100, advertIntervalCentiseconds: UInt16 = 100,
        initialState: InitialState = .backup, preempt: Bool = true, preemptDelay: VRRPDuration = .zero,
        downTimerAdverts: Int = 3, advertiseOnLowerPriority: Bool = true, advertiseBeforeYielding: Bool = true, handoffBound: VRRPDuration? = nil,
        authentication: Authentication = .none
    ) {
        self.virtualRouterID = virtualRouterID
        self.version = version
        self.primaryAddress = primaryAddress
        self.virtualAddresses = virtualAddresses
        self.basePriority = basePriority
        self.advertIntervalCentiseconds = advertIntervalCentiseconds
        self.initialState = initialState
        self.preempt = preempt
        self.preemptDelay = preemptDelay
        self.downTimerAdverts = downTimerAdverts
        self.advertiseOnLowerPriority = advertiseOnLowerPriority
        self.advertiseBeforeYielding = advertiseBeforeYielding
        self.handoffBound = handoffBound
        self.authentication = authentication
    }

    public var advertInterval: VRRPDuration { .centiseconds(Int64(advertIntervalCentiseconds)) }
    public var timing: VRRPTiming { VRRPTiming(version: version, downTimerAdverts: downTimerAdverts) }
    public var isAddressOwner: Bool { basePriority == Priority.owner }
    public var effectiveHandoffBound: VRRPDuration { handoffBound ?? 3 * advertInterval }
}
