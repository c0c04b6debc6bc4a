import Glibc
import HaloLinux

/// `builtin:nfs`: one export with a fixed fsid, served either by an nfs-ganesha
/// daemon of its own (config, pid file, log and recovery directory under
/// `run_dir`) or by the kernel's nfsd (exportfs and the nfs-server service).
/// Either way the server is healthy when NFS answers NULL calls over TCP on
/// port 2049 for every version served (what check_nfs --port does).
public final class BuiltinNFSAgent: BuiltinAgent {
    public enum Server: String, Sendable { case ganesha, kernel }

    public let server: Server
    public let exports: String
    public let fsid: String
    public let clients: [String]
    public let readOnly: Bool
    public let versions: [Int]
    public let stateDirectory: String?
    public let graceSeconds: Int
    public let runDirectory: String
    public let pseudoPath: String
    public let ganeshaProgram: String

    public init(parameters: [String: String]) throws {
        let parameters = BuiltinAgentParameters(agent: "nfs", parameters)
        exports = MountTable.normalized(try parameters.required("exports"))
        guard let fsid = parameters.values["fsid"], !fsid.isEmpty else {
            throw BuiltinAgentError("builtin:nfs needs a fixed 'fsid': without one, clients get stale file handles after failover")
        }
        self.fsid = fsid
        let serverName = parameters.value("server", default: "ganesha")
        guard let server = Server(rawValue: serverName) else { throw BuiltinAgentError("builtin:nfs: 'server' is ganesha or kernel, not '\(serverName)'") }
        self.server = server
        if server == .ganesha, Int(fsid).map({ !(1...65535).contains($0) }) ?? true {
            throw BuiltinAgentError("builtin:nfs: 'fsid' for ganesha must be a number from 1 to 65535, not '\(fsid)'")
        }
        clients = parameters.value("clients", default: "*").split(separator: ",").map(String.init)
        readOnly = parameters.value("access", default: "rw") == "ro"
        versions = parameters.value("versions", default: "4").split(separator: ",").compactMap { Int($0) }.sorted()
        stateDirectory = parameters.values["state_dir"]
        graceSeconds = try parameters.integer("grace", default: 90, in: 0...180)
        runDirectory = parameters.value("run_dir", default: "/run/halo-nfs-\(fsid)")
        pseudoPath = parameters.value("pseudo", default: exports)
        ganeshaProgram = parameters.value("ganesha", default: "ganesha.nfsd")
    }

    public func run(_ action: AgentAction, timeoutMilliseconds: Int, context: BuiltinAgentContext,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let deadline = AgentDeadline(milliseconds: timeoutMilliseconds)
        switch (server, action) {
        case (.ganesha, .start): startGanesha(deadline, context, completion)
        case (.ganesha, .stop): stopGanesha(deadline, context, completion)
        case (.ganesha, _): monitorGanesha(action, deadline, context, completion)
        case (.kernel, .start): startKernel(deadline, context, completion)
        case (.kernel, .stop): stopKernel(deadline, context, completion)
        case (.kernel, _): monitorKernel(action, deadline, context, completion)
        }
    }

    /// NULL calls to NFS (program 100003) straight at port 2049 over TCP, one per version;
    /// needs no rpcbind (`rpcinfo -a` takes the universal address 127.0.0.1.8.1).
    func nullCalls() -> [AgentCommand] {
        versions.map { AgentCommand(["rpcinfo", "-T", "tcp", "-a", "127.0.0.1.8.1", "100003", String($0)], package: "rpcbind") }
    }

    /// Repeats the NULL calls until they all answer or the deadline passes; completes
    /// early with failure when `gaveUp` says the server is gone.
    func awaitAnswers(_ deadline: AgentDeadline, _ context: BuiltinAgentContext, gaveUp: @escaping () -> String?,
                      completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        context.runInOrder(nullCalls(), until: deadline) { [self] result, outcome in
            if result == .success { return completion(result, outcome) }
            if case .failed(_, true) = result { return completion(result, outcome) }
            if let reason = gaveUp() { return completion(.failed(reason: reason, hard: false), outcome) }
            guard deadline.remainingNanoseconds > 300_000_000 else {
                return completion(result == .timedOut ? result
                                  : .failed(reason: "NFS \(versions.map(String.init).joined(separator: ",")) does not answer on port 2049: \(result)", hard: false), outcome)
            }
            context.after(nanoseconds: 300_000_000) { self.awaitAnswers(deadline, context, gaveUp: gaveUp, completion: completion) }
        }
    }

    /// Clients as ganesha's `Clients` list or exportfs' `CLIENT:DIR` arguments want them.
    var clientList: String { clients.joined(separator: ", ") }
}
