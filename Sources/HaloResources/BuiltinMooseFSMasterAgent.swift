import Glibc
import HaloLinux

/// `builtin:mfsmaster`: the MooseFS master. Start: restore from this node's
/// metalogger when its files are newer than the master's own (the node was the
/// metalogger until now), refuse when the local metadata is older than what a
/// peer master had (asked with mfscli, remembered in the data directory), then
/// `mfsmaster -a` (it replays changelogs after a crash). Stop: `mfsmaster
/// stop`, which dumps metadata.mfs. Running: the lock owner lives and the
/// client port accepts (check_mfsmaster's rule).
public final class BuiltinMooseFSMasterAgent: BuiltinAgent {
    public let config: String
    public let dataDirectory: String
    public let metaloggerDirectory: String?
    public let peer: String?
    public let peerPort: Int
    public let probe: ServiceProbe
    /// The master's executable (tests name a missing one).
    public var program = "mfsmaster"

    public init(parameters: [String: String]) throws {
        let parameters = BuiltinAgentParameters(agent: "mfsmaster", parameters)
        config = try parameters.required("config")
        dataDirectory = try parameters.required("data_dir")
        metaloggerDirectory = parameters.values["metalogger_data_dir"]
        peer = parameters.values["peer"]
        peerPort = try parameters.integer("peer_port", default: 9421, in: 1...65535)
        let port = try parameters.integer("port", default: 9421, in: 1...65535)
        probe = ServiceProbe(.tcp(host: parameters.value("host", default: "127.0.0.1"), port: port))
    }

    var notInstalled: AgentResult { .failed(reason: "\(program) not installed (package moosefs-master)", hard: true) }

    /// The pid holding the master's lock, when alive.
    var lockOwner: pid_t? {
        AgentFiles.pids(in: "\(dataDirectory)/.mfsmaster.lock").first(where: AgentFiles.isAlive)
    }

    public func run(_ action: AgentAction, timeoutMilliseconds: Int, context: BuiltinAgentContext,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let deadline = AgentDeadline(milliseconds: timeoutMilliseconds)
        guard BuiltinAgentContext.locate(program) != nil else {
            return context.finish(action == .start ? notInstalled : action == .stop ? .success : .notRunning, nil, completion)
        }
        switch action {
        case .start:
            if lockOwner != nil { return monitor(timeoutMilliseconds, context: context, completion: completion) }
            learnPeerVersion(deadline: deadline, context: context) { [self] in
                start(deadline: deadline, context: context, completion: completion)
            }
        case .stop:
            let stop = AgentCommand([program, "-c", config, "stop"], accepting: [0, 1], package: "moosefs-master")
            context.runInOrder([stop], until: deadline) { [self] result, outcome in
                guard result == .success else { return completion(result, outcome) }
                completion(lockOwner == nil ? .success : .failed(reason: "mfsmaster still running after 'mfsmaster stop'", hard: false), outcome)
            }
        case .probe:
            // At daemon start: learn the peer's version while it still runs (it may stop before we start).
            learnPeerVersion(deadline: deadline, context: context) { [self] in
                monitor(timeoutMilliseconds, context: context, completion: completion)
            }
        case .monitor:
            monitor(timeoutMilliseconds, context: context, completion: completion)
        }
    }

    private func monitor(_ timeoutMilliseconds: Int, context: BuiltinAgentContext, completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        guard lockOwner != nil else { return context.finish(.notRunning, nil, completion) }
        probe.run(on: context.loop, timeoutMilliseconds: min(timeoutMilliseconds, 10_000)) { problem in
            completion(problem.map { .failed(reason: "mfsmaster runs but its client port does not accept: \($0)", hard: false) } ?? .success, nil)
        }
    }

    /// Decides what to start from, then starts.
    private func start(deadline: AgentDeadline, context: BuiltinAgentContext, completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        var local = MooseFSMetadata.read(directory: dataDirectory, files: .master)
        if let metaloggerDirectory {
            let logged = MooseFSMetadata.read(directory: metaloggerDirectory, files: .metalogger)
            if logged.version > local.version {
                context.log("mfsmaster: restoring metadata from metalogger files in \(metaloggerDirectory) (version \(logged.version), local \(local.version))")
                if let problem = MooseFSMetadata.restore(from: metaloggerDirectory, into: dataDirectory) {
                    return context.finish(.failed(reason: "metadata restore failed: \(problem)", hard: true), nil, completion)
                }
                local = logged
            }
        }
        var record = MooseFSVersionRecord.load(directory: dataDirectory)
        if let newest = record.newestPeer, newest.version > local.version {
            let line = "refusing to start mfsmaster: local metadata version \(local.version) is older than \(newest.version) last known from \(newest.name)"
            context.log(line)
            return context.finish(.failed(reason: line, hard: true), nil, completion)
        }
        let launch = AgentCommand([program, "-c", config, "-a"], package: "moosefs-master")
        context.runInOrder([launch], until: deadline) { [self] result, outcome in
            guard result == .success else { return completion(result, outcome) }
            record.local = local.version
            record.save(directory: dataDirectory)
            awaitPort(deadline: deadline, context: context) { completion($0, outcome) }
        }
    }

    private func awaitPort(deadline: AgentDeadline, context: BuiltinAgentContext, completion: @escaping (AgentResult) -> Void) {
        probe.run(on: context.loop, timeoutMilliseconds: 2000) { [self] problem in
            guard let problem else { return completion(.success) }
            guard deadline.remainingNanoseconds > 300_000_000 else {
                return completion(.failed(reason: "mfsmaster started but its client port does not accept: \(problem)", hard: false))
            }
            context.after(nanoseconds: 200_000_000) { self.awaitPort(deadline: deadline, context: context, completion: completion) }
        }
    }

    /// Asks the peer master its metadata version (`mfscli -SIM`) and records
    /// it when higher than the one remembered; an unreachable peer (or no
    /// mfscli) leaves the record as it was. Always continues.
    private func learnPeerVersion(deadline: AgentDeadline, context: BuiltinAgentContext, then next: @escaping () -> Void) {
        guard let peer, BuiltinAgentContext.locate("mfscli") != nil else { return context.after(nanoseconds: 0, next) }
        let ask = AgentCommand(["mfscli", "-H", peer, "-P", String(peerPort), "-SIM"], package: "moosefs-cli")
        let budget = AgentDeadline(milliseconds: Int(min(deadline.remainingNanoseconds / 2, 5_000_000_000) / 1_000_000))
        context.run(ask, until: budget) { [self] run in
            if case .ran(let outcome) = run, outcome.succeeded, let version = Self.metadataVersion(mfscliOutput: outcome.output) {
                var record = MooseFSVersionRecord.load(directory: dataDirectory)
                if version > record.peers[peer] ?? 0 {
                    record.peers[peer] = version
                    record.save(directory: dataDirectory)
                    context.log("mfsmaster: peer \(peer) is at metadata version \(version)")
                }
            }
            next()
        }
    }

    /// The "metadata version" column of mfscli -SIM's "metadata servers:" line (tab-separated when not on a tty).
    public static func metadataVersion(mfscliOutput: String) -> UInt64? {
        for line in mfscliOutput.split(whereSeparator: \.isNewline) where line.hasPrefix("metadata servers:") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count > 5, let version = UInt64(fields[5].trimmingCharacters(in: " ")) { return version }
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return text
    }
}
