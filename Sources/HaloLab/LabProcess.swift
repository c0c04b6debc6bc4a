import Foundation
import Glibc

/// A long-running program (halod, keepalived, a stand-in service) started in a
/// lab namespace, with its output in a log file the test can read and show.
public final class LabProcess: @unchecked Sendable {
    public let name: String
    public let logPath: String
    private let process = Process()

    public init(_ name: String, in namespace: NetworkNamespace, arguments: [String], logDirectory: String,
                environment: [String: String]? = nil) throws {
        self.name = name
        logPath = "\(logDirectory)/\(name).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        // `ip netns exec` execs the program itself, so our pid is the program's pid.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", namespace.name] + arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        if let environment { process.environment = environment }
        try process.run()
    }

    deinit { kill() }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    public func signal(_ signal: Int32) { if process.isRunning { Glibc.kill(pid, signal) } }

    /// Waits up to `seconds` for exit; returns the exit status, nil if still running.
    @discardableResult
    public func waitForExit(seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGKILL and reap; safe to call twice. Never blocks for long: if Foundation
    /// has not noticed the exit after 3 s, reap the zombie directly.
    public func kill() {
        guard process.isRunning else { return }
        Glibc.kill(pid, SIGKILL)
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            var status: Int32 = 0
            waitpid(pid, &status, WNOHANG)
        }
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls the log until it contains `text` (true) or `seconds` pass (false).
    public func awaitLog(_ text: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if log.contains(text) { return true }
            usleep(10_000)
        }
        return log.contains(text)
    }
}

extension Lab {
    /// A fresh directory for this lab's configs, logs and pid files.
    public func makeWorkDirectory() throws -> String {
        let path = "/tmp/\(prefix)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// True when `address` is on `host`'s eth0.
    public func holds(_ host: String, address: String) -> Bool {
        let shown = (try? self.host(host).run("ip", "-o", "addr", "show", "dev", "eth0")) ?? ""
        return shown.split(whereSeparator: \.isWhitespace).contains { $0.hasPrefix(address + "/") }
    }

    /// Polls until `host` holds (or no longer holds) `address`; returns whether it got there.
    public func awaitAddress(_ address: String, on host: String, present: Bool = true, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if holds(host, address: address) == present { return true }
            usleep(10_000)
        }
        return holds(host, address: address) == present
    }
}
