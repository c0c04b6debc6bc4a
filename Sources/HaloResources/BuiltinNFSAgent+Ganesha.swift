import Glibc
import HaloLinux

/// nfs-ganesha: one daemon per export resource, everything it writes under `run_dir`.
extension BuiltinNFSAgent {
    var ganeshaConfigPath: String { "\(runDirectory)/ganesha.conf" }
    var ganeshaPIDPath: String { "\(runDirectory)/ganesha.pid" }
    var ganeshaLogPath: String { "\(runDirectory)/ganesha.log" }
    /// NFSv4 client records: on the shared state_dir they survive failover, so clients can reclaim.
    var recoveryDirectory: String { stateDirectory.map { "\($0)/ganesha" } ?? "\(runDirectory)/recovery" }

    /// The daemon's whole configuration: the export with Export_Id and Filesystem_id fixed by fsid.
    public var ganeshaConfig: String {
        let protocols = versions.map(String.init).joined(separator: ", ")
        let access = readOnly ? "RO" : "RW"
        let everyone = clients == ["*"]
        let grace = graceSeconds == 0 ? ["Graceless = true;"]
            : ["Grace_Period = \(graceSeconds);", "Lease_Lifetime = \(min(60, graceSeconds));"]
        var lines = [
            "# Written by halod (builtin:nfs, fsid \(fsid)) at every start; edits are lost.",
            "NFS_CORE_PARAM {",
            "    Protocols = \(protocols);",
            // NLM serves NFSv3 locks and needs rpcbind; NFSv4 has locking in the protocol.
            "    Enable_NLM = \(versions.contains(3));",
            "    Enable_RQUOTA = false;",
            "}",
            "NFSv4 {",
            "    RecoveryBackend = fs;",
            "    RecoveryRoot = \"\(recoveryDirectory)\";",
        ] + grace.map { "    " + $0 } + [
            "}",
            "EXPORT {",
            "    Export_Id = \(fsid);",
            "    Filesystem_id = \(fsid).\(fsid);",
            "    Path = \"\(exports)\";",
            "    Pseudo = \"\(pseudoPath)\";",
            "    Protocols = \(protocols);",
            "    Access_Type = \(everyone ? access : "None");",
            "    Squash = No_Root_Squash;",
            "    SecType = sys;",
        ]
        if !everyone { lines += ["    CLIENT {", "        Clients = \(clientList);", "        Access_Type = \(access);", "    }"] }
        lines += ["    FSAL {", "        Name = VFS;", "    }", "}", ""]
        return lines.joined(separator: "\n")
    }

    /// The daemon's pid when it runs (pid file and /proc agree).
    var ganeshaPID: pid_t? {
        SystemFiles.pid(inFile: ganeshaPIDPath).flatMap { SystemFiles.process($0, isRunning: "ganesha.nfsd") ? $0 : nil }
    }

    /// The log's last line: why a daemon that went away went away.
    var ganeshaLastLogLine: String {
        SystemFiles.read(ganeshaLogPath)?.split(separator: "\n").last.map(String.init) ?? "(no log at \(ganeshaLogPath))"
    }

    static let fsalDirectories = ["/usr/lib/x86_64-linux-gnu/ganesha", "/usr/lib/aarch64-linux-gnu/ganesha", "/usr/lib64/ganesha", "/usr/lib/ganesha"]

    func startGanesha(_ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                      _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        if ganeshaPID != nil {
            // Already ours and running (adopted): it is started once it answers.
            return awaitAnswers(deadline, context, gaveUp: { nil }, completion: completion)
        }
        if let problem = ganeshaStartProblem() { return context.finish(.failed(reason: problem, hard: true), nil, completion) }
        do {
            try SystemFiles.makeDirectories(runDirectory)
            try SystemFiles.makeDirectories(recoveryDirectory)
            try SystemFiles.write(ganeshaConfig, to: ganeshaConfigPath)
            unlink(ganeshaPIDPath)
        } catch {
            return context.finish(.failed(reason: "\(error)", hard: true), nil, completion)
        }
        if versions.contains(3) {
            // NFSv3 clients find mountd and NLM through rpcbind: without it they cannot mount.
            let rpcbind = AgentCommand(["rpcinfo", "-p", "127.0.0.1"], package: "rpcbind")
            return context.runInOrder([rpcbind], until: deadline) { [self] result, outcome in
                guard result == .success else {
                    let reason = "rpcbind is not running on this node: NFSv3 needs it (start rpcbind, or serve versions 4 only)"
                    return completion(result == .timedOut ? result : .failed(reason: reason, hard: false), outcome)
                }
                launchGanesha(deadline, context, completion)
            }
        }
        launchGanesha(deadline, context, completion)
    }

