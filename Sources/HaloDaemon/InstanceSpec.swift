import HaloNet
import VRRP

/// Everything the daemon needs to run one VRRP instance, resolved from the
/// configuration but not yet from the kernel (interface indexes and the primary
/// address are looked up when the instance starts).
public struct InstanceSpec: Hashable, Sendable {
    public var name: String
    public var interface: String
    public var family: AddressFamily
    public var virtualRouterID: UInt8
    public var version: VRRPVersion
    public var basePriority: UInt8
    public var advertIntervalCentiseconds: UInt16
    public var initialState: RouterConfiguration.InitialState
    public var preempt: Bool
    public var preemptDelayMilliseconds: Int64
    public var downTimerAdverts: Int
    public var advertiseOnLowerPriority: Bool
    public var handoffBoundMilliseconds: Int64?
    public var authentication: Authentication
    /// Carried in adverts and added on Master.
    public var virtualAddresses: [VirtualAddressSpec]
    /// Added on Master but not advertised (keepalived's virtual_ipaddress_excluded).
    public var excludedAddresses: [VirtualAddressSpec]
    /// nil: multicast; otherwise unicast to these peers.
    public var unicastPeers: [IPAddress]?
    /// unicast_src_ip / mcast_src_ip: the advert source instead of the interface's primary address.
    public var sourceAddress: IPAddress?
    /// Multicast group override (vrrp_mcast_group4/6); nil = 224.0.0.18 / ff02::12.
    public var multicastGroup: IPAddress?
    public var checkUnicastSource: Bool
    public var checksum: ChecksumMode
    public var announcements: AnnouncementSettings
    /// Interfaces whose carrier this instance tracks: weight 0 = fault while down.
    /// The instance's own interface is always tracked as a fault unless `dontTrackPrimary`.
    public var trackedInterfaces: [TrackedLink]
    public var dontTrackPrimary: Bool
    /// `track_script` lines (the instance's own and its sync group's), weights resolved.
    public var trackedScripts: [TrackerReference] = []
    /// `track_file` lines, weights resolved.
    public var trackedFiles: [TrackerReference] = []
    public var notify = NotifySpec()

    public init(
        name: String, interface: String, family: AddressFamily = .ipv4, virtualRouterID: UInt8,
        version: VRRPVersion = .v2, basePriority: UInt8 = 100, advertIntervalCentiseconds: UInt16 = 100,
        initialState: RouterConfiguration.InitialState = .backup, preempt: Bool = true,
        preemptDelayMilliseconds: Int64 = 0, downTimerAdverts: Int = 3, advertiseOnLowerPriority: Bool = true,
        handoffBoundMilliseconds: Int64? = nil, authentication: Authentication = .none,
        virtualAddresses: [VirtualAddressSpec], excludedAddresses: [VirtualAddressSpec] = [],
        unicastPeers: [IPAddress]? = nil, sourceAddress: IPAddress? = nil, multicastGroup: IPAddress? = nil,
        checkUnicastSource: Bool = false, checksum: ChecksumMode = .pseudoHeader,
        announcements: AnnouncementSettings = AnnouncementSettings(),
        trackedInterfaces: [TrackedLink] = [], dontTrackPrimary: Bool = false
    ) {
        self.name = name
        self.interface = interface
        self.family = family
        self.virtualRouterID = virtualRouterID
        self.version = version
        self.basePriority = basePriority
        self.advertIntervalCentiseconds = advertIntervalCentiseconds
        self.initialState = initialState
        self.preempt = preempt
        self.preemptDelayMilliseconds = preemptDelayMilliseconds
        self.downTimerAdverts = downTimerAdverts
        self.advertiseOnLowerPriority = advertiseOnLowerPriority
        self.handoffBoundMilliseconds = handoffBoundMilliseconds
        self.authentication = authentication
        self.virtualAddresses = virtualAddresses
        self.excludedAddresses = excludedAddresses
        self.unicastPeers = unicastPeers
        self.sourceAddress = sourceAddress
        self.multicastGroup = multicastGroup
        self.checkUnicastSource = checkUnicastSource
        self.checksum = checksum
        self.announcements = announcements
        self.trackedInterfaces = trackedInterfaces
        self.dontTrackPrimary = dontTrackPrimary
    }

    /// Every address this instance may put on the node.
    public var allAddresses: [VirtualAddressSpec] { virtualAddresses + excludedAddresses }

