import HaloConfig
import HaloNet
import Testing

@Suite struct GlobalDefsKeywordTests {
    @Test func everyGlobalKeywordReachesTheModel() throws {
        let result = load("""
        global_defs {
            router_id NODE_A
            script_user keepalived_script scripts
            enable_script_security
            vrrp_version 3
            vrrp_strict
            vrrp_mcast_group4 224.0.0.19
            vrrp_mcast_group6 ff02::13
            vrrp_garp_master_delay 10
            vrrp_garp_master_repeat 3
            vrrp_garp_master_refresh 60
            vrrp_garp_master_refresh_repeat 2
            vrrp_garp_lower_prio_delay 1.5
            vrrp_garp_lower_prio_repeat 4
            vrrp_startup_delay 5.5
            vrrp_check_unicast_src
            notify_fifo /run/halo.fifo root adm
            notify_fifo_script "/usr/local/bin/fifo.sh --log"
            max_auto_priority 50
            vrrp_rt_priority 40
            vrrp_no_swap
        }
        """)
        #expect(diagnostics(result) == [])
        let globals = try #require(result.configuration?.globals)
        #expect(globals.routerID == "NODE_A")
        #expect(globals.scriptUser == ScriptUser(user: "keepalived_script", group: "scripts"))
        #expect(globals.enableScriptSecurity)
        #expect(globals.defaultVRRPVersion == .v3)
        #expect(globals.vrrpStrict)
        #expect(globals.multicastGroup4 == IPv4Address(224, 0, 0, 19))
        #expect(globals.multicastGroup6 == IPv6Address("ff02::13"))
        #expect(globals.gratuitousARP.masterDelay == .seconds(10))
        #expect(globals.gratuitousARP.masterRepeat == 3)
        #expect(globals.gratuitousARP.masterRefresh == .seconds(60))
        #expect(globals.gratuitousARP.masterRefreshRepeat == 2)
        #expect(globals.gratuitousARP.lowerPriorityDelay == Milliseconds(1500))
        #expect(globals.gratuitousARP.lowerPriorityRepeat == 4)
        #expect(globals.startupDelay == Milliseconds(5500))
        #expect(globals.checkUnicastSource)
        #expect(globals.notifyFIFO?.path == "/run/halo.fifo")
        #expect(globals.notifyFIFO?.owner == ScriptUser(user: "root", group: "adm"))
        #expect(globals.notifyFIFOScript?.arguments == ["/usr/local/bin/fifo.sh", "--log"])
        #expect(globals.maxAutoPriority == 50)
        #expect(globals.realtimePriority == 40)
        #expect(globals.lockMemory)
    }

    @Test func defaultsMatchKeepalived() {
        let globals = config("").globals
        #expect(globals.defaultVRRPVersion == .v2)
        #expect(!globals.vrrpStrict && !globals.enableScriptSecurity)
        #expect(globals.multicastGroup4.description == "224.0.0.18")
        #expect(globals.multicastGroup6.description == "ff02::12")
    }

    @Test func mailKeywordsAreIgnoredWithTheReason() {
        let result = load("global_defs {\n  notification_email {\n    a@example.com\n  }\n  smtp_server 192.0.2.25\n  smtp_alert\n}\n")
        #expect(diagnostics(result) == [
            "t.conf:2:3: warning: 'notification_email' is ignored: Halo does not send mail",
            "t.conf:5:3: warning: 'smtp_server' is ignored: Halo does not send mail",
            "t.conf:6:3: warning: 'smtp_alert' is ignored: Halo does not send mail",
        ])
        #expect(result.configuration?.ignored.map(\.what) == ["notification_email", "smtp_server", "smtp_alert"])
    }

    @Test func recognizedButUnsupportedKeywordsAreWarnings() {
        #expect(diagnostics(load("global_defs {\n  enable_snmp_vrrp\n}\n")) == ["t.conf:2:3: warning: 'enable_snmp_vrrp' is not supported by Halo, ignored"])
    }

    @Test func unknownKeywordSuggestsTheClosestOne() {
        #expect(diagnostics(load("global_defs {\n  routr_id A\n  zzzz 1\n}\n")) == [
            "t.conf:2:3: warning: unknown keyword 'routr_id' in global_defs, ignored; did you mean 'router_id'?",
            "t.conf:3:3: warning: unknown keyword 'zzzz' in global_defs, ignored",
        ])
    }

    @Test func badGlobalValues() {
        #expect(diagnostics(load("global_defs {\n  vrrp_version 4\n  vrrp_mcast_group4 192.0.2.1\n  vrrp_garp_master_repeat x\n}\n")) == [
            "t.conf:2:16: error: 'vrrp_version' must be from 2 to 3, not 4",
            "t.conf:3:21: error: 'vrrp_mcast_group4' needs an IPv4 multicast address, not '192.0.2.1'",
            "t.conf:4:27: error: 'vrrp_garp_master_repeat' needs a whole number, not 'x'",
        ])
    }
}

