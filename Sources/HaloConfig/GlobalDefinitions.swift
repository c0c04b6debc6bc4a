import HaloNet

/// Gratuitous ARP / unsolicited NA timing: global defaults in `global_defs`
/// (`vrrp_garp_*`), overridable per instance (`garp_*`). nil means "not set here".
public struct GratuitousARPSettings: Hashable, Sendable {
    /// Delay before the second burst after becoming master (keepalived default 5 s).
    public var masterDelay: Milliseconds?
    /// Messages per burst on becoming master (default 5).
    public var masterRepeat: Int?
    /// Period of refresh bursts while master (default off).
    public var masterRefresh: Milliseconds?
    /// Messages per refresh burst (default 1).
    public var masterRefreshRepeat: Int?
    /// Delay of the burst sent when a lower-priority advert is heard.
    public var lowerPriorityDelay: Milliseconds?
    /// Messages in that burst.
    public var lowerPriorityRepeat: Int?

    public init() {}

    /// `self` where set, `fallback` elsewhere: an instance's settings over the globals.
    public func overriding(_ fallback: GratuitousARPSettings) -> GratuitousARPSettings {
        var merged = self
        merged.masterDelay = masterDelay ?? fallback.masterDelay
        merged.masterRepeat = masterRepeat ?? fallback.masterRepeat
        merged.masterRefresh = masterRefresh ?? fallback.masterRefresh
        merged.masterRefreshRepeat = masterRefreshRepeat ?? fallback.masterRefreshRepeat
        merged.lowerPriorityDelay = lowerPriorityDelay ?? fallback.lowerPriorityDelay
        merged.lowerPriorityRepeat = lowerPriorityRepeat ?? fallback.lowerPriorityRepeat
        return merged
    }
}

/// `notify_fifo PATH [USER [GROUP]]`: a FIFO that receives one line per state change.
public struct NotifyFIFO: Hashable, Sendable {
    public var path: String
    public var owner: ScriptUser?
    public var location: SourceLocation

    public init(path: String, owner: ScriptUser? = nil, location: SourceLocation) {
        self.path = path
        self.owner = owner
        self.location = location
    }
}

public enum VRRPVersion: Int, Hashable, Sendable, CustomStringConvertible {
    case v2 = 2
    case v3 = 3

    public var description: String { "VRRPv\(rawValue)" }
}

/// The `global_defs` block.
public struct GlobalDefinitions: Hashable, Sendable {
    public var routerID: String?
    public var scriptUser: ScriptUser?
    /// `scriptUser` is keepalived's default user, found on this host, not a `script_user` line.
    public var scriptUserIsDefault = false
    public var enableScriptSecurity = false
    /// Default version for instances that do not set one (keepalived: 2).
    public var defaultVRRPVersion: VRRPVersion = .v2
    public var vrrpStrict = false
    public var multicastGroup4 = IPv4Address(224, 0, 0, 18)
    public var multicastGroup6 = IPv6Address(high: 0xFF02_0000_0000_0000, low: 0x12)
    public var gratuitousARP = GratuitousARPSettings()
    /// Wait this long after start before instances may become master.
    public var startupDelay: Milliseconds?
    /// Only accept unicast adverts from configured peers.
    public var checkUnicastSource = false
    public var notifyFIFO: NotifyFIFO?
    /// Run for every line written to the FIFO.
    public var notifyFIFOScript: ScriptCommand?
    /// How long a notify hook may run before its process group is killed
    /// (Halo's `notify_timeout`; keepalived has none). nil: 30 s.
    public var notifyTimeout: Milliseconds?
    /// Real-time scheduling priority ceiling keepalived would pick automatically (`max_auto_priority [N]`).
    public var maxAutoPriority: Int?
    /// SCHED_RR priority for the VRRP process.
    public var realtimePriority: Int?
    /// Halo's `control_socket_group NAME`: members of this group may use the control socket (mode 0660).
    public var controlSocketGroup: String?
    /// Lock the daemon's memory (mlockall) so a swapping host cannot delay adverts.
    public var lockMemory = false
    /// Halo's `metrics_listen ADDRESS:PORT`: serve Prometheus metrics at http://ADDRESS:PORT/metrics.
    public var metricsListen: MetricsListenAddress?
    /// Halo's `state_dump_directory PATH`: where the SIGUSR1/SIGUSR2/JSON-signal dumps go (keepalived: always /tmp).
    public var stateDumpDirectory: String?
    public var location: SourceLocation?

    public init() {}
}
