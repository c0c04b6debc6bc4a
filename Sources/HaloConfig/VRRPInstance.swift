import HaloNet

/// One `vrrp_instance`: a virtual router this node takes part in.
public struct VRRPInstance: Hashable, Sendable {
    public enum InitialState: String, Hashable, Sendable {
        case master = "MASTER"
        case backup = "BACKUP"
    }

    public var name: String
    public var location: SourceLocation
    public var initialState: InitialState = .backup
    public var interface: String?
    public var virtualRouterID: Int?
    /// 1–255; 255 means this node owns the addresses.
    public var priority = 100
    /// Whole seconds for v2; 10 ms steps for v3.
    public var advertInterval = Milliseconds.seconds(1)
    /// As written in the instance; see `Configuration.version(of:)` for the one used.
    public var configuredVersion: VRRPVersion?
    public var preempt = true
    public var preemptDelay: Milliseconds?
    public var authentication: Authentication?
    public var virtualAddresses: [VirtualAddress] = []
    /// Addresses moved with the instance but not carried in adverts.
    public var excludedVirtualAddresses: [VirtualAddress] = []
    public var virtualRoutes: [VirtualRoute] = []
    public var unicastSource: IPAddress?
    public var unicastPeers: [UnicastPeer] = []
    public var multicastSource: IPAddress?
    public var trackedInterfaces: [TrackedInterface] = []
    public var trackedScripts: [TrackedReference] = []
    public var trackedFiles: [TrackedReference] = []
    public var notify = NotifyCommands()
    public var gratuitousARP = GratuitousARPSettings()
    /// keepalived defaults accept mode on (the RFC says off); nil = not written.
    public var acceptMode: Bool?
    /// Per-instance `strict_mode`; nil follows global `vrrp_strict`.
    public var strictMode: Bool?
    /// `use_vmac [NAME]`: run on a macvlan with the VRRP MAC; the name is optional.
    public var virtualMAC: VirtualMAC?
    public var dontTrackPrimary = false
    /// Adverts missed before the backup takes over (the 3 in Master_Down), 1–100.
    public var downTimerAdverts: Int?
    /// The VRRP version in use, resolved by validation from `version`, `vrrp_version` and the address family.
    public var version: VRRPVersion = .v2
    /// Strict RFC mode in effect (`strict_mode` or global `vrrp_strict`), resolved by validation.
    public var isStrict = false
    /// Where each keyword of the block was written, so checks that need the whole
    /// configuration (version, strict mode) can still point at the right line.
    public var keywordLocations: [String: SourceLocation] = [:]

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }

    /// The family of the virtual addresses (IPv4 when there are none, as keepalived assumes).
    public var family: AddressFamily { virtualAddresses.first?.prefix.family ?? .ipv4 }
}

public struct Authentication: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case password = "PASS"
    }

    public var kind: Kind
    /// At most 8 bytes: what goes in the VRRPv2 auth field.
    public var password: String
    public var location: SourceLocation

    public init(kind: Kind, password: String, location: SourceLocation) {
        self.kind = kind
        self.password = password
        self.location = location
    }
}

/// `IP[/LEN] [dev IF] [label L] [scope S] [brd B] [no_track]`.
public struct VirtualAddress: Hashable, Sendable, CustomStringConvertible {
    public var prefix: IPPrefix
    public var device: String?
    public var label: String?
    public var scope: String?
    public var broadcast: IPv4Address?
    /// Someone else deleting this address does not make the instance leave MASTER.
    public var noTrack = false
    public var location: SourceLocation

    public init(prefix: IPPrefix, location: SourceLocation) {
        self.prefix = prefix
        self.location = location
    }

    public var description: String {
        var text = prefix.description
        if let device { text += " dev \(device)" }
        if let label { text += " label \(label)" }
        return text
    }
}

/// A `virtual_routes` entry: `[src IP] [to] DEST [via GW] [dev IF] [scope S] [table T] [metric M] ...`.
public struct VirtualRoute: Hashable, Sendable, CustomStringConvertible {
    public var destination: IPPrefix
    public var gateway: IPAddress?
    public var source: IPAddress?
    public var device: String?
    public var scope: String?
    public var table: String?
    public var metric: Int?
    /// `blackhole`, `unreachable`, `prohibit` or nil for a unicast route.
    public var type: String?
    public var noTrack = false
    public var location: SourceLocation

    public init(destination: IPPrefix, location: SourceLocation) {
        self.destination = destination
        self.location = location
    }

    public var description: String {
        var text = (type.map { "\($0) " } ?? "") + destination.description
        if let gateway { text += " via \(gateway)" }
        if let device { text += " dev \(device)" }
        return text
    }
}

public struct UnicastPeer: Hashable, Sendable {
    public var address: IPAddress
    public var location: SourceLocation

    public init(address: IPAddress, location: SourceLocation) {
        self.address = address
        self.location = location
    }
}

/// `track_interface { IF [weight W] }`: weight 0 means FAULT while the link is down.
public struct TrackedInterface: Hashable, Sendable {
    public var name: String
    public var weight: Int
    public var weightReversed = false
    public var location: SourceLocation

    public init(name: String, weight: Int = 0, location: SourceLocation) {
        self.name = name
        self.weight = weight
        self.location = location
    }
}

/// A `track_script` or `track_file` line naming a `vrrp_script` / `vrrp_track_file`,
/// optionally overriding its weight.
public struct TrackedReference: Hashable, Sendable {
    public var name: String
    public var weightOverride: Int?
    public var weightReversed = false
    public var location: SourceLocation

    public init(name: String, weightOverride: Int? = nil, location: SourceLocation) {
        self.name = name
        self.weightOverride = weightOverride
        self.location = location
    }
}

/// Hooks run on state changes, argv exactly as configured.
public struct NotifyCommands: Hashable, Sendable {
    public var master: ScriptCommand?
    public var backup: ScriptCommand?
    public var fault: ScriptCommand?
    public var stop: ScriptCommand?
    /// Gets `INSTANCE|GROUP NAME STATE PRIORITY` appended.
    public var generic: ScriptCommand?

    public init() {}

    public var all: [ScriptCommand] { [master, backup, fault, stop, generic].compactMap { $0 } }
}

public struct VirtualMAC: Hashable, Sendable {
    /// The macvlan interface name; nil lets the daemon pick `vrrp.VRID`.
    public var interfaceName: String?
    public init(interfaceName: String? = nil) { self.interfaceName = interfaceName }
}
