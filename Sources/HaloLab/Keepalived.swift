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

    /// A one-instance config in keepalived's syntax.
    public static func instanceConfig(
        name: String = "VI_1", state: String, priority: Int, vrid: Int = 51, advertInterval: String = "1",
        version: Int = 2, vips: [String], password: String? = nil, unicastSource: String? = nil,
        unicastPeers: [String] = [], nopreempt: Bool = false
    ) -> String {
        var lines = ["global_defs {", "    router_id \(name)-\(state)", "    vrrp_version \(version)",
                     "    vrrp_garp_master_delay 0", "}", "vrrp_instance \(name) {",
                     "    state \(state)", "    interface eth0", "    virtual_router_id \(vrid)",
                     "    priority \(priority)", "    advert_int \(advertInterval)"]
        if nopreempt { lines.append("    nopreempt") }
        if let password {
            lines += ["    authentication {", "        auth_type PASS", "        auth_pass \(password)", "    }"]
        }
        if let unicastSource {
            lines.append("    unicast_src_ip \(unicastSource)")
            lines += ["    unicast_peer {"] + unicastPeers.map { "        \($0)" } + ["    }"]
        }
        lines += ["    virtual_ipaddress {"] + vips.map { "        \($0)" } + ["    }", "}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