    public var group: IPAddress {
        multicastGroup ?? VRRPWire.group(for: family)
    }

    func routerConfiguration(primaryAddress: IPAddress) -> RouterConfiguration {
        RouterConfiguration(
            virtualRouterID: virtualRouterID, version: version, primaryAddress: primaryAddress,
            virtualAddresses: virtualAddresses.map(\.prefix.address), basePriority: basePriority,
            advertIntervalCentiseconds: advertIntervalCentiseconds, initialState: initialState,
            preempt: preempt, preemptDelay: .milliseconds(preemptDelayMilliseconds),
            downTimerAdverts: downTimerAdverts, advertiseOnLowerPriority: advertiseOnLowerPriority,
            handoffBound: handoffBoundMilliseconds.map { .milliseconds($0) }, authentication: authentication)
    }

    func receiveExpectation() -> ReceiveExpectation {
        ReceiveExpectation(
            virtualRouterID: virtualRouterID, version: version, authentication: authentication,
            advertIntervalCentiseconds: advertIntervalCentiseconds,
            virtualAddresses: virtualAddresses.map(\.prefix.address),
            delivery: unicastPeers.map { .unicast(peers: Set($0), checkSource: checkUnicastSource) } ?? .multicast,
            checksum: checksum, isAddressOwner: basePriority == Priority.owner)
    }
}

/// One `virtual_ipaddress` line: `IP[/LEN] [dev IF] [brd B] [scope S] [label L] [no_track]`.
public struct VirtualAddressSpec: Hashable, Sendable, CustomStringConvertible {
    public var prefix: IPPrefix
    /// nil: the instance's interface.
    public var device: String?
    public var broadcast: IPv4Address?
    public var scope: UInt8?
    public var label: String?
    /// Removal by someone else does not matter (keepalived's no_track).
    public var noTrack: Bool

    public init(prefix: IPPrefix, device: String? = nil, broadcast: IPv4Address? = nil, scope: UInt8? = nil,
                label: String? = nil, noTrack: Bool = false) {
        self.prefix = prefix
        self.device = device
        self.broadcast = broadcast
        self.scope = scope
        self.label = label
        self.noTrack = noTrack
    }

    public var description: String {
        var text = prefix.description
        if let device { text += " dev \(device)" }
        if let label { text += " label \(label)" }
        return text
    }
}

/// keepalived's gratuitous ARP / NA timing (global_defs, per-instance overrides).
public struct AnnouncementSettings: Hashable, Sendable {
    /// Second burst this long after becoming master (vrrp_garp_master_delay, 5 s; 0 = none).
    public var masterDelayMilliseconds: Int64 = 5_000
    /// Announcements per burst (vrrp_garp_master_repeat, 5).
    public var masterRepeat: Int = 5
    /// Periodic re-announcement while master (vrrp_garp_master_refresh, 0 = off).
    public var refreshMilliseconds: Int64 = 0
    public var refreshRepeat: Int = 1
    /// Announcements sent when a lower-priority advert arrives while master
    /// (vrrp_garp_lower_prio_repeat; keepalived's default is none, Halo re-announces
    /// after any conflict, see RouterAction.AnnounceReason).
    public var lowerPriorityRepeat: Int = 5
    public var lowerPriorityDelayMilliseconds: Int64 = 0
    /// A follow-up burst this long after becoming master, unless the second burst
    /// comes sooner anyway. Linux neighbours ignore ARP updates that arrive within
    /// `locktime` (1 s) of the previous one, and a port that just came up may
    /// drop the first burst while the switch catches up (linkwatch runs once a
    /// second); 1.1 s later both have passed. 0 = off.
    public var followUpMilliseconds: Int64 = 1_100
    /// Gap between frames in one burst (vrrp_garp_interval / vrrp_gna_interval, 0).
    public var intervalMicroseconds: Int64 = 0

    public init() {}
}

public struct TrackedLink: Hashable, Sendable {
    public var name: String
    /// 0: fault while down; otherwise added to the priority while down when negative,
    /// while up when positive (keepalived's track_interface weight).
    public var weight: Int
    /// `weight W reverse`: the weight applies in the opposite link state.
    public var reversed: Bool

    public init(name: String, weight: Int = 0, reversed: Bool = false) {
        self.name = name
        self.weight = weight
        self.reversed = reversed
    }
}
