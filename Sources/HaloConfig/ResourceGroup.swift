/// `resource_group NAME { follow VI_1; resource NAME { agent ...; PARAM VALUE } ... }`:
/// Halo's extension to the keepalived language (heartbeat's haresources,
/// Pacemaker's groups): resources started in order on the master of the
/// instance or sync group it follows, stopped in reverse when it leaves MASTER.
public struct ResourceGroup: Hashable, Sendable {
    /// What the group follows: one `vrrp_instance`, or a `vrrp_sync_group`.
    public enum Follow: Hashable, Sendable, CustomStringConvertible {
        case instance(String)
        case syncGroup(String)

        public var name: String {
            switch self { case .instance(let name), .syncGroup(let name): name }
        }

        public var description: String {
            switch self {
            case .instance(let name): "vrrp_instance \(name)"
            case .syncGroup(let name): "vrrp_sync_group \(name)"
            }
        }
    }

    /// Where the followed VIPs go in the start order (stop is the reverse).
    public enum VIPPosition: Hashable, Sendable, CustomStringConvertible {
        /// VIPs up before the first resource starts (the default).
        case first
        /// VIPs up only once every resource has started (NFS: clients see the
        /// address only when exports are ready).
        case last
        /// VIPs up right after this resource has started.
        case after(String)

        public var description: String {
            switch self {
            case .first: "first"
            case .last: "last"
            case .after(let name): "after \(name)"
            }
        }
    }

    /// What to do when a stop still fails after its retries.
    public enum StopFailurePolicy: Hashable, Sendable, CustomStringConvertible {
        /// Leave the resource in an unknown state and refuse to promote here.
        case block
        /// Run the user's fencing command, then consider the resource stopped.
        case fence(ScriptCommand)

        public var description: String {
            switch self {
            case .block: "block"
            case .fence(let command): "fence \(command)"
            }
        }
    }

    public var name: String
    public var follow: Follow?
    public var resources: [Resource] = []
    public var monitorInterval = Milliseconds.seconds(10)
    public var monitorTimeout = Milliseconds.seconds(20)
    public var startTimeout = Milliseconds.seconds(60)
    public var stopTimeout = Milliseconds.seconds(120)
    /// Monitor failures restarted in place before the group fails over.
    public var migrationThreshold = 3
    /// Failures older than this are forgotten; zero: never forgotten.
    public var failureTimeout = Milliseconds(0)
    /// Extra stop attempts before the policy applies.
    public var stopRetries = 2
    public var onStopFailure = StopFailurePolicy.block
    public var vipPosition = VIPPosition.first
    public var location: SourceLocation
    public var keywordLocations: [String: SourceLocation] = [:]

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }

    public func resource(named name: String) -> Resource? { resources.first { $0.name == name } }
}

/// One `resource NAME { agent KIND; PARAM VALUE; ... }` of a group.
public struct Resource: Hashable, Sendable {
    public var name: String
    public var agent: ResourceAgentKind?
    /// `PARAM VALUE` lines, in order: OCF_RESKEY_PARAM for OCF agents.
    public var parameters: [ResourceParameter] = []
    /// The `exec` agent's commands.
    public var start: ScriptCommand?
    public var stop: ScriptCommand?
    public var monitor: ScriptCommand?
    public var location: SourceLocation

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }
}

public struct ResourceParameter: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// `ocf:PROVIDER:TYPE`, `lsb:SCRIPT`, `heartbeat:SCRIPT`, `systemd:UNIT`, `builtin:NAME` or `exec`.
public enum ResourceAgentKind: Hashable, Sendable, CustomStringConvertible {
    case ocf(provider: String, type: String)
    case lsb(script: String)
    /// A heartbeat resource script, called `SCRIPT ARGS... start|stop|status` (the `args`
    /// parameter); a bare name is looked up in heartbeat's directories, a path is used as is.
    case heartbeat(script: String)
    /// A systemd unit driven through systemctl.
    case systemd(unit: String)
    /// One of Halo's own agents (`BuiltinAgentSchema.catalog`); the name is checked by validation.
    case builtin(name: String)
    case exec

    public static let ocfRoot = "/usr/lib/ocf"
    public static let initDirectory = "/etc/init.d"
    /// heartbeat looks a resource script up here first, then in `initDirectory`.
    public static let heartbeatResourceDirectory = "/etc/ha.d/resource.d"

    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("ocf", 3) where !parts[1].isEmpty && !parts[2].isEmpty && !parts[1].contains("/") && !parts[2].contains("/"):
            self = .ocf(provider: parts[1], type: parts[2])
        case ("lsb", 2) where !parts[1].isEmpty && !parts[1].contains("/"):
            self = .lsb(script: parts[1])
        case ("heartbeat", 2) where !parts[1].isEmpty && (!parts[1].contains("/") || parts[1].hasPrefix("/")):
            self = .heartbeat(script: parts[1])
        case ("systemd", 2) where !parts[1].isEmpty && !parts[1].contains("/"):
            self = .systemd(unit: parts[1])
        case ("builtin", 2) where !parts[1].isEmpty:
            self = .builtin(name: parts[1])
        case ("exec", 1):
            self = .exec
        default:
            return nil
        }
    }

    /// The script this agent runs first in lookup order, or nil for agents without one.
    public var scriptPath: String? { scriptCandidates.first }

    /// Where the agent's script may be, in lookup order; empty when it runs no script.
    public var scriptCandidates: [String] {
        switch self {
        case .ocf(let provider, let type): ["\(Self.ocfRoot)/resource.d/\(provider)/\(type)"]
        case .lsb(let script): ["\(Self.initDirectory)/\(script)"]
        case .heartbeat(let script) where script.hasPrefix("/"): [script]
        case .heartbeat(let script): ["\(Self.heartbeatResourceDirectory)/\(script)", "\(Self.initDirectory)/\(script)"]
        case .systemd, .builtin, .exec: []
        }
    }

    public var description: String {
        switch self {
        case .ocf(let provider, let type): "ocf:\(provider):\(type)"
        case .lsb(let script): "lsb:\(script)"
        case .heartbeat(let script): "heartbeat:\(script)"
        case .systemd(let unit): "systemd:\(unit)"
        case .builtin(let name): "builtin:\(name)"
        case .exec: "exec"
        }
    }
}
