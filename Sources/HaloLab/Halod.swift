import Foundation

/// Runs the halod built next to the test binary in a lab namespace.
public enum Halod {
    /// `HALOD_BINARY`, or `halod` beside the running executable (SwiftPM puts tests and products in one folder).
    public static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["HALOD_BINARY"] { return path }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("halod").path
    }

    public static func start(_ name: String, in lab: Lab, host: String, config: String, extraArguments: [String] = []) throws -> LabProcess {
        let directory = try lab.makeWorkDirectory()
        let configPath = "\(directory)/\(name).conf"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        // Each lab node gets its own control socket and state directory: nodes share
        // the host's /run and /var/lib, and a standby flag must never leak between tests.
        var arguments = extraArguments
        if !arguments.contains("--control-socket") { arguments += ["--control-socket", "\(directory)/\(name).sock"] }
        if !arguments.contains("--state-dir") { arguments += ["--state-dir", "\(directory)/\(name).state"] }
        return try LabProcess(
            name, in: lab.host(host),
            arguments: [binaryPath, "--dont-fork", "--log-console", "--use-file", configPath,
                        "--pid", "\(directory)/\(name).pid"] + arguments,
            logDirectory: directory)
    }
}

extension LabProcess {
    /// The engine's pid, from the supervisor's "engine started (pid N)" line (the latest one).
    public var enginePID: Int32? {
        log.components(separatedBy: "engine started (pid ").dropFirst().last
            .flatMap { Int32($0.prefix { $0.isNumber }) }
    }
}
