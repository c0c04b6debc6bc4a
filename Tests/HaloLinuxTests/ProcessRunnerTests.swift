import Foundation
import Glibc
import HaloLinux
import Testing

/// The process runner on a real kernel: exit status, output tail, scrubbed
/// environment, session, user switch, and the process-group kill at timeout.
@Suite struct ProcessRunnerTests {
    struct Run {
        var outcome: ProcessOutcome
        var pid: pid_t
    }

    /// Starts `spec` on a fresh loop thread and waits for its completion; the loop
    /// keeps running `lingerNanoseconds` longer (for a pending group SIGKILL),
    /// `atCompletion` runs on the loop thread the moment the process is done.
    private func run(_ spec: ProcessSpec, seconds: Double = 10, lingerNanoseconds: Int64 = 0,
                     onTimeout: (@Sendable () -> Void)? = nil,
                     atCompletion: @escaping @Sendable () -> Void = {}) throws -> Run {
        let loop = try EventLoop()
        let result = Box<Run?>(nil)
        let failure = Box<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            do {
                let runner = try ProcessRunner(loop: loop)
                let pid = Box<pid_t>(0)
                let process = try runner.start(spec) { outcome in
                    result.value = Run(outcome: outcome, pid: pid.value)
                    atCompletion()
                    loop.schedule(at: MonotonicClock.nanoseconds() + lingerNanoseconds) { loop.stop() }
                }
                pid.value = process.pid
                process.onTimeout = onTimeout
                loop.run()
                withExtendedLifetime(runner) {}
            } catch {
                failure.value = "\(error)"
            }
            done.signal()
        }.start()
        #expect(done.wait(timeout: .now() + seconds) == .success, "process did not finish")
        if let failure = failure.value { throw SystemError(failure, code: 0) }
        return try #require(result.value)
    }

    private func shell(_ script: String, timeout: Int64? = nil) -> ProcessSpec {
        ProcessSpec(arguments: ["/bin/sh", "-c", script], timeoutNanoseconds: timeout)
    }

    /// Alive and not a zombie (an orphan reparented to a lazy init may linger as one).
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    private func temporaryFile(_ name: String) -> String {
        "\(NSTemporaryDirectory())/halo-runner-\(getpid())-\(name)"
    }

    @Test func reportsExitCodesAndFindsProgramsOnPath() throws {
        #expect(try run(shell("exit 3")).outcome.termination == .exited(3))
        let ok = try run(ProcessSpec(arguments: ["true"]))
        #expect(ok.outcome.termination == .exited(0))
        #expect(ok.outcome.succeeded)
        #expect(try run(shell("kill -KILL $$")).outcome.termination == .signaled(SIGKILL))
    }

    @Test func refusesAProgramThatDoesNotExist() throws {
        #expect(throws: SystemError.self) { try run(ProcessSpec(arguments: ["/nonexistent/halo-check"])) }
        #expect(throws: SystemError.self) { try run(ProcessSpec(arguments: ["halo-no-such-program"])) }
    }

    @Test func keepsOnlyTheTailOfStdoutAndStderr() throws {
        let result = try run(shell("head -c 10000 /dev/zero | tr '\\0' x; echo; echo to-stderr >&2; echo END"))
        let output = result.outcome.output
        #expect(output.utf8.count == 4096)
        #expect(output.hasSuffix("to-stderr\nEND\n"))
        #expect(result.outcome.lastOutputLine == "END")
    }

    @Test func runsWithACleanEnvironmentNoStdinAndItsOwnSession() throws {
        setenv("HALO_RUNNER_INHERITED", "leak", 1)
        var spec = shell("env; echo session=$(cut -d' ' -f6 /proc/$$/stat) pid=$$; cat; echo stdin-done")
        spec.environment["LD_PRELOAD"] = "/tmp/evil.so"
        spec.environment["LD_LIBRARY_PATH"] = "/tmp"
        spec.environment["IFS"] = "x"
        spec.environment["HALO_WANTED"] = "yes"
        let result = try run(spec)
        let output = result.outcome.output
        #expect(!output.contains("LD_PRELOAD") && !output.contains("LD_LIBRARY_PATH") && !output.contains("IFS="), "\(output)")
        #expect(!output.contains("HALO_RUNNER_INHERITED"), "\(output)")
        #expect(output.contains("HALO_WANTED=yes"))
        #expect(output.contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
        #expect(output.contains("session=\(result.pid) pid=\(result.pid)"), "\(output)")
        #expect(output.contains("stdin-done"))
    }

    @Test func fallsBackToTheShellForAFileWithoutInterpreterLine() throws {
        let path = temporaryFile("no-shebang")
        try "echo \"args: $1 | $2\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        defer { unlink(path) }
        let result = try run(ProcessSpec(arguments: [path, "one two", "three"]))
        #expect(result.outcome.output == "args: one two | three\n")
        #expect(result.outcome.succeeded)
    }

    @Test(.enabled(if: getuid() == 0, "switching user needs root"))
    func runsAsTheRequestedUser() throws {
        let nobody = try ProcessCredentials.resolve(user: "nobody")
        var spec = ProcessSpec(arguments: ["/bin/sh", "-c", "echo $(id -u):$(id -g):$(id -G)"])
        spec.credentials = nobody
        let result = try run(spec)
        #expect(result.outcome.output == "\(nobody.uid):\(nobody.gid):\(nobody.groups.map(String.init).joined(separator: " "))\n")
        #expect(nobody.uid != 0)
    }

    @Test func timeoutKillsTheWholeGroupWhenLeaderAndChildIgnoreSigterm() throws {
        let childFile = temporaryFile("ignoring-child")
        defer { unlink(childFile) }
        var spec = shell("trap '' TERM; sleep 30 & echo $! > \(childFile); wait; sleep 30", timeout: 200_000_000)
        spec.killGraceNanoseconds = 300_000_000
        let started = MonotonicClock.nanoseconds()
        let timeoutAfter = Box<Int64?>(nil)
        let result = try run(spec, onTimeout: { timeoutAfter.value = MonotonicClock.nanoseconds() - started })
        #expect(result.outcome.timedOut)
        // The timeout is reported when it passes, not when the group finally dies.
        let reported = try #require(timeoutAfter.value)
        #expect(reported >= 200_000_000 && reported < 400_000_000, "\(reported)")
        #expect(result.outcome.termination == .signaled(SIGKILL))
        // Terminated at the timeout plus the grace period, not before and not much later.
        #expect(result.outcome.durationNanoseconds >= 500_000_000)
        #expect(result.outcome.durationNanoseconds < 1_500_000_000, "\(result.outcome.durationNanoseconds)")
        let child = try #require(pid_t(String(contentsOfFile: childFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        usleep(100_000)
        #expect(!Self.isRunning(child), "the child that ignored SIGTERM survived")
    }

    @Test func timeoutStillKillsAChildWhenTheLeaderDiesOnSigterm() throws {
        let childFile = temporaryFile("orphan-child")
        defer { unlink(childFile) }
        var spec = shell("(trap '' TERM; exec sleep 30) & echo $! > \(childFile); wait", timeout: 200_000_000)
        spec.killGraceNanoseconds = 300_000_000
        let childPID: @Sendable () -> pid_t? = {
            (try? String(contentsOfFile: childFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let aliveAtCompletion = Box<Bool?>(nil)
        let result = try run(spec, lingerNanoseconds: 600_000_000) {
            aliveAtCompletion.value = childPID().map(Self.isRunning)
        }
        #expect(result.outcome.timedOut)
        #expect(result.outcome.termination == .signaled(SIGTERM))
        #expect(aliveAtCompletion.value == true, "SIGKILL comes after the grace period, not with the SIGTERM")
        let child = try #require(childPID())
        #expect(!Self.isRunning(child), "the child that ignored SIGTERM outlived the leader's death")
    }

    @Test func leavesNoZombie() throws {
        let result = try run(shell("exit 0"))
        var status: Int32 = 0
        #expect(waitpid(result.pid, &status, WNOHANG) == -1)
        #expect(errno == ECHILD)
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(result.pid)/stat") || !Self.isRunning(result.pid))
    }
}
