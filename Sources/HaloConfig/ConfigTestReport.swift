/// What `halod --config-test` decides and prints, kept here (pure) so the exit
/// status and summary are unit-tested and reusable by other front ends.
public enum ConfigTestStatus: Int32, Sendable, CaseIterable {
    /// No errors (warnings allowed) and scripts, if any, run under script security.
    case clean = 0
    /// The file cannot be read, or errors leave no vrrp_instance able to run.
    case cannotRun = 3
    /// Errors were found; the parts without errors would run.
    case errorsButWouldRun = 4
    /// No errors, but scripts would run without `enable_script_security`.
    case scriptsWithoutSecurity = 5

    public var meaning: String {
        switch self {
        case .clean: "configuration is valid"
        case .cannotRun: "cannot run: the file is unreadable or no vrrp_instance is left without errors"
        case .errorsButWouldRun: "errors found; the parts without errors would run"
        case .scriptsWithoutSecurity: "valid, but scripts would run without enable_script_security"
        }
    }

    public init(_ result: LoadResult) {
        guard let configuration = result.configuration else { self = .cannotRun; return }
        let hadInstances = !configuration.instances.isEmpty || configuration.rejected.contains { $0.what.hasPrefix("vrrp_instance ") }
        if !result.errors.isEmpty {
            self = hadInstances && configuration.instances.isEmpty ? .cannotRun : .errorsButWouldRun
        } else if configuration.runsScripts && !configuration.globals.enableScriptSecurity {
            self = .scriptsWithoutSecurity
        } else {
            self = .clean
        }
    }
}

public struct ConfigTestReport {
    public var path: String
    public var result: LoadResult
    /// Whether /proc/net/ip_vs exists, so the virtual_server line can say why it does not run.
    public var kernelHasIPVS: Bool
    /// What `ScriptSecurity.audit` found on this machine (the caller runs it: it needs the filesystem).
    public var securityFindings: [ScriptSecurityFinding]

    public init(path: String, result: LoadResult, kernelHasIPVS: Bool, securityFindings: [ScriptSecurityFinding] = []) {
        self.path = path
        self.result = result
        self.kernelHasIPVS = kernelHasIPVS
        self.securityFindings = securityFindings
    }

    /// The load's verdict, except that a script refused by script security is an
    /// error: that part will not run.
    public var status: ConfigTestStatus {
        let status = ConfigTestStatus(result)
        guard status != .cannotRun, securityFindings.contains(where: \.refused) else { return status }
        return .errorsButWouldRun
    }

    /// Load diagnostics and security findings, in file order.
    private var allDiagnostics: [Diagnostic] {
        (result.diagnostics + securityFindings.map(\.diagnostic)).enumerated().sorted { a, b in
            a.element.location != b.element.location ? a.element.location < b.element.location : a.offset < b.offset
        }.map(\.element)
    }

    /// Diagnostics, then the summary, then the verdict.
    public func render() -> String {
        var out = allDiagnostics.map { "\($0)\n" }.joined()
        guard let configuration = result.configuration else {
            out += "\(path): cannot read: \(result.readFailure?.reason ?? "unknown error")\n"
            return out + verdict()
        }
        if !allDiagnostics.isEmpty { out += "\n" }
        let errors = allDiagnostics.filter { $0.severity == .error }.count
        out += "\(path): \(count(errors, "error")), \(count(allDiagnostics.count - errors, "warning"))\n"
        out += instancesSection(configuration)
        out += scriptsSection(configuration)
        out += configuration.runsScripts ? "Scripts and hooks run as: \(configuration.scriptUserSummary)\n" : ""
        out += configuration.globals.metricsListen.map { "Prometheus metrics: http://\($0)/metrics\n" } ?? ""
        out += syncGroupsSection(configuration)
        out += virtualServersSection(configuration)
        out += resourceGroupsSection(configuration)
        out += leftOutSection("Rejected (errors above)", configuration.rejected)
        out += leftOutSection("Ignored", configuration.ignored)
        return out + verdict()
    }

    private func verdict() -> String {
        "Result: \(status.meaning) (exit \(status.rawValue))\n"
    }

    private func instancesSection(_ configuration: Configuration) -> String {
        guard !configuration.instances.isEmpty else { return "VRRP instances: none (nothing to elect)\n" }
        var out = "VRRP instances (\(configuration.instances.count)):\n"
        for instance in configuration.instances {
            let interface = instance.interface ?? "?"
            let vrid = instance.virtualRouterID.map(String.init) ?? "?"
            out += "  \(instance.name): interface \(interface), VRID \(vrid), priority \(instance.priority)"
            out += instance.priority == 255 ? " (address owner)" : ""
            out += ", \(instance.version), \(instance.family.rawValue), advert every \(instance.advertInterval)"
            out += ", starts \(instance.initialState.rawValue)\(instance.preempt ? "" : ", nopreempt")"
            out += instance.isStrict ? ", strict" : ""
            out += instance.unicastPeers.isEmpty ? ", multicast\n" : ", unicast to \(instance.unicastPeers.map { "\($0.address)" }.joined(separator: " "))\n"
            let vips = instance.virtualAddresses.map(\.description).joined(separator: ", ")
            out += "    VIPs: \(vips.isEmpty ? "none" : vips)\n"
            if !instance.excludedVirtualAddresses.isEmpty {
                out += "    excluded VIPs: \(instance.excludedVirtualAddresses.map(\.description).joined(separator: ", "))\n"
            }
            if !instance.virtualRoutes.isEmpty {
                out += "    routes: \(instance.virtualRoutes.map(\.description).joined(separator: ", "))\n"
            }
            let tracks = instance.trackedScripts.map { "script \($0.name)" + weightText($0.weightOverride, $0.weightReversed) }
                + instance.trackedInterfaces.map { "interface \($0.name)" + ($0.weight == 0 ? " (fault when down)" : weightText($0.weight, $0.weightReversed)) }
                + instance.trackedFiles.map { "file \($0.name)" + weightText($0.weightOverride, $0.weightReversed) }
            if !tracks.isEmpty { out += "    tracks: \(tracks.joined(separator: ", "))\n" }
            out += notifyLines(instance.notify, indent: "    ")
        }
        return out
    }

