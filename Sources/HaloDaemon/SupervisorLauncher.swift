import Glibc
import Logging

/// halod's parent process is `halo-supervisor`, a small C program (about a
/// megabyte, instead of a second Swift runtime): halod validates the
/// configuration, then replaces itself with the supervisor, which starts this
/// same binary as the engine (`EngineLaunch.arguments` + `--engine-of PID`). If the engine dies without
/// cleaning up, the supervisor removes the addresses listed here at once and
/// starts a new engine; keepalived leaves them, so both nodes answer for the VIP.
public enum SupervisorLauncher {
    /// Execs the supervisor; returns only if that fails (exit code 3).
    public static func exec(
        _ configuration: EngineConfiguration, engine launch: EngineLaunch, timestamps: Bool, pidFile: String?, logger: Logger
    ) -> Int32 {
        let engine = executablePath()
        let supervisor = supervisorPath(besides: engine)
        var argv = [supervisor]
        if timestamps { argv.append("--timestamps") }
        if let pidFile { argv += ["--pid-file", pidFile] }
        for instance in configuration.instances {
            for address in instance.allAddresses {
                argv += ["--address", address.device ?? instance.interface, address.prefix.description]
            }
        }
        argv += ["--", engine] + launch.arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        execv(supervisor, &cArguments)
        let reason = String(cString: strerror(errno))
        cArguments.forEach { free($0) }
        logger.critical("cannot start the supervisor \(supervisor): \(reason)")
        return 3
    }

    /// `HALO_SUPERVISOR`, else `halo-supervisor` in halod's own directory (build
    /// folder, /usr/sbin), else /usr/lib/halo.
    static func supervisorPath(besides engine: String) -> String {
        if let path = getenv("HALO_SUPERVISOR") { return String(cString: path) }
        let directory = engine.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let sibling = directory + "/halo-supervisor"
        return access(sibling, X_OK) == 0 ? sibling : "/usr/lib/halo/halo-supervisor"
    }

    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
