import HaloConfig
import Testing

@Suite struct ConfigTestReportTests {
    private let script = "vrrp_script chk {\n  script /bin/true\n}\n"

    @Test func exitStatuses() {
        #expect(ConfigTestStatus(load(instanceConfig(""))) == .clean)
        #expect(ConfigTestStatus(load(instanceConfig("    priority 0"))) == .errorsButWouldRun)
        #expect(ConfigTestStatus(load("vrrp_instance X {\n}\n")) == .cannotRun)
        #expect(ConfigTestStatus(load(script + instanceConfig("    track_script {\n        chk\n    }"))) == .scriptsWithoutSecurity)
        #expect(ConfigTestStatus(load(instanceConfig("    notify_master /bin/n.sh"))) == .scriptsWithoutSecurity)
        let secure = "global_defs {\n  enable_script_security\n}\n" + script + instanceConfig("    track_script {\n        chk\n    }")
        #expect(ConfigTestStatus(load(secure)) == .clean)
        // An untracked script does not run, so it needs no script security.
        #expect(ConfigTestStatus(load(script + instanceConfig(""))) == .clean)
        #expect(ConfigTestStatus.allCases.map(\.rawValue) == [0, 3, 4, 5])
    }

    @Test func summaryNamesWhatRunsAndWhatDoesNot() {
        let text = script + "vrrp_script unused {\n  script /bin/false\n}\n"
            + instanceConfig("    priority 150\n    track_script {\n        chk weight -10\n    }\n    notify_master \"/bin/n.sh master\"", name: "VI_1", vrid: 1)
            + instanceConfig("", name: "VI_2", vrid: 2)
            + "vrrp_sync_group G {\n  group {\n    VI_1 VI_2\n  }\n}\n"
            + "virtual_server 192.0.2.30 80 {\n  lb_algo rr\n  real_server 192.0.2.31 80 {\n    TCP_CHECK {\n    }\n  }\n}\n"
            + "global_defs {\n  smtp_server 192.0.2.25\n}\nvrrp_instance BAD {\n}\n"
        let report = ConfigTestReport(path: "t.conf", result: load(text), kernelHasIPVS: false)
        let output = report.render()
        #expect(output.hasPrefix("t.conf:40:3: warning: 'smtp_server' is ignored: Halo does not send mail\nt.conf:42:1: error: vrrp_instance 'BAD' has no 'interface'; it cannot run\n"))
        #expect(output.contains("t.conf: 2 errors, 2 warnings\n"))
        #expect(output.contains("  VI_1: interface eth0, VRID 1, priority 150, VRRPv2, IPv4, advert every 1s, starts BACKUP, multicast\n    VIPs: 192.0.2.10/24\n    tracks: script chk (weight -10)\n    notify master: /bin/n.sh master\n"))
        #expect(output.contains("  chk: /bin/true, every 1s, timeout 1s, weight 0, rise 1, fall 1\n"))
        #expect(output.contains("  unused: /bin/false, every 1s, timeout 1s, weight 0, rise 1, fall 1; not tracked by anything, so it will not run\n"))
        #expect(output.contains("  script security: off (add enable_script_security to global_defs)\n"))
        #expect(output.contains("Sync groups (1):\n  G: VI_1, VI_2 change state together\n"))
        #expect(output.contains("Virtual servers (1): parsed; not run: this kernel has no IPVS, and Halo does not program IPVS\n  192.0.2.30 port 80 TCP, rr: 192.0.2.31 port 80 (TCP_CHECK)\n"))
        #expect(output.contains("Rejected (errors above) (1):\n  t.conf:42:1: vrrp_instance BAD: no interface\n"))
        #expect(output.contains("Ignored (1):\n  t.conf:40:3: smtp_server: ignored: Halo does not send mail\n"))
        #expect(output.hasSuffix("Result: errors found; the parts without errors would run (exit 4)\n"))
        #expect(report.status == .errorsButWouldRun)
    }

    @Test func unreadableFile() {
        let result = ConfigurationLoader.load(path: "/etc/none.conf", source: InMemoryFileSource([:]))
        #expect(ConfigTestReport(path: "/etc/none.conf", result: result, kernelHasIPVS: true).render()
            == "/etc/none.conf: cannot read: No such file or directory\nResult: cannot run: the file is unreadable or no vrrp_instance is left without errors (exit 3)\n")
    }
}
