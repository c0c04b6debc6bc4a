import Glibc
import HaloLinux

/// `builtin:filesystem`, heartbeat's Filesystem: mounts `device` on `directory`
/// (fsck -p first when asked), refusing a device mounted elsewhere or a
/// directory holding another mount; stop unmounts, and when the mount is busy
/// kills its users (fuser -km: SIGTERM, then SIGKILL) before trying again.
/// Mounts are read from /proc/self/mountinfo, the kernel's own view.
public final class BuiltinFilesystemAgent: BuiltinAgent {
    public let device: String
    public let directory: String
    public let fstype: String?
    public let options: String?
    public let runsFsck: Bool
    public let checksWrite: Bool
    /// How long users get after each kill signal before umount is tried again.
    public var killPauseNanoseconds: Int64 = 1_000_000_000

    public init(parameters: [String: String]) throws {
        let parameters = BuiltinAgentParameters(agent: "filesystem", parameters)
        device = try parameters.required("device")
        directory = MountTable.normalized(try parameters.required("directory"))
        fstype = parameters.values["fstype"]
        options = parameters.values["options"]
        runsFsck = try parameters.yes("fsck")
        checksWrite = try parameters.yes("check_write")
        guard directory.hasPrefix("/"), directory != "/" else {
            throw BuiltinAgentError("builtin:filesystem: 'directory' must be an absolute path other than /, not '\(directory)'")
        }
    }

    public func run(_ action: AgentAction, timeoutMilliseconds: Int, context: BuiltinAgentContext,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let deadline = AgentDeadline(milliseconds: timeoutMilliseconds)
        switch action {
        case .start: start(deadline, context, completion)
        case .stop: stop(deadline, context, completion)
        case .monitor, .probe: monitor(deadline, context, completion)
        }
    }

    /// What mountinfo says about our device and directory.
    enum MountState: Equatable {
        case mounted
        case notMounted
        /// A reason to refuse: the device is mounted elsewhere, or something else sits on the directory.
        case conflict(String)
    }

    func mountState(_ table: MountTable = .current()) -> MountState {
        let here = table.mount(at: directory)
        if let here, MountTable.entry(here, isDevice: device) { return .mounted }
        if let elsewhere = table.mounts(of: device).first {
            return .conflict("\(device) is already mounted on \(elsewhere.mountPoint); refusing to mount it a second time")
        }
        if let here {
            return .conflict("\(directory) already has \(here.source) (\(here.fstype)) mounted on it; refusing to mount \(device) over it")
        }
        return .notMounted
    }

    private func start(_ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                       _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        switch mountState() {
        case .mounted: return context.finish(.success, nil, completion)
        case .conflict(let reason): return context.finish(.failed(reason: reason, hard: true), nil, completion)
        case .notMounted: break
        }
        for tool in ["mount", "umount"] + (runsFsck ? ["fsck"] : []) where BuiltinAgentContext.locate(tool) == nil {
            return context.finish(.failed(reason: "\(tool) not found (package \(tool == "fsck" ? "util-linux (and e2fsprogs for ext4)" : "mount"))", hard: true), nil, completion)
        }
        do {
            try SystemFiles.makeDirectories(directory)
        } catch {
            return context.finish(.failed(reason: "\(error)", hard: true), nil, completion)
        }
        var commands: [AgentCommand] = []
        if runsFsck {
            // 0: clean, 1: errors corrected; 2 (reboot advised) concerns the root filesystem only.
            commands.append(AgentCommand(["fsck", "-p"] + (fstype.map { ["-t", $0] } ?? []) + [device], accepting: [0, 1, 2], package: "util-linux"))
        }
        var mount = ["mount"]
        if let fstype { mount += ["-t", fstype] }
        if let options { mount += ["-o", options] }
        commands.append(AgentCommand(mount + [device, directory], package: "mount"))
        context.runInOrder(commands, until: deadline, completion: completion)
    }

    /// umount; when it fails with users left, `fuser -km` them (TERM, then KILL) and try again.
    private func stop(_ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                      _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let signals = ["TERM", "KILL"]
        func attempt(_ round: Int) {
            guard mountState() == .mounted else { return completion(.success, nil) }
            let umount = AgentCommand(["umount", directory], package: "mount")
            context.run(umount, until: deadline) { [self] run in
                guard case .ran(let outcome) = run else {
                    if case .notRun(let result) = run { completion(result, nil) }
                    return
                }
                let result = umount.judge(outcome)
                if result == .success || result == .timedOut { return completion(result, outcome) }
                guard round < signals.count else { return completion(result, outcome) }
                context.log("umount \(directory) failed (\(outcome.lastOutputLine)); sending SIG\(signals[round]) to its users")
                // fuser exits 1 when nobody uses the mount: fine, umount decides.
                let fuser = AgentCommand(["fuser", "-k", "-\(signals[round])", "-m", directory], accepting: [0, 1], package: "psmisc")
                context.runInOrder([fuser], until: deadline) { killed, killOutcome in
                    guard killed == .success else { return completion(killed, killOutcome) }
                    context.after(nanoseconds: min(self.killPauseNanoseconds, max(0, deadline.remainingNanoseconds / 2))) {
                        attempt(round + 1)
                    }
                }
            }
        }
        attempt(0)
    }

    private func monitor(_ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                         _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        switch mountState() {
        case .notMounted, .conflict: return context.finish(.notRunning, nil, completion)
        case .mounted: break
        }
        guard checksWrite else { return context.finish(.success, nil, completion) }
        // Through a process: a hung filesystem must not block the loop.
        let probe = "\(directory)/.halo-monitor-\(getpid())"
        let write = AgentCommand(["/bin/sh", "-c", "echo ok > \"$0\" && read line < \"$0\" && [ \"$line\" = ok ] && rm -f \"$0\"", probe])
        context.runInOrder([write], until: deadline) { [directory] result, outcome in
            completion(result == .success || result == .timedOut ? result
                       : .failed(reason: "\(directory) is mounted but not writable: \(outcome?.lastOutputLine ?? "")", hard: false), outcome)
        }
    }
}
