import Foundation
import Glibc
import HaloLab

/// The repository's scripts/ directory, found from this file's path.
let scriptsDirectory: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("scripts").path
}()

/// What a health-check script did: its exit status and what it wrote.
struct CheckResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var healthy: Bool { status == 0 }
    /// The reason line: stderr without its trailing newline.
    var reason: String { stderr.trimmingCharacters(in: .whitespacesAndNewlines) }
    var isOneLine: Bool { !reason.isEmpty && !reason.contains("\n") }
    var description: String { "exit \(status), stdout \(stdout.debugDescription), stderr \(stderr.debugDescription)" }
}

/// Runs `command` (in `namespace` if given) to completion with its output in
/// files, not pipes, so a daemon it starts cannot hold us up. Kills it after `limit` seconds.
func runCommand(_ command: [String], in namespace: NetworkNamespace? = nil, environment: [String: String]? = nil,
                limit: Double = 60) throws -> CheckResult {
    let base = NSTemporaryDirectory() + "hc-\(getpid())-\(UUID().uuidString)"
    let outPath = base + ".out", errPath = base + ".err"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    // posix_spawn and waitpid, not Foundation.Process: it sometimes misses the exit of a child whose
    // grandchild daemonizes (the restarted mfsmaster), and waitUntilExit then never returns.
    let argv = ["/usr/bin/env"] + (namespace.map { ["ip", "netns", "exec", $0.name] } ?? []) + command
    let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_TRUNC, 0)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_TRUNC, 0)
    let cArgv = argv.map { strdup($0) } + [nil]
    let cEnv = env.map { strdup($0) } + [nil]
    defer { (cArgv + cEnv).forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArgv, cEnv)
    guard spawned == 0 else {
        throw SpawnError(message: "posix_spawn \(argv): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    let deadline = Date().addingTimeInterval(limit)
    while true {
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { break }
        if reaped < 0 {
            if errno == EINTR { continue }
            throw SpawnError(message: "waitpid \(argv): \(String(cString: strerror(errno)))")
        }
        if Date() >= deadline {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
            break
        }
        usleep(5_000)
    }
    // WIFEXITED / WEXITSTATUS, spelled out (the macros do not import).
    let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    return CheckResult(status: exitStatus, stdout: read(outPath), stderr: read(errPath))
}

/// Runs scripts/NAME with arguments in a namespace.
func check(_ name: String, _ arguments: [String] = [], in namespace: NetworkNamespace? = nil,
           environment: [String: String]? = nil) throws -> CheckResult {
    try runCommand(["\(scriptsDirectory)/\(name)"] + arguments, in: namespace, environment: environment)
}

/// Polls `condition` every 100 ms until it holds or `seconds` pass.
func eventually(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}

/// Polls a check until it reports healthy (true) or `seconds` pass (false).
func becomesHealthy(_ name: String, _ arguments: [String], in namespace: NetworkNamespace, seconds: Double) throws -> Bool {
    try eventually(seconds: seconds) { try check(name, arguments, in: namespace).healthy }
}

func processIsGone(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    // "pid (comm) S ...": a zombie (Z) or dead (X) process no longer serves.
    guard let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
    return state == "Z" || state == "X"
}

/// A lab with a server host (192.0.2.10) and a client host (192.0.2.20) on one
/// switch, a work directory, and the processes started for a test; `tearDown`
/// kills them all and removes the namespaces (which also kills anything they
/// daemonized) and the directory.
final class ServiceLab: @unchecked Sendable {
    static let serverAddress = "192.0.2.10"
    static let clientAddress = "192.0.2.20"
    let lab: Lab
    let server: NetworkNamespace
    let client: NetworkNamespace
    let work: String
    private var processes: [LabProcess] = []

    init() throws {
        lab = try Lab()
        do {
            server = try lab.addHost("srv", addresses: ["\(Self.serverAddress)/24"])
            client = try lab.addHost("cli", addresses: ["\(Self.clientAddress)/24"])
            work = try lab.makeWorkDirectory()
        } catch {
            lab.tearDown()
            throw error
        }
    }

    /// Starts a program in the server namespace (or `namespace`), logging to WORK/NAME.log.
    func start(_ name: String, _ arguments: [String], in namespace: NetworkNamespace? = nil) throws -> LabProcess {
        let process = try LabProcess(name, in: namespace ?? server, arguments: arguments, logDirectory: work)
        processes.append(process)
        return process
    }

    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let path = "\(work)/\(name)"
        try (text.hasSuffix("\n") ? text : text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        if executable { chmod(path, 0o755) }
        return path
    }

    func logs() -> String {
        processes.map { "--- \($0.name):\n\($0.log.suffix(3000))" }.joined(separator: "\n")
    }

    func tearDown() {
        for process in processes { process.kill() }
        lab.tearDown()
        try? FileManager.default.removeItem(atPath: work)
    }
}

struct SpawnError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
