import HaloNet
import VRRP

/// Everything one router group (a sync group, or a lone instance) runs with:
/// its members, its GROUP hooks, the scripts and track files its members
/// track, and the resource group following it. Two equal definitions run
/// identically, so a reload leaves such a group untouched.
struct GroupDefinition: Hashable {
    var name: String
    var members: [InstanceSpec]
    /// nil for a lone instance.
    var syncGroupNotify: NotifySpec?
    var scripts: [ScriptSpec]
    var trackFiles: [TrackFileSpec]
    var resourceGroups: [ResourceGroupSpec]

    var memberNames: [String] { members.map(\.name) }
}

extension EngineConfiguration {
    /// One definition per router group, in configuration order.
    var groupDefinitions: [GroupDefinition] {
        let scriptsByName = Dictionary(scripts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let filesByName = Dictionary(trackFiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return groupedInstances.map { name, members in
            let scriptNames = Set(members.flatMap { $0.trackedScripts.map(\.name) }).sorted()
            let fileNames = Set(members.flatMap { $0.trackedFiles.map(\.name) }).sorted()
            return GroupDefinition(
                name: name, members: members,
                syncGroupNotify: syncGroups.first { $0.name == name }.map(\.notify),
                scripts: scriptNames.compactMap { scriptsByName[$0] },
                trackFiles: fileNames.compactMap { filesByName[$0] },
                resourceGroups: resourceGroups.filter { $0.follows == name })
        }
    }
}

/// What a reload does to each router group, decided from the running and the
/// new configuration alone (pure: no kernel, no clock).
struct ConfigurationDiff: Equatable {
    enum Change: Equatable {
        /// Applied to the running group: same sockets, state and timers. Each string says what changed.
        case inPlace([String])
        /// Handed off and started again with the new definition; the string says why.
        case restart(String)
    }

    var unchanged: [String] = []
    var added: [String] = []
    var removed: [String] = []
    var changed: [(name: String, change: Change)] = []
    /// Global settings that differ but only take effect when halod restarts.
    var needsRestart: [String] = []

    var summary: String {
        "reload: \(unchanged.count) unchanged, \(added.count) added, \(removed.count) removed, \(changed.count) changed"
    }

    init(from old: EngineConfiguration, to new: EngineConfiguration) {
        let oldGroups = old.groupDefinitions
        let newGroups = new.groupDefinitions
        let oldByName = Dictionary(oldGroups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(newGroups.map(\.name))
        removed = oldGroups.map(\.name).filter { !newNames.contains($0) }
        for group in newGroups {
            guard let previous = oldByName[group.name] else {
                added.append(group.name)
                continue
            }
            if previous == group {
                unchanged.append(group.name)
            } else {
                changed.append((group.name, Self.change(from: previous, to: group)))
            }
        }
        needsRestart = Self.globalChanges(from: old, to: new)
    }

    static func == (lhs: ConfigurationDiff, rhs: ConfigurationDiff) -> Bool {
        lhs.unchanged == rhs.unchanged && lhs.added == rhs.added && lhs.removed == rhs.removed
            && lhs.needsRestart == rhs.needsRestart
            && lhs.changed.map(\.name) == rhs.changed.map(\.name) && lhs.changed.map(\.change) == rhs.changed.map(\.change)
    }

    /// How a group with the same name but a different definition is brought up to date.
    static func change(from old: GroupDefinition, to new: GroupDefinition) -> Change {
        if old.memberNames != new.memberNames {
            return .restart("members \(old.memberNames.joined(separator: ",")) -> \(new.memberNames.joined(separator: ","))")
        }
        if (old.syncGroupNotify == nil) != (new.syncGroupNotify == nil) {
            return .restart(new.syncGroupNotify == nil ? "no longer a sync group" : "now a sync group")
        }
        for (before, after) in zip(old.members, new.members) {
            if let reason = restartReason(from: before, to: after) { return .restart("(\(after.name)) \(reason)") }
        }
        if old.resourceGroups != new.resourceGroups {
            let names = Set((old.resourceGroups + new.resourceGroups).map(\.name)).sorted()
            return .restart("resource group \(names.joined(separator: ", ")) changed")
        }
        var applied: [String] = []
        for (before, after) in zip(old.members, new.members) {
            applied += inPlaceChanges(from: before, to: after).map { "(\(after.name)) \($0)" }
        }
        if old.syncGroupNotify != new.syncGroupNotify { applied.append("sync group notify") }
        for name in Set((old.scripts + new.scripts).map(\.name)).sorted()
        where old.scripts.first(where: { $0.name == name }) != new.scripts.first(where: { $0.name == name }) {
            applied.append("vrrp_script \(name)")
        }
        for name in Set((old.trackFiles + new.trackFiles).map(\.name)).sorted()
        where old.trackFiles.first(where: { $0.name == name }) != new.trackFiles.first(where: { $0.name == name }) {
            applied.append("vrrp_track_file \(name)")
        }
        return .inPlace(applied)
    }

    /// What ties an instance to its socket, its place on the wire or the peer's
    /// view of it: changing any of these means leaving and joining again.
    static func restartReason(from old: InstanceSpec, to new: InstanceSpec) -> String? {
        if old.interface != new.interface { return "interface \(old.interface) -> \(new.interface)" }
        if old.family != new.family { return "address family changed" }
        if old.virtualRouterID != new.virtualRouterID { return "virtual_router_id \(old.virtualRouterID) -> \(new.virtualRouterID)" }
        if old.version != new.version { return "VRRP version changed" }
        if old.unicastPeers != new.unicastPeers { return "unicast peers changed" }
        if old.sourceAddress != new.sourceAddress { return "source address changed" }
        if old.multicastGroup != new.multicastGroup { return "multicast group changed" }
        if old.checkUnicastSource != new.checkUnicastSource || old.checksum != new.checksum { return "receive checks changed" }
        if old.authentication != new.authentication { return "authentication changed" }
        // The address owner skips the election; becoming or ceasing to be one is a new start.
        if (old.basePriority == Priority.owner) != (new.basePriority == Priority.owner) { return "address owner (priority 255) changed" }
        return nil
    }

    /// What differs between two instances that can keep running (restartReason is nil).
    static func inPlaceChanges(from old: InstanceSpec, to new: InstanceSpec) -> [String] {
        var changes: [String] = []
        if old.basePriority != new.basePriority { changes.append("priority \(old.basePriority) -> \(new.basePriority)") }
        if old.advertIntervalCentiseconds != new.advertIntervalCentiseconds {
            changes.append("advert_int \(old.advertIntervalCentiseconds) -> \(new.advertIntervalCentiseconds) cs")
        }
        if old.preempt != new.preempt || old.preemptDelayMilliseconds != new.preemptDelayMilliseconds { changes.append("preemption") }
        if old.initialState != new.initialState { changes.append("initial state (used at the next start)") }
        if old.downTimerAdverts != new.downTimerAdverts || old.advertiseOnLowerPriority != new.advertiseOnLowerPriority
            || old.handoffBoundMilliseconds != new.handoffBoundMilliseconds {
            changes.append("timers")
        }
        let oldAddresses = old.allAddresses, newAddresses = new.allAddresses
        let added = newAddresses.filter { !oldAddresses.contains($0) }
        let removed = oldAddresses.filter { !newAddresses.contains($0) }
        if !added.isEmpty || !removed.isEmpty {
            changes.append("virtual addresses" + added.map { " +\($0)" }.joined() + removed.map { " -\($0)" }.joined())
        } else if old.virtualAddresses != new.virtualAddresses {
            changes.append("advertised addresses")
        }
        if old.announcements != new.announcements { changes.append("announcements") }
        if old.trackedInterfaces != new.trackedInterfaces || old.dontTrackPrimary != new.dontTrackPrimary {
            changes.append("tracked interfaces")
        }
        if old.trackedScripts != new.trackedScripts { changes.append("track_script") }
        if old.trackedFiles != new.trackedFiles { changes.append("track_file") }
        if old.notify != new.notify { changes.append("notify") }
        return changes
    }

    /// Global settings the engine reads only at start.
    static func globalChanges(from old: EngineConfiguration, to new: EngineConfiguration) -> [String] {
        var changes: [String] = []
        let (a, b) = (old.hooks, new.hooks)
        if a.fifoPath != b.fifoPath || a.fifoOwner != b.fifoOwner || a.fifoScript != b.fifoScript { changes.append("notify_fifo") }
        if a.scriptUser != b.scriptUser { changes.append("script_user") }
        if a.notifyTimeoutNanoseconds != b.notifyTimeoutNanoseconds { changes.append("notify timeout") }
        if old.control.socketPath != new.control.socketPath { changes.append("control socket path") }
        if old.control.socketGroup != new.control.socketGroup { changes.append("control_socket_group") }
        if old.control.stateDirectory != new.control.stateDirectory { changes.append("state directory") }
        return changes
    }
}
