import CHaloLinux
import Glibc

/// Runs external commands (track scripts, notify hooks, resource agents) from
/// the event loop without ever blocking it: the child starts in its own session
/// with a clean environment and stdin on /dev/null, its exit is watched through
/// a pidfd, its output through a pipe, and a timeout stops the whole process
/// group (SIGTERM, then SIGKILL after a grace period, sent to the group
/// explicitly: a leader that dies on SIGTERM must not shelter a child that
/// ignores it). Loop thread only.
public final class ProcessRunner {
    public let loop: EventLoop
    private let devNull: Int32
    private var running: [pid_t: RunningProcess] = [:]

    public init(loop: EventLoop) throws {
        self.loop = loop
        devNull = try check("open /dev/null", open("/dev/null", O_RDONLY | O_CLOEXEC))
    }

    deinit { close(devNull) }

    /// Processes started and not yet finished.
    public var runningCount: Int { running.count }

    /// Starts `spec`; `completion` runs on the loop once the process has exited
    /// (after its timeout, once the SIGTERM or SIGKILL took effect).
    /// Throws when it cannot start (no such file, not executable, bad user).
    @discardableResult
    public func start(_ spec: ProcessSpec, completion: @escaping (ProcessOutcome) -> Void) throws -> RunningProcess {
        let program = try spec.resolvedProgram()
        var pipeFDs: [Int32] = [0, 0]
        try check("pipe2", halo_output_pipe(&pipeFDs))
        let pid: pid_t
        do {
            pid = try launch(spec, program: program, outputFD: pipeFDs[1])
        } catch {
            close(pipeFDs[0])
            close(pipeFDs[1])
            throw error
        }
        close(pipeFDs[1])
        let process = RunningProcess(pid: pid, spec: spec, outputFD: pipeFDs[0], runner: self, completion: completion)
        running[pid] = process
        do {
            try process.watch()
        } catch {
            // Without a pidfd we cannot see it end: stop it now rather than lose track of it.
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            process.closeDescriptors()
            running[pid] = nil
            throw error
        }
        return process
    }

    /// Asks every running process group to stop (SIGTERM, SIGKILL after its grace).
    public func terminateAll() {
        for process in running.values { process.terminate() }
    }

    /// SIGKILL to every running process group now: for exit, when no loop will
    /// be left to finish a grace period.
    public func killAll() {
        for process in running.values { kill(-process.pid, SIGKILL) }
    }

    func finished(_ process: RunningProcess) {
        running[process.pid] = nil
    }

    private func launch(_ spec: ProcessSpec, program: String, outputFD: Int32) throws -> pid_t {
        let shellArguments = ["/bin/sh", program] + spec.arguments.dropFirst()
        var argv = CStringArray(spec.arguments)
        var shellArgv = CStringArray(shellArguments)
        var envp = CStringArray(spec.environmentLines)
        defer { argv.free(); shellArgv.free(); envp.free() }
        let groups = spec.credentials?.groups ?? []
        return try groups.withUnsafeBufferPointer { groupBuffer in
            try program.withCString { path in
                var request = halo_process_launch()
                request.path = path
                request.argv = UnsafePointer(argv.pointer)
                request.shell_argv = UnsafePointer(shellArgv.pointer)
                request.envp = UnsafePointer(envp.pointer)
                request.stdin_fd = devNull
                request.output_fd = outputFD
                if let credentials = spec.credentials {
                    request.switch_user = 1
                    request.uid = credentials.uid
                    request.gid = credentials.gid
                    request.groups = groupBuffer.baseAddress
                    request.group_count = Int32(groupBuffer.count)
                }
                return try check("exec \(program)", halo_launch_process(&request))
            }
        }
    }
}

