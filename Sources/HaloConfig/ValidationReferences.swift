import HaloNet

/// Rules that relate sections to each other: names defined once, references
/// that resolve, sync group membership, virtual server uniqueness.
extension Validator {
    mutating func removeDuplicateNames(_ configuration: inout Configuration) {
        configuration.scripts = firstOfEachName(configuration.scripts, kind: "vrrp_script", name: \.name, location: \.location)
        configuration.trackFiles = firstOfEachName(configuration.trackFiles, kind: "vrrp_track_file", name: \.name, location: \.location)
        configuration.instances = firstOfEachName(configuration.instances, kind: "vrrp_instance", name: \.name, location: \.location)
        configuration.syncGroups = firstOfEachName(configuration.syncGroups, kind: "vrrp_sync_group", name: \.name, location: \.location)
    }

    private mutating func firstOfEachName<T>(_ items: [T], kind: String, name: KeyPath<T, String>,
                                             location: KeyPath<T, SourceLocation>) -> [T] {
        var firstByName: [String: SourceLocation] = [:]
        return items.filter { item in
            if let first = firstByName[item[keyPath: name]] {
                diagnostics.error(item[keyPath: location], "\(kind) '\(item[keyPath: name])' is already defined at \(first); this one is ignored")
                return false
            }
            firstByName[item[keyPath: name]] = item[keyPath: location]
            return true
        }
    }

    /// track_script / track_file names must exist; unresolved ones are dropped.
    mutating func resolveReferences(_ configuration: inout Configuration) {
        let scriptNames = configuration.scripts.map(\.name)
        let fileNames = configuration.trackFiles.map(\.name)
        for index in configuration.instances.indices {
            configuration.instances[index].trackedScripts = resolve(configuration.instances[index].trackedScripts, kind: "track_script", target: "vrrp_script", names: scriptNames)
            configuration.instances[index].trackedFiles = resolve(configuration.instances[index].trackedFiles, kind: "track_file", target: "vrrp_track_file", names: fileNames)
        }
        for index in configuration.syncGroups.indices {
            configuration.syncGroups[index].trackedScripts = resolve(configuration.syncGroups[index].trackedScripts, kind: "track_script", target: "vrrp_script", names: scriptNames)
            configuration.syncGroups[index].trackedFiles = resolve(configuration.syncGroups[index].trackedFiles, kind: "track_file", target: "vrrp_track_file", names: fileNames)
        }
    }

    private mutating func resolve(_ references: [TrackedReference], kind: String, target: String, names: [String]) -> [TrackedReference] {
        references.filter { reference in
            guard !names.contains(reference.name) else { return true }
            var message = "\(kind) '\(reference.name)' names no \(target)"
            if let suggestion = EditDistance.suggestion(for: reference.name, among: names) { message += "; did you mean '\(suggestion)'?" }
            diagnostics.error(reference.location, message + " (keepalived ignores it)")
            return false
        }
    }

    /// Members must be instances that exist, each in one group only.
    mutating func validateSyncGroups(_ configuration: inout Configuration) {
        let running = Set(configuration.instances.map(\.name))
        let rejected = Set(configuration.rejected.map(\.what))
        var groupOfInstance: [String: String] = [:]
        var kept: [SyncGroup] = []
        for var group in configuration.syncGroups {
            group.members = group.members.filter { member in
                let location = group.memberLocations[member] ?? group.location
                if rejected.contains("vrrp_instance \(member)") {
                    diagnostics.warning(location, "sync group '\(group.name)' member '\(member)' has errors and does not run; the group runs without it")
                    return false
                }
                guard running.contains(member) else {
                    var message = "sync group '\(group.name)' member '\(member)' names no vrrp_instance"
                    if let suggestion = EditDistance.suggestion(for: member, among: Array(running)) { message += "; did you mean '\(suggestion)'?" }
                    diagnostics.error(location, message)
                    return false
                }
                if let other = groupOfInstance[member] {
                    diagnostics.error(location, "vrrp_instance '\(member)' is already in sync group '\(other)'; an instance belongs to one group only")
                    return false
                }
                groupOfInstance[member] = group.name
                return true
            }
            if group.members.isEmpty {
                diagnostics.error(group.location, "sync group '\(group.name)' has no instance that can run; it is ignored")
                configuration.rejected.append(IgnoredPart(what: "vrrp_sync_group \(group.name)", reason: "no valid members", location: group.location))
                continue
            }
            if group.members.count == 1 {
                diagnostics.warning(group.location, "sync group '\(group.name)' has only one instance ('\(group.members[0])'); a group of one synchronizes nothing")
            }
            kept.append(group)
        }
        configuration.syncGroups = kept
    }

    /// One service per address, port and protocol; a service needs real servers.
    mutating func validateVirtualServers(_ configuration: inout Configuration) {
        struct Key: Hashable { var address: IPAddress; var port: Int; var proto: VirtualServer.TransportProtocol }
        var seen: [Key: SourceLocation] = [:]
        configuration.virtualServers = configuration.virtualServers.filter { server in
            let key = Key(address: server.address, port: server.port, proto: server.transportProtocol)
            if let first = seen[key] {
                diagnostics.error(server.location, "virtual_server \(server.address) \(server.port) \(server.transportProtocol.rawValue) is already defined at \(first); this one is ignored")
                return false
            }
            seen[key] = server.location
            if server.realServers.isEmpty {
                diagnostics.warning(server.location, "virtual_server \(server.address) \(server.port) has no real_server")
            }
            return true
        }
    }
}
