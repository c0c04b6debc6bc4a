import Glibc
import HaloConfig
import HaloLinux
import Logging

/// What an engine process needs, handed from halod to the engine it starts (through
/// the supervisor) as a short internal argument list. The engine reads it by hand
/// and never runs the command-line parser: that code would otherwise stay resident
/// in every engine (about 0.7 MB of the binary's pages) for a one-time job.
public struct EngineLaunch: Equatable, Sendable {
    public var configurationPath: String
    public var logs: LogDestinations
    public var logDetail: Bool
    public var controlSocket: String
    public var stateDirectory: String

    /// First argument of an engine process; the supervisor appends `--engine-of PID`.
    public static let flag = "--engine"

    public init(configurationPath: String, logs: LogDestinations, logDetail: Bool, controlSocket: String, stateDirectory: String) {
        self.configurationPath = configurationPath
        self.logs = logs
        self.logDetail = logDetail
        self.controlSocket = controlSocket
        self.stateDirectory = stateDirectory
    }

    /// The engine's argv after the program name (read back by `init(arguments:)`).
    public var arguments: [String] {
        var result = [Self.flag, configurationPath, "--control-socket", controlSocket, "--state-dir", stateDirectory,
                      "--journal-socket", logs.journalSocketPath]
        if logDetail { result.append("--log-detail") }
        if logs.console { result.append(logs.consoleTimestamps ? "--console-timestamps" : "--console") }
        if logs.syslog { result += ["--syslog", logs.syslogFacility.map(String.init) ?? "daemon"] }
        if logs.journal { result.append("--journal") }
        return result
    }

    /// Reads `arguments` (after the program name); the error names the argument it cannot read.
    public static func parse(_ arguments: [String]) -> Result<(launch: EngineLaunch, supervisor: Int32?), EngineLaunchError> {
        guard arguments.count >= 2, arguments[0] == flag else { return .failure(.init("expected \(flag) CONFIG first")) }
        var launch = EngineLaunch(
            configurationPath: arguments[1],
            logs: LogDestinations(console: false, consoleTimestamps: false, syslog: false, syslogFacility: nil, journal: false,
                                  journalSocketPath: JournalLogHandler.defaultSocketPath),
            logDetail: false, controlSocket: "", stateDirectory: "")
        var supervisor: Int32?
        var rest = arguments.dropFirst(2)[...]
        func value(_ name: String) throws(EngineLaunchError) -> String {
            guard let next = rest.popFirst() else { throw EngineLaunchError("\(name) needs a value") }
            return next
        }
        do throws(EngineLaunchError) {
            while let argument = rest.popFirst() {
                switch argument {
                case "--control-socket": launch.controlSocket = try value(argument)
                case "--state-dir": launch.stateDirectory = try value(argument)
                case "--journal-socket": launch.logs.journalSocketPath = try value(argument)
                case "--log-detail": launch.logDetail = true
                case "--console": launch.logs.console = true
                case "--console-timestamps": launch.logs.console = true; launch.logs.consoleTimestamps = true
                case "--journal": launch.logs.journal = true
                case "--syslog":
                    let facility = try value(argument)
                    launch.logs.syslog = true
                    launch.logs.syslogFacility = Int(facility)
                case "--engine-of":
                    let text = try value(argument)
                    guard let pid = Int32(text) else { throw EngineLaunchError("--engine-of needs a pid, not '\(text)'") }
                    supervisor = pid
                default:
                    throw EngineLaunchError("unknown engine argument '\(argument)'")
                }
            }
        } catch {
            return .failure(error)
        }
        return .success((launch, supervisor))
    }

    public func bootstrapLogging() -> Logger {
        let logs = self.logs, level: Logger.Level = logDetail ? .debug : .info
        LoggingSystem.bootstrap { label in logs.makeHandler(label: label, level: level) }
        return Logger(label: "halod")
    }

    /// Loads and validates the configuration as `--config-test` does; nil (after logging
    /// every diagnostic and why) when it has errors, which keepalived also refuses to run.
    public func loadConfiguration(logger: Logger) -> EngineConfiguration? {
        switch ReloadLoader.load(path: configurationPath) {
        case .refused(let lines):
            for line in lines { logger.warning("\(line)") }
            logger.critical("configuration \(configurationPath) has errors; not starting (see halod -f \(configurationPath) --config-test)")
            return nil
        case .loaded(var engineConfiguration, let warnings):
            for line in warnings { logger.warning("\(line)") }
            engineConfiguration.control.socketPath = controlSocket
            engineConfiguration.control.stateDirectory = stateDirectory
            return engineConfiguration
        }
    }

    /// The engine process: `arguments` as `arguments` wrote them. Returns the exit code.
    public static func runEngine(arguments: [String]) -> Int32 {
        switch parse(arguments) {
        case .failure(let error):
            var line = "halod: \(error)\n"
            _ = line.withUTF8 { write(2, $0.baseAddress, $0.count) }
            return 64
        case .success(let (launch, supervisor)):
            let logger = launch.bootstrapLogging()
            guard let configuration = launch.loadConfiguration(logger: logger) else { return ConfigTestStatus.cannotRun.rawValue }
            // What parsing the configuration allocated and freed goes back to the system now,
            // not whenever the heap's top happens to be free.
            ProcessHeap.releaseFreeMemory()
            return EngineRunner.run(configuration, logger: logger, supervisor: supervisor)
        }
    }
}

public struct EngineLaunchError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
