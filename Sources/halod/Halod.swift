import ArgumentParser
import HaloConfig
import HaloControl
import HaloDaemon
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The Halo daemon's command line, spelled like keepalived's so existing unit
/// files and habits keep working.
@main
struct Halod: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "halod",
        abstract: "Halo high-availability daemon (keepalived-compatible VRRP).",
        discussion: """
        Reads a keepalived.conf-style configuration. Default file: \(ConfigFileChoice.primary), \
        falling back to \(ConfigFileChoice.fallback).

        Without --config-test, runs the VRRP engine under a supervisor process: if the engine dies \
        without cleaning up, the supervisor removes its virtual addresses at once and starts a new \
        engine. SIGTERM/SIGINT hand mastership off (priority-0 advert, addresses kept until the \
        successor is heard), then exit 0. SIGHUP re-reads the configuration and applies only what changed \
        (see haloctl reload). A configuration with errors is not started (exit 3).

        With --config-test, prints every error and warning as file:line:column, then a summary of \
        what would run, and exits with:
        \(ConfigTestStatus.allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n"))
          64 command-line usage error
        """,
        version: "halod 0.1.0 (keepalived 2.2.7 configuration language)"
    )

    @Option(name: [.customShort("f"), .customLong("use-file")], help: "Configuration file to read.")
    var useFile: String?

    @Flag(name: [.customShort("t"), .customLong("config-test")], help: "Check the configuration, print what would run, and exit.")
    var configTest = false

    @Flag(name: [.customShort("n"), .customLong("dont-fork")], help: "Stay in the foreground (halod always does; accepted for keepalived compatibility).")
    var dontFork = false

    @Flag(name: [.customShort("l"), .customLong("log-console")], help: "Log to stderr, with timestamps (also the fallback when neither syslog nor the journal is used).")
    var logConsole = false

    @Flag(name: [.customShort("G"), .customLong("no-syslog")], help: "Do not log through syslog.")
    var noSyslog = false

    @Option(name: [.customShort("S"), .customLong("log-facility")], help: ArgumentHelp(
        "Syslog facility LOG_LOCAL0-7 (0-7); default LOG_DAEMON. Implies logging through syslog.", valueName: "0-7"))
    var logFacility: Int?

    @Flag(name: .customLong("log-journal"), help: "Log to journald's native socket (automatic when systemd connects stderr to the journal).")
    var logJournal = false

    @Flag(name: [.customShort("D"), .customLong("log-detail")], help: "Detailed log messages (debug level).")
    var logDetail = false

    @Option(name: [.customShort("p"), .customLong("pid")], help: "Write the supervisor's pid to this file.")
    var pidFile: String?

    @Flag(name: [.customShort("P"), .customLong("vrrp")], help: "Run only the VRRP subsystem (Halo has no other; accepted).")
    var vrrpOnly = false

    @Flag(name: .customLong("no-supervisor"), help: "Run the engine in this process, without the supervisor that removes the VIPs if the engine dies.")
    var noSupervisor = false

    @Option(name: .customLong("control-socket"), help: "Path of the control socket haloctl talks to.")
    var controlSocket = ControlProtocol.defaultSocketPath

    @Option(name: .customLong("state-dir"), help: "Directory for state kept across restarts (the standby flag).")
    var stateDirectory = "/var/lib/halo"

    @Option(name: .customLong("import-haresources"), help: "Print a heartbeat haresources file as Halo resource_group sections, and exit.")
    var importHaresources: String?

    @Option(name: .customLong("follow"), help: "With --import-haresources: the vrrp_instance each haresources line follows, in order (repeat per line).")
    var importFollows: [String] = []

    @Option(name: .customLong("resource-directory"), help: "With --import-haresources: where heartbeat scripts are (default \(ResourceAgentKind.heartbeatResourceDirectory)).")
    var importResourceDirectory = ResourceAgentKind.heartbeatResourceDirectory

    func validate() throws {
        if let logFacility, !(0...7).contains(logFacility) {
            throw ValidationError("--log-facility must be from 0 to 7 (LOG_LOCAL0-7), not \(logFacility)")
        }
    }

    func run() throws {
        let source = SystemFileSource()
        if let importHaresources {
            let output = HaresourcesImport.render(path: importHaresources, source: source, follows: importFollows,
                                                  resourceDirectory: importResourceDirectory)
            for diagnostic in output.diagnostics { printError("\(diagnostic)") }
            print(output.text, terminator: "")
            throw ExitCode(output.hasErrors ? 1 : 0)
        }
        let path = ConfigFileChoice.path(explicit: useFile, exists: { source.read(path: $0).isSuccess })
        guard configTest else {
            throw ExitCode(runDaemon(path: path, source: source))
        }
        var result = ConfigurationLoader.load(path: path, source: source)
        if let configuration = result.configuration {
            // Agents' meta-data and validate-all, and systemd's presence: facts of this host, so here and not in HaloConfig.
            result.diagnostics = (result.diagnostics + ResourceAgentHostCheck.diagnostics(configuration)).sorted { $0.location < $1.location }
        }
        let findings = result.configuration.map { ScriptSecurity.audit($0, inspector: source) } ?? []
        let report = ConfigTestReport(path: path, result: result, kernelHasIPVS: source.read(path: "/proc/net/ip_vs").isSuccess,
                                      securityFindings: findings)
        print(report.render(), terminator: "")
        throw ExitCode(report.status.rawValue)
    }

    /// Loads the configuration (refusing to start on errors, as keepalived does for
    /// what it cannot run) and runs the supervisor, or the engine itself.
    private func runDaemon(path: String, source: SystemFileSource) -> Int32 {
        let launch = EngineLaunch(
            configurationPath: path,
            logs: LogDestinations.forThisProcess(logConsole: logConsole, noSyslog: noSyslog, facility: logFacility,
                                                 logJournal: logJournal, environment: LogDestinations.processEnvironment),
            logDetail: logDetail, controlSocket: controlSocket, stateDirectory: stateDirectory)
        let logger = launch.bootstrapLogging()
        logger.debug("logging to \(launch.logs.summary)")
        guard let engineConfiguration = launch.loadConfiguration(logger: logger) else { return ConfigTestStatus.cannotRun.rawValue }
        // The pid stays the same across the exec into the supervisor, which removes the file at exit.
        if let pidFile { writePIDFile(pidFile) }
        defer { if let pidFile { unlink(pidFile) } }
        if noSupervisor { return EngineRunner.run(engineConfiguration, logger: logger) }
        return SupervisorLauncher.exec(engineConfiguration, engine: launch, timestamps: logConsole, pidFile: pidFile, logger: logger)
    }

    private func writePIDFile(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var text = "\(getpid())\n"
        _ = text.withUTF8 { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    private func printError(_ message: String) {
        // stderr the C global is not concurrency-safe under Swift 6; write(2) is.
        var line = message + "\n"
        _ = line.withUTF8 { write(2, $0.baseAddress, $0.count) }
    }
}

/// Which file to read when `-f` is not given.
enum ConfigFileChoice {
    static let primary = "/etc/halo/halo.conf"
    static let fallback = "/etc/keepalived/keepalived.conf"

    static func path(explicit: String?, exists: (String) -> Bool) -> String {
        if let explicit { return explicit }
        return exists(primary) || !exists(fallback) ? primary : fallback
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
