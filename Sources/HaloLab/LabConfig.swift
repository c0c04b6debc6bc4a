/// Configurations for lab peers, written once in keepalived's language so the
/// same text drives keepalived and halod.
public enum LabConfig {
    /// A one-instance config in keepalived's syntax, which halod reads unchanged.
    public static func instance(
        name: String = "VI_1", state: String, priority: Int, vrid: Int = 51, advertInterval: String = "1",
        version: Int = 2, vips: [String], password: String? = nil, unicastSource: String? = nil,
        unicastPeers: [String] = [], nopreempt: Bool = false, garpMasterDelay: Int = 0,
        globalLines: [String] = [], instanceLines: [String] = []
    ) -> String {
        var lines = ["global_defs {", "    router_id \(name)-\(state)", "    vrrp_version \(version)",
                     "    vrrp_garp_master_delay \(garpMasterDelay)"] + globalLines.map { "    " + $0 }
            + ["}", "vrrp_instance \(name) {",
                     "    state \(state)", "    interface eth0", "    virtual_router_id \(vrid)",
                     "    priority \(priority)", "    advert_int \(advertInterval)"]
        if nopreempt { lines.append("    nopreempt") }
        lines += instanceLines.map { "    " + $0 }
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
