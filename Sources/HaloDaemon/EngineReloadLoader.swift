import HaloConfig

/// Reading a configuration file again, exactly as halod does at start: load
/// (includes, parse, decode, validate), audit the scripts, map to what the
/// engine runs.
enum ReloadLoader {
    enum Outcome {
        /// Loaded without errors; warnings are the file:line diagnostics to log.
        case loaded(EngineConfiguration, warnings: [String])
        /// Nothing may change: the reasons, one file:line:col line each.
        case refused([String])
    }

    static func load(path: String, source: SystemFileSource = SystemFileSource()) -> Outcome {
        let result = ConfigurationLoader.load(path: path, source: source)
        let lines = result.diagnostics.map { "\($0)" }
        guard let configuration = result.configuration else {
            return .refused(lines + ["\(path): cannot read: \(result.readFailure?.reason ?? "unknown error")"])
        }
        guard result.errors.isEmpty else { return .refused(lines) }
        var engine = EngineConfiguration(configuration, securityFindings: ScriptSecurity.audit(configuration, inspector: source))
        engine.configurationPath = path
        return .loaded(engine, warnings: lines)
    }

    /// What `halod --config-test` prints for `path`, and its exit status.
    static func configTest(path: String, source: SystemFileSource = SystemFileSource()) -> (report: String, status: Int32) {
        let result = ConfigurationLoader.load(path: path, source: source)
        let findings = result.configuration.map { ScriptSecurity.audit($0, inspector: source) } ?? []
        let report = ConfigTestReport(path: path, result: result, kernelHasIPVS: source.read(path: "/proc/net/ip_vs").isLoaded,
                                      securityFindings: findings)
        return (report.render(), report.status.rawValue)
    }
}

private extension Result {
    var isLoaded: Bool {
        if case .success = self { return true }
        return false
    }
}
