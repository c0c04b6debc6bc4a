import Foundation

/// Runs Debian's keepalived in a lab namespace, as the reference peer for
/// interop tests and the baseline for benchmarks. Each instance gets its own
/// pid files: `ip netns exec` shares /run, so two keepalived on one host would
/// otherwise refuse to start.
public enum Keepalived {
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/keepalived") }

    public static func start(_ name: String, in lab: Lab, host: String, config: String) throws -> LabProcess {
        let directory = try lab.makeWorkDirectory()
        let configPath = "\(directory)/\(name).conf"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        return try LabProcess(
            name, in: lab.host(host),
            arguments: ["/usr/sbin/keepalived", "--dont-fork", "--log-console", "--log-detail", "--vrrp",
                        "--use-file", configPath,
                        "--pid", "\(directory)/\(name).pid", "--vrrp_pid", "\(directory)/\(name).vrrp.pid",
                        "--checkers_pid", "\(directory)/\(name).checkers.pid"],
            logDirectory: directory)
    }
}
