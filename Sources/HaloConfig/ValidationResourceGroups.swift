/// Rules for resource groups: unique names, a follow target that exists and is
/// followed by one group only, resources with a usable agent, a vip_position
/// that names a resource of the group.
extension Validator {
    mutating func validateResourceGroups(_ configuration: inout Configuration) {
        var kept: [ResourceGroup] = []
        var followers: [String: String] = [:]
        var firstByName: [String: SourceLocation] = [:]
        for var group in configuration.resourceGroups {
            if let first = firstByName[group.name] {
                diagnostics.error(group.location, "resource_group '\(group.name)' is already defined at \(first); this one is ignored")
                continue
            }
            firstByName[group.name] = group.location
            if let reason = validateResourceGroup(&group, configuration: configuration, followers: &followers) {
                configuration.rejected.append(IgnoredPart(what: "resource_group \(group.name)", reason: reason, location: group.location))
            } else {
                kept.append(group)
            }
        }
        configuration.resourceGroups = kept
    }

    private mutating func validateResourceGroup(_ group: inout ResourceGroup, configuration: Configuration,
                                                followers: inout [String: String]) -> String? {
        let followLocation = group.keywordLocations["follow"] ?? group.keywordLocations["follow_group"] ?? group.location
        guard let follow = group.follow else {
            diagnostics.error(group.location, "resource_group '\(group.name)' has no 'follow VRRP_INSTANCE' or 'follow_group SYNC_GROUP'; it would never start")
            return "follows nothing"
        }
        switch follow {
        case .instance(let name):
            guard configuration.instance(named: name) != nil else {
                diagnostics.error(followLocation, "resource_group '\(group.name)' follows unknown vrrp_instance '\(name)'")
                return "unknown follow target"
            }
            if let sync = configuration.syncGroups.first(where: { $0.members.contains(name) }) {
                diagnostics.error(followLocation, "vrrp_instance '\(name)' belongs to vrrp_sync_group '\(sync.name)'; use 'follow_group \(sync.name)'")
                return "follows a sync group member"
            }
        case .syncGroup(let name):
            guard configuration.syncGroups.contains(where: { $0.name == name }) else {
                diagnostics.error(followLocation, "resource_group '\(group.name)' follows unknown vrrp_sync_group '\(name)'")
                return "unknown follow target"
            }
        }
        if let other = followers[follow.name] {
            diagnostics.error(followLocation, "\(follow) is already followed by resource_group '\(other)'; put the resources in one group")
            return "follow target already taken"
        }
        followers[follow.name] = group.name
        if group.resources.isEmpty {
            diagnostics.warning(group.location, "resource_group '\(group.name)' has no resources")
        }
        var seen: [String: SourceLocation] = [:]
        var fatal: String?
        for resource in group.resources {
            if let first = seen[resource.name] {
                diagnostics.error(resource.location, "resource '\(resource.name)' is already in resource_group '\(group.name)' (line \(first.line))")
                fatal = fatal ?? "duplicate resource name"
            }
            seen[resource.name] = resource.location
            if let reason = validateResource(resource) { fatal = fatal ?? reason }
        }
        if case .after(let name) = group.vipPosition, seen[name] == nil {
            diagnostics.error(group.keywordLocations["vip_position"] ?? group.location,
                              "'vip_position after \(name)': resource_group '\(group.name)' has no resource '\(name)'")
            fatal = fatal ?? "vip_position names no resource"
        }
        return fatal
    }

    private mutating func validateResource(_ resource: Resource) -> String? {
        guard let agent = resource.agent else {
            diagnostics.error(resource.location, "resource '\(resource.name)' has no 'agent' (ocf:PROVIDER:TYPE, lsb:SCRIPT, heartbeat:SCRIPT, systemd:UNIT, builtin:NAME or exec)")
            return "resource without agent"
        }
        let commands = [("start", resource.start), ("stop", resource.stop), ("monitor", resource.monitor)]
        if agent == .exec {
            for (keyword, command) in commands.prefix(2) where command == nil {
                diagnostics.error(resource.location, "resource '\(resource.name)' (agent exec) needs a '\(keyword)' command")
                return "exec resource without \(keyword)"
            }
            if resource.monitor == nil {
                diagnostics.warning(resource.location, "resource '\(resource.name)' (agent exec) has no 'monitor' command: it is never probed or monitored")
            }
            for parameter in resource.parameters {
                diagnostics.warning(resource.location, "resource '\(resource.name)': parameter '\(parameter.name)' means nothing to an exec agent; ignored")
            }
        } else {
            if case .builtin(let name) = agent, let reason = validateBuiltin(resource, agent: name) { return reason }
            validateScriptArguments(resource, agent: agent)
            for (keyword, command) in commands {
                if let command {
                    diagnostics.warning(command.location, "'\(keyword)' is only for agent exec; \(agent) has its own, ignored")
                }
            }
        }
        return nil
    }

