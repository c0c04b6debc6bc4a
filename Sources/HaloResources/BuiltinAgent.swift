import HaloLinux

/// One of Halo's own resource agents (`agent builtin:NAME`): Swift code that
/// runs the service's own tools through the shared process runner (and, for
/// `ip`, the netlink socket), instead of a script from resource-agents.
public protocol BuiltinAgent: AnyObject {
    /// Runs `action` within `timeoutMilliseconds`; calls `completion` exactly once, on the loop thread.
    /// `outcome` is the last process the action ran, if any (for timings and the log).
    func run(_ action: AgentAction, timeoutMilliseconds: Int, context: BuiltinAgentContext,
             completion: @escaping (AgentResult, ProcessOutcome?) -> Void)
}

/// What built-in agents may use: the daemon's process runner, its netlink socket
/// and its log. Loop thread only.
public struct BuiltinAgentContext {
    public let processes: ProcessRunner
    /// nil where no netlink socket exists (unit tests of command-only agents).
    public let netlink: NetlinkSocket?
    public let log: (String) -> Void

    public init(processes: ProcessRunner, netlink: NetlinkSocket? = nil, log: @escaping (String) -> Void = { _ in }) {
        self.processes = processes
        self.netlink = netlink
        self.log = log
    }

    public var loop: EventLoop { processes.loop }

    /// Completes on the next loop turn, never inside the caller (callers may not expect re-entry).
    public func finish(_ result: AgentResult, _ outcome: ProcessOutcome? = nil,
                       _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        _ = loop.schedule(at: MonotonicClock.nanoseconds()) { completion(result, outcome) }
    }
}

/// A built-in agent that cannot be made: unknown name (validation should have said) or bad parameters.
public struct BuiltinAgentError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Builds built-in agents by name. Each agent's `BuiltinAgentSchema` (HaloConfig)
/// says which parameters it takes; validation has checked them before this runs.
public enum BuiltinAgents {
    public static func make(name: String, parameters: [String: String]) throws -> BuiltinAgent {
        switch name {
        case "filesystem": return try BuiltinFilesystemAgent(parameters: parameters)
        case "drbd": return try BuiltinDRBDAgent(parameters: parameters)
        case "ip": return try BuiltinIPAgent(parameters: parameters)
        case "nfs": return try BuiltinNFSAgent(parameters: parameters)
        case "mfsmaster": return try BuiltinMooseFSMasterAgent(parameters: parameters)
        case "mogilefsd": return try BuiltinMogileFSAgent(parameters: parameters)
        case "haproxy": return try BuiltinHAProxyAgent(parameters: parameters)
        case "mysql": return try BuiltinMySQLAgent(parameters: parameters)
        default:
            throw BuiltinAgentError("no built-in agent '\(name)'")
        }
    }
}
