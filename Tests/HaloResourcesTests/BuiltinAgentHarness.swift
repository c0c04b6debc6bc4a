import Foundation
import HaloLab
import HaloLinux
import HaloResources
import Testing

/// Runs a built-in agent's actions one after the other on a fresh event loop,
/// on the calling thread (inside `NetworkNamespace.perform` the agent's netlink
/// socket and the processes it starts live in that namespace).
enum BuiltinAgentHarness {
    struct Step {
        var result: AgentResult
        var seconds: Double
    }

    /// Each action's result and how long it took; `log` collects the agent's log lines.
    /// The loop runs on a thread of its own (started from the caller's, so it keeps the caller's network namespace).
    /// `lingerSeconds`: the loop keeps running that long after the last action (for work the agent scheduled).
    static func run(_ agent: BuiltinAgent, _ actions: [AgentAction], timeoutMilliseconds: Int = 20_000,
                    log: Box<[String]> = Box([]), lingerSeconds: Double = 0) throws -> [Step] {
        let loop = try EventLoop()
        let agentBox = Box(agent)
        let steps = Box<[Step]>([])
        let failure = Box<Error?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            do {
                let processes = try ProcessRunner(loop: loop)
                let context = BuiltinAgentContext(processes: processes, netlink: nil) { log.value.append($0) }
                func next(_ remaining: ArraySlice<AgentAction>) {
                    guard let action = remaining.first else {
                        _ = loop.schedule(at: MonotonicClock.nanoseconds() + Int64(lingerSeconds * 1e9)) { loop.stop() }
                        return
                    }
                    let started = Date()
                    agentBox.value.run(action, timeoutMilliseconds: timeoutMilliseconds, context: context) { result, _ in
                        steps.value.append(Step(result: result, seconds: Date().timeIntervalSince(started)))
                        next(remaining.dropFirst())
                    }
                }
                _ = loop.schedule(at: MonotonicClock.nanoseconds()) { next(actions[...]) }
                loop.run()
                withExtendedLifetime(processes) {}
            } catch {
                failure.value = error
            }
        }
        thread.start()
        done.wait()
        if let error = failure.value { throw error }
        return steps.value
    }

    static func results(_ agent: BuiltinAgent, _ actions: [AgentAction], timeoutMilliseconds: Int = 20_000,
                        log: Box<[String]> = Box([]), lingerSeconds: Double = 0) throws -> [AgentResult] {
        try run(agent, actions, timeoutMilliseconds: timeoutMilliseconds, log: log, lingerSeconds: lingerSeconds).map(\.result)
    }

    /// `failed` with a reason containing `text` (the reasons carry tool output, so tests match a part).
    static func isFailure(_ result: AgentResult, containing text: String) -> Bool {
        switch result {
        case .failed(let reason, _), .fatal(let reason): reason.contains(text)
        default: false
        }
    }
}

/// A scratch directory under /tmp removed at deinit (tests keep it alive with withExtendedLifetime/defer).
final class ScratchDirectory {
    let path: String

    init(_ name: String) throws {
        path = NSTemporaryDirectory() + "halo-\(name)-\(getpid())-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// Called from a `defer` after what is mounted below it is gone (ARC may end the object before the scope does).
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: "\(path)/\(name)", atomically: true, encoding: .utf8)
    }

    func read(_ name: String) -> String { (try? String(contentsOfFile: "\(path)/\(name)", encoding: .utf8)) ?? "" }
}

/// The repository root (for scripts/), from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
