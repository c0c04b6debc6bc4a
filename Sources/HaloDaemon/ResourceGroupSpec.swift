import HaloConfig
import HaloResources

#if canImport(Glibc)
import Glibc
#endif

/// A `resource_group` as the engine runs it: the router group it follows (an
/// instance name or a sync group name, as `GroupRuntime.name`), its resources
/// as agents see them, and the planner's settings.
public struct ResourceGroupSpec: Hashable, Sendable {
    public var name: String
    public var follows: String
    public var resources: [ResourceDefinition]
    public var settings: GroupPlanner.Settings
    public var timing: GroupDriverTimingValues
    /// on_stop_failure fence COMMAND.
    public var fenceCommand: [String]?
    public var failureTimeoutMilliseconds: Int

    init(_ group: ResourceGroup) {
        name = group.name
        follows = group.follow?.name ?? ""
        resources = group.resources.map(ResourceDefinition.init)
        let names = group.resources.map(\.name)
        let vipIndex = switch group.vipPosition {
        case .first: 0
        case .last: names.count
        case .after(let name): (names.firstIndex(of: name) ?? -1) + 1
        }
        if case .fence(let command) = group.onStopFailure { fenceCommand = command.arguments }
        settings = GroupPlanner.Settings(
            resourceNames: names, vipIndex: vipIndex, migrationThreshold: group.migrationThreshold,
            failureTimeoutNanoseconds: Int64(group.failureTimeout.value) * 1_000_000, stopRetries: group.stopRetries,
            fences: fenceCommand != nil)
        timing = GroupDriverTimingValues(start: group.startTimeout.value, stop: group.stopTimeout.value,
                                         monitor: group.monitorTimeout.value, interval: group.monitorInterval.value)
        failureTimeoutMilliseconds = group.failureTimeout.value
    }
}

/// `GroupDriver.Timing` as a hashable value for the engine configuration.
public struct GroupDriverTimingValues: Hashable, Sendable {
    var start: Int, stop: Int, monitor: Int, interval: Int

    var timing: GroupDriver.Timing { .init(start: start, stop: stop, monitor: monitor, interval: interval) }
}

extension ResourceDefinition {
    init(_ resource: Resource) {
        let kind: Kind = switch resource.agent {
        case .ocf(let provider, let type): .ocf(provider: provider, type: type)
        case .lsb(let script): .lsb(script: script)
        case .heartbeat(let script):
            .heartbeat(script: Self.firstExisting(resource.agent?.scriptCandidates ?? [script]),
                       arguments: resource.parameters.filter { $0.name == "args" }.flatMap { $0.value.split(separator: " ").map(String.init) })
        case .systemd(let unit): .systemd(unit: unit)
        case .builtin(let name): .builtin(name: name)
        case .exec, nil: .exec(start: resource.start?.arguments ?? ["/bin/false"], stop: resource.stop?.arguments ?? ["/bin/false"],
                               monitor: resource.monitor?.arguments)
        }
        self.init(name: resource.name, kind: kind, parameters: resource.parameters.map { ($0.name, $0.value) })
    }

    /// heartbeat's lookup order: the first candidate that exists; else the first, so the
    /// start fails naming the place heartbeat would have looked first.
    private static func firstExisting(_ candidates: [String]) -> String {
        candidates.first { access($0, F_OK) == 0 } ?? candidates[0]
    }
}