/// One started process: its pid (also its process-group and session id).
public final class RunningProcess {
    public let pid: pid_t
    public let startedAt: Int64
    private let spec: ProcessSpec
    private var exitFD: Int32 = -1
    private var outputFD: Int32
    private var tail: [UInt8] = []
    private var timedOut = false
    private var finishedRunning = false
    /// The SIGKILL for the group is still due: keep the leader a zombie until
    /// then, so its pid (the group id) cannot be reused by someone else.
    private var killPending = false
    private var leaderReaped = false
    private var timeoutTimer: LoopTimer?
    private unowned let runner: ProcessRunner
    private var completion: ((ProcessOutcome) -> Void)?
    /// Runs when the timeout passes, before the group has died (a check can
    /// count as failed at once even if its process ignores SIGTERM).
    public var onTimeout: (() -> Void)?

    init(pid: pid_t, spec: ProcessSpec, outputFD: Int32, runner: ProcessRunner, completion: @escaping (ProcessOutcome) -> Void) {
        self.pid = pid
        self.spec = spec
        self.outputFD = outputFD
        self.runner = runner
        self.completion = completion
        startedAt = MonotonicClock.nanoseconds()
    }

    private var loop: EventLoop { runner.loop }

    func watch() throws {
        exitFD = try check("pidfd_open", halo_pidfd_open(pid))
        try loop.watchReadable(exitFD) { [unowned self] in leaderExited() }
        try loop.watchReadable(outputFD) { [unowned self] in readOutput() }
        if let timeout = spec.timeoutNanoseconds {
            timeoutTimer = loop.schedule(at: startedAt + timeout) { [unowned self] in
                timeoutTimer = nil
                timedOut = true
                terminate()
                onTimeout?()
            }
        }
    }

    /// SIGTERM to the whole group now, SIGKILL to it after the grace period.
    /// Safe to call more than once, and after the process ended.
    public func terminate() {
        guard !killPending, !leaderReaped else { return }
        kill(-pid, SIGTERM)
        killPending = true
        loop.schedule(at: MonotonicClock.nanoseconds() + spec.killGraceNanoseconds) { [self] in
            kill(-pid, SIGKILL)
            killPending = false
            if finishedRunning { reapLeader() }
        }
    }

    private func leaderExited() {
        var code: Int32 = 0, signaled: Int32 = 0
        guard halo_child_exit(pid, killPending ? 1 : 0, &code, &signaled) == 1 else { return }
        loop.unwatch(exitFD)
        finishedRunning = true
        if !killPending { leaderReaped = true }
        if let timeoutTimer { loop.cancel(timeoutTimer) }
        // Grandchildren may hold the pipe open: take what is there now, do not wait for EOF.
        readOutput()
        closeOutput()
        if leaderReaped { closeDescriptors() }
        runner.finished(self)
        let outcome = ProcessOutcome(
            termination: signaled != 0 ? .signaled(code) : .exited(code), timedOut: timedOut,
            output: String(decoding: tail, as: UTF8.self),
            durationNanoseconds: MonotonicClock.nanoseconds() - startedAt)
        let completion = self.completion
        self.completion = nil
        completion?(outcome)
    }

    private func reapLeader() {
        guard !leaderReaped else { return }
        var code: Int32 = 0, signaled: Int32 = 0
        _ = halo_child_exit(pid, 0, &code, &signaled)
        leaderReaped = true
        closeDescriptors()
    }

    private func readOutput() {
        guard outputFD >= 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
            if count > 0 {
                tail.append(contentsOf: chunk[0..<count])
                if tail.count > spec.outputLimit { tail.removeFirst(tail.count - spec.outputLimit) }
                continue
            }
            if count == 0 { closeOutput() }  // EOF: every writer is gone
            return
        }
    }

    private func closeOutput() {
        guard outputFD >= 0 else { return }
        loop.unwatch(outputFD)
        close(outputFD)
        outputFD = -1
    }

    func closeDescriptors() {
        closeOutput()
        if exitFD >= 0 { close(exitFD); exitFD = -1 }
    }
}

/// A NULL-terminated `char *[]` built from Swift strings, freed explicitly.
struct CStringArray {
    var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        pointer = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointer[index] = strdup(string) }
        pointer[strings.count] = nil
    }

    mutating func free() {
        var index = 0
        while let string = pointer[index] { Glibc.free(string); index += 1 }
        pointer.deallocate()
    }
}
