import HaloNet

/// Turns haresources lines into resource groups with heartbeat's rules: a bare
/// IP is `IPaddr::IP`; IPaddr/IPaddr2, drbddisk and Filesystem become Halo's
/// built-in agents; any other name is a heartbeat script (looked up in the
/// resource directory, then /etc/init.d) called with its `::` arguments.
public struct HaresourcesTranslator {
    /// One group per line, named `FILE_LINE` (`haresources_3`), not yet following anything.
    public struct Group: Hashable, Sendable {
        public var group: ResourceGroup
        public var line: HaresourcesLine
    }

    /// Where heartbeat scripts are looked up first (heartbeat's default unless the config says).
    public var resourceDirectory = ResourceAgentKind.heartbeatResourceDirectory
    /// Whether a script exists (the real filesystem, or an in-memory one in tests).
    public var exists: (String) -> Bool

    public init(resourceDirectory: String = ResourceAgentKind.heartbeatResourceDirectory, exists: @escaping (String) -> Bool) {
        self.resourceDirectory = resourceDirectory
        self.exists = exists
    }

    public func translate(_ lines: [HaresourcesLine], diagnostics: inout DiagnosticCollector) -> [Group] {
        lines.map { line in
            var group = ResourceGroup(name: Self.groupName(line.location), location: line.location)
            var used: [String: Int] = [:]
            for entry in line.resources {
                guard var resource = resource(for: entry, diagnostics: &diagnostics) else { continue }
                used[resource.name, default: 0] += 1
                if let count = used[resource.name], count > 1 { resource.name += "_\(count)" }
                group.resources.append(resource)
            }
            return Group(group: group, line: line)
        }
    }

    /// `haresources_3` for line 3 of `/etc/ha.d/haresources`.
    static func groupName(_ location: SourceLocation) -> String {
        let base = location.file.split(separator: "/").last.map(String.init) ?? "haresources"
        let clean = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        return "\(clean)_\(location.line)"
    }

    func resource(for entry: HaresourcesEntry, diagnostics: inout DiagnosticCollector) -> Resource? {
        var resource = Resource(name: entry.name, location: entry.location)
        if IPv4Address(entry.name.split(separator: "/").first.map(String.init) ?? "") != nil {
            resource.name = "IPaddr"
            return ipAddress(entry.name, entry: entry, into: resource, diagnostics: &diagnostics)
        }
        switch entry.name {
        case "IPaddr", "IPaddr2":
            guard entry.arguments.count == 1 else {
                diagnostics.error(entry.location, "haresources '\(entry.text)': \(entry.name) takes one argument, IP[/BITS[/INTERFACE[/BROADCAST]]]")
                return nil
            }
            return ipAddress(entry.arguments[0], entry: entry, into: resource, diagnostics: &diagnostics)
        case "drbddisk":
            guard entry.arguments.count <= 1 else {
                diagnostics.error(entry.location, "haresources '\(entry.text)': drbddisk takes one DRBD resource name")
                return nil
            }
            // heartbeat's drbddisk without an argument promotes every resource.
            return builtin(.drbd, [(.drbdResource, entry.arguments.first ?? "all")], resource)
        case "Filesystem":
            guard (2...4).contains(entry.arguments.count), !entry.arguments[0].isEmpty, !entry.arguments[1].isEmpty else {
                diagnostics.error(entry.location, "haresources '\(entry.text)': Filesystem needs ::DEVICE::DIRECTORY[::FSTYPE[::OPTIONS]]")
                return nil
            }
            let names: [HaresourcesBuiltin.Parameter] = [.device, .directory, .fstype, .options]
            return builtin(.filesystem, Array(zip(names, entry.arguments)).filter { !$0.1.isEmpty }, resource)
        default:
            guard !entry.name.contains("/") else {
                diagnostics.error(entry.location, "haresources '\(entry.text)': a resource is a script name, not a path")
                return nil
            }
            resource.agent = .heartbeat(script: scriptLocation(entry.name))
            if !entry.arguments.isEmpty {
                resource.parameters.append(ResourceParameter(name: "args", value: entry.arguments.joined(separator: " ")))
            }
            return resource
        }
    }

    /// heartbeat's IPaddr argument: `IP[/BITS[/INTERFACE[/BROADCAST]]]`.
    private func ipAddress(_ spec: String, entry: HaresourcesEntry, into resource: Resource,
                           diagnostics: inout DiagnosticCollector) -> Resource? {
        let fields = spec.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard fields.count <= 4, IPv4Address(fields[0]) != nil else {
            diagnostics.error(entry.location, "haresources '\(entry.text)': '\(spec)' is not IP[/BITS[/INTERFACE[/BROADCAST]]] with an IPv4 address")
            return nil
        }
        // heartbeat guessed a missing prefix length or interface from the routes; Halo wants them said.
        guard fields.count >= 3, !fields[1].isEmpty, !fields[2].isEmpty else {
            diagnostics.error(entry.location, "haresources '\(entry.text)': write the prefix length and interface (\(fields[0])/24/eth0): Halo does not guess them from the routes as heartbeat did")
            return nil
        }
        guard let bits = Int(fields[1]), (1...32).contains(bits) else {
            diagnostics.error(entry.location, "haresources '\(entry.text)': prefix length '\(fields[1])' must be 1 to 32")
            return nil
        }
        var parameters: [(HaresourcesBuiltin.Parameter, String)] = [(.address, "\(fields[0])/\(bits)"), (.interface, fields[2])]
        if fields.count > 3, !fields[3].isEmpty {
            if HaresourcesBuiltin.accepts(.ip, .broadcast) {
                parameters.append((.broadcast, fields[3]))
            } else {
                diagnostics.warning(entry.location, "haresources '\(entry.text)': broadcast \(fields[3]) ignored; builtin:ip derives it from the prefix")
            }
        }
        return builtin(.ip, parameters, resource)
    }

    private func builtin(_ agent: HaresourcesBuiltin, _ parameters: [(HaresourcesBuiltin.Parameter, String)], _ resource: Resource) -> Resource {
        var resource = resource
        resource.agent = .builtin(name: agent.rawValue)
        resource.parameters = parameters.map { ResourceParameter(name: $0.0.name, value: $0.1) }
        return resource
    }

    /// A bare name keeps heartbeat's own lookup (resource.d, then init.d) when the
    /// directory is heartbeat's; another directory is resolved here to a path.
    private func scriptLocation(_ name: String) -> String {
        if resourceDirectory == ResourceAgentKind.heartbeatResourceDirectory { return name }
        let candidates = [Path.resolve(name, from: resourceDirectory), "\(ResourceAgentKind.initDirectory)/\(name)"]
        return candidates.first(where: exists) ?? candidates[0]
    }
}

/// The built-in agents heartbeat's well-known resources map to, and their parameter names.
enum HaresourcesBuiltin: String {
    case ip, drbd, filesystem

    enum Parameter: String {
        case address, interface, broadcast, drbdResource = "resource", device, directory, fstype, options

        var name: String { rawValue }
    }

    static func accepts(_ agent: Self, _ parameter: Parameter) -> Bool {
        BuiltinAgentSchema.catalog[agent.rawValue]?.parameter(named: parameter.name) != nil
    }
}