@Suite struct ScriptKeywordTests {
    @Test func everyScriptKeyword() throws {
        let result = load("""
        vrrp_script chk_mfs {
            script "/usr/bin/killall -0 mfsmaster"
            interval 2
            timeout 1.5
            weight -20 reverse
            rise 3
            fall 2
            user nobody nogroup
            init_fail
        }
        """)
        #expect(diagnostics(result) == [])
        let script = try #require(result.configuration?.script(named: "chk_mfs"))
        #expect(script.command.arguments == ["/usr/bin/killall", "-0", "mfsmaster"])
        #expect(script.command.location == SourceLocation(file: "t.conf", line: 2, column: 12))
        #expect(script.interval == .seconds(2))
        #expect(script.timeout == Milliseconds(1500))
        #expect(script.weight == -20 && script.weightReversed)
        #expect(script.rise == 3 && script.fall == 2)
        #expect(script.user == ScriptUser(user: "nobody", group: "nogroup"))
        #expect(script.initiallyFailed)
    }

    @Test func defaultsMatchKeepalived() throws {
        let script = try #require(config("vrrp_script s {\n  script /bin/true\n}\n").scripts.first)
        #expect(script.interval == .seconds(1) && script.effectiveTimeout == .seconds(1))
        #expect(script.weight == 0 && script.rise == 1 && script.fall == 1 && !script.initiallyFailed)
    }

    @Test func scriptWithoutCommandIsDropped() {
        let result = load("vrrp_script s {\n  interval 2\n}\n")
        #expect(diagnostics(result) == ["t.conf:1:1: error: vrrp_script 's' has no 'script' line; it is not used"])
        #expect(result.configuration?.scripts.isEmpty == true)
    }

    @Test func weightOutOfRange() {
        #expect(diagnostics(load("vrrp_script s {\n  script x\n  weight 254\n}\n")) == ["t.conf:3:10: error: 'weight' must be from -253 to 253, not 254"])
    }

    @Test func trackFileSection() throws {
        let result = load("vrrp_track_file tf {\n  file /run/halo/prio\n  weight -3 reverse\n  init_file 7 overwrite\n}\n")
        #expect(diagnostics(result) == [])
        let file = try #require(result.configuration?.trackFiles.first)
        #expect(file.name == "tf" && file.path == "/run/halo/prio" && file.weight == -3 && file.weightReversed && file.initialValue == 7)
    }
}

@Suite struct SyncGroupKeywordTests {
    @Test func everySyncGroupKeyword() throws {
        let text = "vrrp_script chk {\n  script /bin/true\n}\nvrrp_track_file tf {\n  file /run/x\n}\n"
            + instanceConfig("", name: "VI_1", vrid: 1) + instanceConfig("", name: "VI_2", vrid: 2) + """
            vrrp_sync_group G {
                group {
                    VI_1
                    VI_2
                }
                notify_master "/bin/n.sh master"
                notify_backup /bin/n.sh backup
                notify_fault /bin/n.sh fault
                notify_stop /bin/n.sh stop
                notify /bin/n.sh
                track_interface {
                    eth1 weight -10
                }
                track_script {
                    chk weight 4
                }
                track_file {
                    tf
                }
            }
            """
        let result = load(text)
        #expect(diagnostics(result) == [])
        let group = try #require(result.configuration?.syncGroups.first)
        #expect(group.members == ["VI_1", "VI_2"])
        #expect(group.notify.master?.arguments == ["/bin/n.sh", "master"])
        #expect(group.notify.backup?.arguments == ["/bin/n.sh", "backup"])
        #expect(group.notify.fault?.arguments == ["/bin/n.sh", "fault"])
        #expect(group.notify.stop?.arguments == ["/bin/n.sh", "stop"])
        #expect(group.notify.generic?.arguments == ["/bin/n.sh"])
        #expect(group.trackedInterfaces.map(\.name) == ["eth1"] && group.trackedInterfaces[0].weight == -10)
        #expect(group.trackedScripts.map(\.name) == ["chk"] && group.trackedScripts[0].weightOverride == 4)
        #expect(group.trackedFiles.map(\.name) == ["tf"])
    }

    @Test func membersMayShareALine() throws {
        let text = instanceConfig("", name: "A", vrid: 1) + instanceConfig("", name: "B", vrid: 2) + "vrrp_sync_group G {\n  group { A B }\n}\n"
        #expect(config(text).syncGroups.first?.members == ["A", "B"])
    }
}