    /// Without -F it forks into the background once its config is read; readiness is the NULL call.
    private func launchGanesha(_ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                               _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let daemon = AgentCommand([ganeshaProgram, "-f", ganeshaConfigPath, "-L", ganeshaLogPath, "-p", ganeshaPIDPath, "-N", "NIV_EVENT"],
                                  package: "nfs-ganesha")
        context.runInOrder([daemon], until: deadline) { [self] result, outcome in
            guard result == .success else { return completion(result, outcome) }
            context.log("ganesha.nfsd started for \(exports) (fsid \(fsid)); config \(ganeshaConfigPath), log \(ganeshaLogPath)")
            awaitAnswers(deadline, context, gaveUp: { [self] in
                // Its pid file names a daemon that is gone: a config or FSAL error; the log says which.
                // (An empty pid file is one being written.)
                guard let written = SystemFiles.pid(inFile: ganeshaPIDPath),
                      !SystemFiles.process(written, isRunning: "ganesha.nfsd") else { return nil }
                return "ganesha.nfsd exited after starting: \(ganeshaLastLogLine)"
            }, completion: completion)
        }
    }

    /// Missing programs or export directory, said before anything is written.
    func ganeshaStartProblem() -> String? {
        if BuiltinAgentContext.locate(ganeshaProgram) == nil {
            return "\(ganeshaProgram) not installed (packages nfs-ganesha, nfs-ganesha-vfs)"
        }
        if !Self.fsalDirectories.contains(where: { SystemFiles.exists("\($0)/libfsalvfs.so") }) {
            return "nfs-ganesha's VFS backend libfsalvfs.so not installed (package nfs-ganesha-vfs)"
        }
        if BuiltinAgentContext.locate("rpcinfo") == nil { return "rpcinfo not installed (package rpcbind): needed to check the server" }
        if !SystemFiles.isDirectory(exports) { return "exports directory \(exports) does not exist (is its filesystem mounted?)" }
        return nil
    }

    /// SIGTERM, then SIGKILL when it outlives most of the timeout; done when the pid is gone.
    func stopGanesha(_ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                     _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        guard let pid = ganeshaPID else {
            unlink(ganeshaPIDPath)
            return context.finish(.success, nil, completion)
        }
        kill(pid, SIGTERM)
        let termDeadline = AgentDeadline(milliseconds: Int(max(0, deadline.remainingNanoseconds - 2_000_000_000) / 1_000_000))
        context.poll(until: termDeadline, { !SystemFiles.process(pid, isRunning: "ganesha.nfsd") }) { [self] gone in
            if gone {
                unlink(ganeshaPIDPath)
                return completion(.success, nil)
            }
            context.log("ganesha.nfsd (pid \(pid)) ignored SIGTERM; sending SIGKILL")
            kill(pid, SIGKILL)
            context.poll(until: deadline, { !SystemFiles.process(pid, isRunning: "ganesha.nfsd") }) { gone in
                if gone { unlink(self.ganeshaPIDPath) }
                completion(gone ? .success : .timedOut, nil)
            }
        }
    }

    func monitorGanesha(_ action: AgentAction, _ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                        _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        guard let pid = ganeshaPID else { return context.finish(.notRunning, nil, completion) }
        context.runInOrder(nullCalls(), until: deadline) { result, outcome in
            guard result == .success || result == .timedOut else {
                return completion(.failed(reason: "ganesha.nfsd (pid \(pid)) does not answer NFS NULL calls: \(result)", hard: false), outcome)
            }
            completion(result, outcome)
        }
    }
}
