/// Everything a keepalived-style configuration asks for, after validation:
/// what the daemon runs. Parts rejected by validation are not here; they are
/// in `rejected` with the reason.
public struct Configuration: Hashable, Sendable {
    public var globals = GlobalDefinitions()
    public var scripts: [VRRPScript] = []
    public var trackFiles: [TrackFile] = []
    public var instances: [VRRPInstance] = []
    public var syncGroups: [SyncGroup] = []
    /// Parsed and validated; Halo runs no IPVS (see `--config-test`).
    public var virtualServers: [VirtualServer] = []
    /// Halo's extension: ordered resources that follow an instance or sync group.
    public var resourceGroups: [ResourceGroup] = []
    /// Read but deliberately not acted on (mail, SNMP, unknown keywords...).
    public var ignored: [IgnoredPart] = []
    /// Sections dropped because of errors.
    public var rejected: [IgnoredPart] = []

    public init() {}

    public func script(named name: String) -> VRRPScript? { scripts.first { $0.name == name } }
    public func instance(named name: String) -> VRRPInstance? { instances.first { $0.name == name } }

    /// Scripts that will actually run: keepalived runs only scripts something tracks.
    public var trackedScriptNames: Set<String> {
        var names = Set(instances.flatMap { $0.trackedScripts.map(\.name) })
        names.formUnion(syncGroups.flatMap { $0.trackedScripts.map(\.name) })
        return names.intersection(scripts.map(\.name))
    }

    /// Commands the daemon would execute: tracked scripts and notify hooks.
    public var runsScripts: Bool {
        !trackedScriptNames.isEmpty || instances.contains { !$0.notify.all.isEmpty }
            || syncGroups.contains { !$0.notify.all.isEmpty } || globals.notifyFIFOScript != nil
    }
}

/// The outcome of loading: the configuration (nil only when the main file could
/// not be read at all) and every diagnostic, sorted by file and position.
public struct LoadResult: Sendable {
    public var configuration: Configuration?
    public var diagnostics: [Diagnostic]
    /// Why the main file could not be read, when `configuration` is nil.
    public var readFailure: FileSourceError?

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

public enum ConfigurationLoader {
    /// Reads `path` through `source`, expands includes, parses, decodes and validates.
    public static func load(path: String, source: any ConfigFileSource) -> LoadResult {
        var diagnostics = DiagnosticCollector()
        switch IncludeExpander(source: source).expand(path: path, diagnostics: &diagnostics) {
        case .failure(let error):
            return LoadResult(configuration: nil, diagnostics: diagnostics.sorted, readFailure: error)
        case .success(let lines):
            let result = build(lines: lines, diagnostics: diagnostics, source: source)
            // A source that knows the host's users (the real filesystem) applies keepalived's default script user.
            guard let users = source as? any ScriptFileInspector else { return result }
            return result.applyingDefaultScriptUser { users.userID(of: $0) != nil }
                .addingMissingResourceAgents { users.ownership(of: $0) != nil }
        }
    }

    /// Parses text held in memory as if it were the file `file` (no includes resolved
    /// beyond what the text itself names, which then fail as unreadable).
    public static func parse(_ text: String, file: String = "halo.conf") -> LoadResult {
        load(path: file, source: InMemoryFileSource([file: text]))
    }

    static func build(lines: [SourceLine], diagnostics: DiagnosticCollector, source: (any ConfigFileSource)? = nil) -> LoadResult {
        var collector = diagnostics
        let statements = StatementParser.parse(lines, diagnostics: &collector)
        var decoder = Decoder(diagnostics: collector)
        decoder.fileSource = source
        var configuration = decoder.decodeConfiguration(statements)
        configuration.ignored = decoder.ignored
        var validator = Validator(diagnostics: decoder.diagnostics)
        validator.validate(&configuration)
        return LoadResult(configuration: configuration, diagnostics: validator.diagnostics.sorted, readFailure: nil)
    }
}

extension Decoder {
    mutating func decodeConfiguration(_ statements: [Statement]) -> Configuration {
        var configuration = Configuration()
        for statement in statements {
            switch statement.name {
            case "global_defs":
                decodeGlobalDefinitions(statement, into: &configuration.globals)
            case "vrrp_script":
                if let script = decodeScript(statement) { configuration.scripts.append(script) }
            case "vrrp_track_file":
                if let file = decodeTrackFile(statement) { configuration.trackFiles.append(file) }
            case "vrrp_instance":
                if let instance = decodeInstance(statement) { configuration.instances.append(instance) }
            case "vrrp_sync_group":
                if let group = decodeSyncGroup(statement) { configuration.syncGroups.append(group) }
            case "virtual_server":
                if let server = decodeVirtualServer(statement) { configuration.virtualServers.append(server) }
            case "resource_group":
                if let group = decodeResourceGroup(statement) { configuration.resourceGroups.append(group) }
            case "haresources":
                configuration.resourceGroups += decodeHaresources(statement)
            default:
                unhandled(statement, in: .topLevel)
            }
        }
        bindUnboundHaresourcesGroups(&configuration)
        return configuration
    }
}
