/// What the engine runs: the instances and how they are grouped.
public struct EngineConfiguration: Hashable, Sendable {
    public var instances: [InstanceSpec]
    /// vrrp_sync_group members by instance name; instances in no group run alone.
    public var syncGroups: [SyncGroupSpec]
    /// Parts of the configuration this build reads but does not run, said once at start.
    public var notRun: [String]
    /// The `vrrp_script`s some instance or group tracks (only those run).
    public var scripts: [ScriptSpec] = []
    /// The `vrrp_track_file`s some instance or group tracks.
    public var trackFiles: [TrackFileSpec] = []
    public var hooks = HookSettings()
    /// The control socket and standby state (docs/control-protocol.md).
    public var control = ControlSettings()
    /// resource_group sections, each attached to the router group it follows.
    public var resourceGroups: [ResourceGroupSpec] = []
    /// global_defs `metrics_listen`: where to serve Prometheus metrics (nil: no endpoint).
    public var metrics: MetricsEndpointSettings?
    /// The file this was loaded from: what SIGHUP and `haloctl reload` read again.
    public var configurationPath: String?
    /// global_defs `state_dump_directory`: where SIGUSR1, SIGUSR2 and SIGRTMIN+2 write keepalived.data/.stats/.json.
    public var stateDumpDirectory = "/tmp"

    public init(instances: [InstanceSpec], syncGroups: [SyncGroupSpec] = [], notRun: [String] = []) {
        self.instances = instances
        self.syncGroups = syncGroups
        self.notRun = notRun
    }

    /// Groups in configuration order: each sync group, then every instance in none.
    var groupedInstances: [(name: String, members: [InstanceSpec])] {
        let byName = Dictionary(instances.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var grouped = Set<String>()
        var result: [(String, [InstanceSpec])] = []
        for group in syncGroups {
            let members = group.members.compactMap { byName[$0] }
            guard !members.isEmpty else { continue }
            grouped.formUnion(group.members)
            result.append((group.name, members))
        }
        for instance in instances where !grouped.contains(instance.name) {
            result.append((instance.name, [instance]))
        }
        return result
    }
}

public struct SyncGroupSpec: Hashable, Sendable {
    public var name: String
    public var members: [String]
    /// The group's own hooks, called with `GROUP` and priority 0.
    public var notify = NotifySpec()

    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
    }
}
