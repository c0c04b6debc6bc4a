/// How each agent kind is called and how its exit codes are read: pure, so the
/// mapping tables are unit-tested without running anything.
public struct AgentInvocation: Hashable, Sendable {
    public var arguments: [String]
    public var environment: [String: String]

    public init(arguments: [String], environment: [String: String]) {
        self.arguments = arguments
        self.environment = environment
    }
}

/// One configured resource as the agents need it.
public struct ResourceDefinition: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case ocf(provider: String, type: String)
        case lsb(script: String)
        /// A heartbeat resource script (its full path) and the arguments it takes before the verb.
        case heartbeat(script: String, arguments: [String])
        /// A systemd unit, through systemctl.
        case systemd(unit: String)
        /// Commands: start and stop required; without monitor, probe and monitor are not possible.
        case exec(start: [String], stop: [String], monitor: [String]?)
        /// Halo's own agent by name (`BuiltinAgents`); it runs its own commands, so no invocation.
        case builtin(name: String)
    }

    public var name: String
    public var kind: Kind
    public var parameters: [(name: String, value: String)]
    /// Where OCF agents and init scripts live (tests point these elsewhere).
    public var ocfRoot = "/usr/lib/ocf"
    public var initDirectory = "/etc/init.d"
    /// Present only when systemd is PID 1 (sd_booted(3) checks the same directory).
    public var systemdRuntimeDirectory = "/run/systemd/system"

    public init(name: String, kind: Kind, parameters: [(name: String, value: String)] = []) {
        self.name = name
        self.kind = kind
        self.parameters = parameters
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.parameters.map { "\($0.name)=\($0.value)" } == rhs.parameters.map { "\($0.name)=\($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(kind)
    }

    static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// argv and environment for `action`, with its timeout (milliseconds) told to OCF agents.
    public func invocation(_ action: AgentAction, timeoutMilliseconds: Int) -> AgentInvocation? {
        var environment = ["PATH": Self.path, "LANG": "C"]
        switch kind {
        case .ocf(let provider, let type):
            environment["OCF_ROOT"] = ocfRoot
            environment["OCF_FUNCTIONS_DIR"] = "\(ocfRoot)/lib/heartbeat"
            environment["OCF_RESOURCE_INSTANCE"] = name
            environment["OCF_RESOURCE_TYPE"] = type
            environment["OCF_RESOURCE_PROVIDER"] = provider
            environment["OCF_RA_VERSION_MAJOR"] = "1"
            environment["OCF_RA_VERSION_MINOR"] = "0"
            environment["OCF_RESKEY_CRM_meta_timeout"] = String(timeoutMilliseconds)
            if action == .probe { environment["OCF_RESKEY_CRM_meta_interval"] = "0" }
            for parameter in parameters { environment["OCF_RESKEY_\(parameter.name)"] = parameter.value }
            let verb = action == .probe ? "monitor" : action.rawValue
            return AgentInvocation(arguments: ["\(ocfRoot)/resource.d/\(provider)/\(type)", verb], environment: environment)
        case .lsb(let script):
            let verb = action == .start || action == .stop ? action.rawValue : "status"
            return AgentInvocation(arguments: ["\(initDirectory)/\(script)", verb], environment: environment)
        case .heartbeat(let script, let arguments):
            return AgentInvocation(arguments: [script] + arguments + [Self.heartbeatVerb(action)], environment: environment)
        case .systemd(let unit):
            return AgentInvocation(arguments: Self.systemctlArguments(action, unit: unit), environment: environment)
        case .exec(let start, let stop, let monitor):
            environment["HALO_RESOURCE"] = name
            switch action {
            case .start: return AgentInvocation(arguments: start, environment: environment)
            case .stop: return AgentInvocation(arguments: stop, environment: environment)
            case .monitor, .probe: return monitor.map { AgentInvocation(arguments: $0, environment: environment) }
            }
        case .builtin:
            return nil
        }
    }

    /// An exit code (and, for the kinds that print their state, the output) read the
    /// way Pacemaker, or heartbeat for its scripts, reads this agent kind.
    public func result(of action: AgentAction, exitCode: Int32, output: String = "") -> AgentResult {
        switch kind {
        case .ocf: Self.ocfResult(action, exitCode)
        case .lsb: Self.lsbResult(action, exitCode)
        case .heartbeat: Self.heartbeatResult(action, exitCode, output: output)
        case .systemd: Self.systemdResult(action, exitCode, output: output)
        case .exec, .builtin: Self.execResult(action, exitCode)
        }
    }

    static let ocfMeanings: [Int32: String] = [
        1: "generic error", 2: "invalid argument", 3: "unimplemented feature", 4: "insufficient privileges",
        5: "not installed", 6: "not configured", 7: "not running", 8: "running promoted", 9: "failed promoted",
    ]

    static func ocfResult(_ action: AgentAction, _ code: Int32) -> AgentResult {
        let meaning = "exit \(code) (\(ocfMeanings[code] ?? "unknown code"))"
        switch code {
        case 0, 8: return .success
        case 7 where action == .monitor || action == .probe: return .notRunning
        // stop must not say "not running"; Pacemaker treats it as an error.
        case 7: return .failed(reason: meaning, hard: false)
        case 6: return .fatal(reason: meaning)
        case 2...5: return .failed(reason: meaning, hard: true)
        // 1 on start is hard in Pacemaker's start-failure-is-fatal sense only for start; on monitor it is soft.
        case 1: return .failed(reason: meaning, hard: false)
        default: return .failed(reason: meaning, hard: false)
        }
    }

    static func lsbResult(_ action: AgentAction, _ code: Int32) -> AgentResult {
        switch (action, code) {
        case (_, 0): .success
        case (.monitor, 3), (.probe, 3): .notRunning
        case (.monitor, 1), (.probe, 1): .failed(reason: "status 1 (dead, pid file remains)", hard: false)
        case (.monitor, 2), (.probe, 2): .failed(reason: "status 2 (dead, lock file remains)", hard: false)
        case (.monitor, 4), (.probe, 4): .failed(reason: "status 4 (unknown)", hard: false)
        default: .failed(reason: "exit \(code)", hard: false)
        }
    }

    /// exec: 0 is success; a monitor's non-zero is "not running" (the usual shape of check commands).
    static func execResult(_ action: AgentAction, _ code: Int32) -> AgentResult {
        switch (action, code) {
        case (_, 0): .success
        case (.monitor, _), (.probe, _): .notRunning
        default: .failed(reason: "exit \(code)", hard: false)
        }
    }
}