    /// heartbeat scripts take only `args` (their arguments); systemd units take no parameters.
    private mutating func validateScriptArguments(_ resource: Resource, agent: ResourceAgentKind) {
        let accepted: [String]
        switch agent {
        case .heartbeat: accepted = ["args"]
        case .systemd: accepted = []
        default: return
        }
        for parameter in resource.parameters where !accepted.contains(parameter.name) {
            let takes = accepted.isEmpty ? "takes no parameters" : "takes only 'args ARGUMENT...'"
            diagnostics.warning(resource.location, "resource '\(resource.name)': \(agent) \(takes); '\(parameter.name)' is ignored")
        }
    }

    /// A known built-in agent, its required parameters present and no parameter it does not know.
    private mutating func validateBuiltin(_ resource: Resource, agent name: String) -> String? {
        guard let schema = BuiltinAgentSchema.catalog[name] else {
            let known = BuiltinAgentSchema.catalog.keys.sorted()
            let hint = EditDistance.suggestion(for: name, among: known).map { "; did you mean 'builtin:\($0)'?" }
                ?? " (built-in agents: \(known.joined(separator: ", ")))"
            diagnostics.error(resource.location, "resource '\(resource.name)': no built-in agent '\(name)'\(hint)")
            return "unknown built-in agent"
        }
        var fatal: String?
        for parameter in resource.parameters where schema.parameter(named: parameter.name) == nil {
            let hint = EditDistance.suggestion(for: parameter.name, among: schema.parameters.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
            diagnostics.error(resource.location, "resource '\(resource.name)': builtin:\(name) has no parameter '\(parameter.name)'\(hint)")
            fatal = fatal ?? "unknown parameter"
        }
        let given = Set(resource.parameters.map(\.name))
        for parameter in schema.parameters where parameter.required && !given.contains(parameter.name) {
            diagnostics.error(resource.location, "resource '\(resource.name)': builtin:\(name) needs '\(parameter.name)' (\(parameter.summary))")
            fatal = fatal ?? "missing parameter"
        }
        guard fatal == nil else { return fatal }
        let values = Dictionary(resource.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        for problem in schema.checkValues(values) {
            diagnostics.error(resource.location, "resource '\(resource.name)' (builtin:\(name)): \(problem)")
            fatal = fatal ?? "invalid parameter"
        }
        return fatal
    }
}

extension Configuration {
    /// Warnings for resources whose agent script is not on this host (config-test
    /// on the machine that will run it; the agent may be installed later, so not an error).
    public func missingResourceAgents(exists: (String) -> Bool) -> [Diagnostic] {
        resourceGroups.flatMap { group in
            group.resources.compactMap { resource -> Diagnostic? in
                guard let candidates = resource.agent?.scriptCandidates, !candidates.isEmpty,
                      !candidates.contains(where: exists) else { return nil }
                return Diagnostic(.warning, resource.location,
                                  "resource '\(resource.name)': agent \(resource.agent!) not found (\(candidates.joined(separator: " or "))); install it before this node becomes master")
            }
        }
    }
}

extension LoadResult {
    /// The result with a warning for each resource agent `exists` does not find.
    public func addingMissingResourceAgents(exists: (String) -> Bool) -> LoadResult {
        guard let configuration else { return self }
        var result = self
        result.diagnostics = (diagnostics + configuration.missingResourceAgents(exists: exists)).enumerated().sorted { a, b in
            a.element.location != b.element.location ? a.element.location < b.element.location : a.offset < b.offset
        }.map(\.element)
        return result
    }
}