    private func scriptsSection(_ configuration: Configuration) -> String {
        guard !configuration.scripts.isEmpty else { return "" }
        let tracked = configuration.trackedScriptNames
        var out = "Scripts (\(configuration.scripts.count)):\n"
        for script in configuration.scripts {
            out += "  \(script.name): \(script.command), every \(script.interval), timeout \(script.effectiveTimeout)"
            out += ", weight \(script.weight)\(script.weightReversed ? " reverse" : ""), rise \(script.rise), fall \(script.fall)"
            out += script.user.map { ", as \($0)" } ?? ""
            out += tracked.contains(script.name) ? "\n" : "; not tracked by anything, so it will not run\n"
        }
        if !tracked.isEmpty || configuration.runsScripts {
            out += configuration.globals.enableScriptSecurity
                ? "  script security: on\(configuration.globals.scriptUser.map { ", scripts run as \($0)" } ?? "")\n"
                : "  script security: off (add enable_script_security to global_defs)\n"
        }
        return out
    }

    private func syncGroupsSection(_ configuration: Configuration) -> String {
        guard !configuration.syncGroups.isEmpty else { return "" }
        var out = "Sync groups (\(configuration.syncGroups.count)):\n"
        for group in configuration.syncGroups {
            out += "  \(group.name): \(group.members.joined(separator: ", ")) change state together\n"
            out += notifyLines(group.notify, indent: "    ")
        }
        return out
    }

    private func resourceGroupsSection(_ configuration: Configuration) -> String {
        guard !configuration.resourceGroups.isEmpty else { return "" }
        var out = "Resource groups (\(configuration.resourceGroups.count)):\n"
        for group in configuration.resourceGroups {
            out += "  \(group.name): follows \(group.follow.map(\.description) ?? "nothing"), starts "
            out += group.resources.map { "\($0.name) (\($0.agent.map(\.description) ?? "?"))" }.joined(separator: " -> ")
            out += ", VIPs \(group.vipPosition), stops in reverse\n"
            out += "    monitor every \(group.monitorInterval) (timeout \(group.monitorTimeout)), start timeout \(group.startTimeout)"
            out += ", stop timeout \(group.stopTimeout) (\(group.stopRetries) retries, then \(group.onStopFailure))\n"
            out += "    \(group.migrationThreshold) monitor failure\(group.migrationThreshold == 1 ? "" : "s") restarted in place"
            out += group.failureTimeout.value == 0 ? " (never forgotten)" : " within \(group.failureTimeout)"
            out += ", then fail over\n"
        }
        return out
    }

    private func virtualServersSection(_ configuration: Configuration) -> String {
        guard !configuration.virtualServers.isEmpty else { return "" }
        let why = kernelHasIPVS ? "Halo does not program IPVS" : "this kernel has no IPVS, and Halo does not program IPVS"
        var out = "Virtual servers (\(configuration.virtualServers.count)): parsed; not run: \(why)\n"
        for server in configuration.virtualServers {
            out += "  \(server.address) port \(server.port) \(server.transportProtocol.rawValue)"
            out += server.scheduler.map { ", \($0)" } ?? ""
            out += server.forwardingMethod.map { ", \($0.rawValue)" } ?? ""
            out += server.persistenceTimeout.map { ", persistence \($0)" } ?? ""
            let reals = server.realServers.map { real in
                "\(real.address) port \(real.port)" + (real.checks.isEmpty ? "" : " (\(real.checks.map(checkName).joined(separator: ", ")))")
            }
            out += ": \(reals.isEmpty ? "no real servers" : reals.joined(separator: "; "))\n"
        }
        return out
    }

    private func leftOutSection(_ title: String, _ parts: [IgnoredPart]) -> String {
        guard !parts.isEmpty else { return "" }
        return "\(title) (\(parts.count)):\n" + parts.map { "  \($0.location): \($0.what): \($0.reason)\n" }.joined()
    }

    private func notifyLines(_ notify: NotifyCommands, indent: String) -> String {
        var out = ""
        for (label, command) in [("master", notify.master), ("backup", notify.backup), ("fault", notify.fault),
                                 ("stop", notify.stop), ("any state", notify.generic)] {
            if let command { out += "\(indent)notify \(label): \(command)\n" }
        }
        return out
    }

    private func checkName(_ check: HealthCheck) -> String {
        switch check {
        case .tcp: "TCP_CHECK"
        case .http(let http): http.tls ? "SSL_GET" : "HTTP_GET"
        case .misc: "MISC_CHECK"
        }
    }

    private func weightText(_ weight: Int?, _ reversed: Bool) -> String {
        guard let weight else { return "" }
        return " (weight \(weight > 0 ? "+" : "")\(weight)\(reversed ? " reverse" : ""))"
    }

    private func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
