import HaloConfig
import HaloNet
import Testing

/// One test per rule, checking the exact message and where it points.
@Suite struct ValidationTests {
    @Test func vridRange() {
        let result = load(instanceConfig("").replacingOccurrences(of: "virtual_router_id 51", with: "virtual_router_id 256"))
        #expect(diagnostics(result) == ["t.conf:3:23: error: 'virtual_router_id' must be from 1 to 255, not 256"])
        #expect(result.configuration?.instances.isEmpty == true)
        #expect(result.configuration?.rejected.map(\.reason) == ["no valid virtual_router_id"])
        #expect(ConfigTestStatus(result) == .cannotRun)
    }

    @Test func vridMissingAndInterfaceMissing() {
        #expect(diagnostics(load("vrrp_instance X {\n  priority 10\n}\n")) == [
            "t.conf:1:1: error: vrrp_instance 'X' has no 'interface'; it cannot run",
            "t.conf:1:1: error: vrrp_instance 'X' has no 'virtual_router_id' (1-255); it cannot run",
            "t.conf:1:1: warning: vrrp_instance 'X' has no virtual_ipaddress; it will elect a master but move no address",
        ])
    }

    @Test(arguments: [("0", "must be from 1 to 255, not 0"), ("256", "must be from 1 to 255, not 256"), ("high", "needs a whole number, not 'high'")])
    func priorityRange(value: String, message: String) {
        let result = load(instanceConfig("    priority \(value)"))
        #expect(diagnostics(result) == ["t.conf:7:14: error: 'priority' \(message)"])
        #expect(result.configuration?.instances.first?.priority == 100)
        #expect(ConfigTestStatus(result) == .errorsButWouldRun)
    }

    @Test func priority255IsTheOwner() {
        #expect(diagnostics(load(instanceConfig("    priority 255\n    state MASTER"))) == [])
        #expect(diagnostics(load(instanceConfig("    priority 255\n    state BACKUP"))) == [
            "t.conf:8:5: warning: priority 255 makes vrrp_instance 'VI_1' the address owner: it starts as MASTER whatever 'state BACKUP' says",
        ])
    }

    @Test func advertIntervalV2FractionIsAnError() {
        let result = load(instanceConfig("    advert_int 1.5"))
        #expect(diagnostics(result) == ["t.conf:7:5: error: advert_int 1.5s is not a whole number of seconds: VRRPv2 advertises whole seconds (keepalived rounds it to 2s with only a warning; use 'version 3' for sub-second adverts)"])
        #expect(result.configuration?.instances.first?.advertInterval == .seconds(2))
    }

    @Test func advertIntervalV2Range() {
        #expect(diagnostics(load(instanceConfig("    advert_int 256"))) == ["t.conf:7:16: error: 'advert_int' must be from 0.001s to 255s, not 256"])
        #expect(diagnostics(load(instanceConfig("    advert_int 255"))) == [])
    }

    @Test func advertIntervalV3Steps() {
        #expect(diagnostics(load(instanceConfig("    version 3\n    advert_int 0.01"))) == [])
        #expect(firstInstance(instanceConfig("    version 3\n    advert_int 40.95"))?.advertInterval == Milliseconds(40950))
        #expect(diagnostics(load(instanceConfig("    version 3\n    advert_int 0.015"))) == ["t.conf:8:5: error: advert_int 0.015s is not a multiple of 10 ms: VRRPv3 advertises centiseconds"])
        #expect(diagnostics(load(instanceConfig("    version 3\n    advert_int 41"))) == ["t.conf:8:5: error: advert_int 41s is above VRRPv3's maximum of 40.95s"])
        #expect(diagnostics(load(instanceConfig("    version 3\n    advert_int 0.005"))) == ["t.conf:8:5: error: advert_int 0.005s is below VRRPv3's minimum of 0.01s"])
    }

    @Test func globalVersionAppliesToInstances() {
        let text = "global_defs {\n  vrrp_version 3\n}\n" + instanceConfig("    advert_int 0.1")
        #expect(diagnostics(load(text)) == [])
        #expect(firstInstance(text)?.version == .v3)
    }

    @Test func authenticationOnlyWithV2() {
        let result = load(instanceConfig("    version 3\n    authentication {\n        auth_type PASS\n        auth_pass abc\n    }"))
        #expect(diagnostics(result) == ["t.conf:8:5: error: authentication is VRRPv2 only and this instance uses VRRPv3 (keepalived ignores it with a log line); authentication ignored"])
        #expect(result.configuration?.instances.first?.authentication == nil)
    }

    @Test func authenticationWithIPv6() {
        let text = "vrrp_instance V6 {\n  interface eth0\n  virtual_router_id 5\n  authentication {\n    auth_type PASS\n    auth_pass abc\n  }\n  virtual_ipaddress {\n    2001:db8::10\n  }\n}\n"
        #expect(diagnostics(load(text)) == ["t.conf:4:3: error: authentication is VRRPv2 only and IPv6 uses VRRPv3 (keepalived ignores it with a log line); authentication ignored"])
    }

    @Test func passwordLongerThanEightIsTruncatedLikeKeepalived() {
        let result = load(instanceConfig("    authentication {\n        auth_type PASS\n        auth_pass 1234567890\n    }"))
        #expect(diagnostics(result) == ["t.conf:9:19: error: 'auth_pass' is 10 bytes; VRRP carries at most 8 (keepalived silently truncates it to '12345678')"])
        #expect(result.configuration?.instances.first?.authentication?.password == "12345678")
    }

    @Test func authenticationShapes() {
        #expect(diagnostics(load(instanceConfig("    authentication {\n        auth_type AH\n    }"))) == ["t.conf:8:19: error: auth_type AH (IPsec AH, withdrawn from RFC 3768) is not supported by Halo; authentication ignored"])
        #expect(diagnostics(load(instanceConfig("    authentication {\n        auth_type PASS\n    }"))) == ["t.conf:7:5: error: 'authentication' with auth_type PASS needs 'auth_pass'"])
        #expect(diagnostics(load(instanceConfig("    authentication {\n        auth_pass x\n    }"))) == ["t.conf:7:5: error: 'authentication' needs 'auth_type PASS'"])
        #expect(diagnostics(load(instanceConfig("    authentication {\n        auth_type MD5\n        auth_pass x\n    }"))) == ["t.conf:8:19: error: 'auth_type' must be PASS or AH, not 'MD5'"])
    }

    @Test func oneFamilyPerInstance() {
        let text = "vrrp_instance M {\n  interface eth0\n  virtual_router_id 5\n  virtual_ipaddress {\n    192.0.2.1\n    2001:db8::1\n  }\n}\n"
        let result = load(text)
        #expect(diagnostics(result) == ["t.conf:6:5: error: virtual address 2001:db8::1 is IPv6 but 192.0.2.1 (line 5) is IPv4; one instance carries one address family"])
        #expect(result.configuration?.instances.isEmpty == true)
    }

    @Test func ipv6ForcesVersion3() {
        let text = "vrrp_instance V6 {\n  interface eth0\n  virtual_router_id 5\n  version 2\n  virtual_ipaddress {\n    2001:db8::10\n  }\n}\n"
        #expect(diagnostics(load(text)) == ["t.conf:4:3: warning: VRRPv2 cannot carry IPv6 addresses; vrrp_instance 'V6' uses VRRPv3"])
        #expect(firstInstance(text)?.version == .v3)
    }

    @Test func uniqueVRIDPerInterfaceAndFamily() {
        let text = instanceConfig("", name: "A", vrid: 7) + instanceConfig("", name: "B", vrid: 7)
            + instanceConfig("", name: "C", vrid: 7, interface: "eth1")
        let result = load(text)
        #expect(diagnostics(result) == ["t.conf:11:5: error: virtual_router_id 7 on eth0 (IPv4) is already used by vrrp_instance 'A' at t.conf:1:1; vrrp_instance 'B' ignored"])
        #expect(result.configuration?.instances.map(\.name) == ["A", "C"])
    }

    @Test func sameVRIDInTheOtherFamilyIsFine() {
        let v6 = "vrrp_instance V6 {\n  interface eth0\n  virtual_router_id 51\n  virtual_ipaddress {\n    2001:db8::10\n  }\n}\n"
        #expect(diagnostics(load(instanceConfig("") + v6)) == [])
    }

    @Test func trackScriptMustExist() {
        let text = "vrrp_script chk_mfs {\n  script /bin/true\n}\n" + instanceConfig("    track_script {\n        chk_mf\n        other\n    }")
        let result = load(text)
        #expect(diagnostics(result) == [
            "t.conf:11:9: error: track_script 'chk_mf' names no vrrp_script; did you mean 'chk_mfs'? (keepalived ignores it)",
            "t.conf:12:9: error: track_script 'other' names no vrrp_script (keepalived ignores it)",
        ])
        #expect(result.configuration?.instances.first?.trackedScripts.isEmpty == true)
    }

    @Test func trackFileMustExist() {
        #expect(diagnostics(load(instanceConfig("    track_file {\n        nofile\n    }"))) == ["t.conf:8:9: error: track_file 'nofile' names no vrrp_track_file (keepalived ignores it)"])
    }

    @Test func syncGroupMembersMustExist() {
        let text = instanceConfig("", name: "VI_1", vrid: 1) + "vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}\n"
        let result = load(text)
        #expect(diagnostics(result) == [
            "t.conf:9:1: warning: sync group 'G' has only one instance ('VI_1'); a group of one synchronizes nothing",
            "t.conf:12:5: error: sync group 'G' member 'VI_2' names no vrrp_instance; did you mean 'VI_1'?",
        ])
        #expect(result.configuration?.syncGroups.first?.members == ["VI_1"])
    }

    @Test func syncGroupWithNoValidMemberIsRejected() {
        let result = load("vrrp_sync_group G {\n  group {\n    NOPE\n  }\n}\n")
        #expect(diagnostics(result) == [
            "t.conf:1:1: error: sync group 'G' has no instance that can run; it is ignored",
            "t.conf:3:5: error: sync group 'G' member 'NOPE' names no vrrp_instance",
        ])
    }

    @Test func instanceInTwoSyncGroups() {
        let text = instanceConfig("", name: "A", vrid: 1) + instanceConfig("", name: "B", vrid: 2)
            + "vrrp_sync_group G1 {\n  group {\n    A B\n  }\n}\nvrrp_sync_group G2 {\n  group {\n    A B\n  }\n}\n"
        #expect(diagnostics(load(text)) == [
            "t.conf:22:1: error: sync group 'G2' has no instance that can run; it is ignored",
            "t.conf:24:5: error: vrrp_instance 'A' is already in sync group 'G1'; an instance belongs to one group only",
            "t.conf:24:7: error: vrrp_instance 'B' is already in sync group 'G1'; an instance belongs to one group only",
        ])
    }

    @Test func rejectedMemberIsNamedAsSuch() {
        let text = instanceConfig("", name: "A", vrid: 1) + "vrrp_instance B {\n  interface eth0\n}\n"
            + "vrrp_sync_group G {\n  group {\n    A B\n  }\n}\n"
        #expect(diagnostics(load(text)).contains("t.conf:14:7: warning: sync group 'G' member 'B' has errors and does not run; the group runs without it"))
    }

    @Test func nopreemptNeedsStateBackup() {
        let result = load(instanceConfig("    state MASTER\n    nopreempt"))
        #expect(diagnostics(result) == ["t.conf:8:5: error: 'nopreempt' needs 'state BACKUP'; with state MASTER keepalived ignores it (preemption stays on)"])
        #expect(result.configuration?.instances.first?.preempt == true)
        #expect(diagnostics(load(instanceConfig("    state BACKUP\n    nopreempt"))) == [])
    }

    @Test func preemptDelayRange() {
        #expect(diagnostics(load(instanceConfig("    preempt_delay 1001"))) == ["t.conf:7:19: error: 'preempt_delay' must be from 0s to 1000s, not 1001"])
    }

    @Test func downTimerAdvertsRange() {
        #expect(diagnostics(load(instanceConfig("    down_timer_adverts 101"))) == ["t.conf:7:24: error: 'down_timer_adverts' must be from 1 to 100, not 101"])
    }

    @Test func trackInterfaceWeightRange() {
        #expect(diagnostics(load(instanceConfig("    track_interface {\n        eth1 weight 300\n    }"))) == ["t.conf:8:21: error: 'weight' must be from -254 to 254, not 300"])
    }

    @Test func peersAndSourcesMatchTheFamily() {
        let result = load(instanceConfig("    unicast_src_ip 2001:db8::2\n    unicast_peer {\n        2001:db8::3\n        192.0.2.3\n    }"))
        #expect(diagnostics(result) == [
            "t.conf:7:5: error: unicast_src_ip 2001:db8::2 is IPv6 but vrrp_instance 'VI_1' is IPv4; ignored",
            "t.conf:9:9: error: unicast_peer 2001:db8::3 is IPv6 but vrrp_instance 'VI_1' is IPv4; peer ignored",
        ])
        #expect(result.configuration?.instances.first?.unicastPeers.map(\.address) == [IPAddress("192.0.2.3")!])
    }

    @Test func strictModeRules() {
        let body = """
            state MASTER
            priority 200
            preempt_delay 5
            authentication {
                auth_type PASS
                auth_pass abc
            }
            unicast_peer {
                192.0.2.3
            }
        """
        let text = "global_defs {\n    vrrp_strict\n}\n" + instanceConfig(body)
        let result = load(text)
        #expect(diagnostics(result) == [
            "t.conf:10:5: error: strict mode allows 'state MASTER' only with priority 255 (the address owner); vrrp_instance 'VI_1' starts as BACKUP",
            "t.conf:12:5: error: strict mode forbids preempt_delay; ignored",
            "t.conf:13:5: error: strict mode forbids authentication; authentication ignored",
            "t.conf:17:5: error: strict mode forbids unicast_peer (RFC VRRP is multicast); vrrp_instance 'VI_1' uses multicast",
        ])
        let instance = result.configuration?.instances.first
        #expect(instance?.isStrict == true && instance?.initialState == .backup && instance?.unicastPeers.isEmpty == true)
    }

    @Test func strictModeNeedsAddressesAndV3ForIPv6() {
        #expect(diagnostics(load("vrrp_instance S {\n  interface eth0\n  virtual_router_id 5\n  strict_mode\n}\n")) == [
            "t.conf:1:1: error: strict mode needs at least one virtual_ipaddress in vrrp_instance 'S'",
        ])
        let v6 = "vrrp_instance V6 {\n  interface eth0\n  virtual_router_id 5\n  strict_mode\n  version 2\n  virtual_ipaddress {\n    2001:db8::10\n  }\n}\n"
        #expect(diagnostics(load(v6)) == ["t.conf:5:3: error: VRRPv2 cannot carry IPv6 addresses; vrrp_instance 'V6' uses VRRPv3 (vrrp_strict forbids version 2 with IPv6)"])
    }

    @Test func duplicateNames() {
        let text = "vrrp_script s {\n  script a\n}\nvrrp_script s {\n  script b\n}\n" + instanceConfig("", vrid: 1) + instanceConfig("", vrid: 2)
        let result = load(text)
        #expect(diagnostics(result) == [
            "t.conf:4:1: error: vrrp_script 's' is already defined at t.conf:1:1; this one is ignored",
            "t.conf:15:1: error: vrrp_instance 'VI_1' is already defined at t.conf:7:1; this one is ignored",
        ])
        #expect(result.configuration?.scripts.first?.command.arguments == ["a"])
    }

    @Test func duplicateVirtualServer() {
        let vs = "virtual_server 192.0.2.30 80 {\n  real_server 192.0.2.31 80 {\n  }\n}\n"
        #expect(diagnostics(load(vs + vs)) == ["t.conf:5:1: error: virtual_server 192.0.2.30 80 TCP is already defined at t.conf:1:1; this one is ignored"])
    }

    @Test func errorsInOneBlockDoNotHideTheNext() {
        let text = instanceConfig("    priority 0", name: "A", vrid: 1) + instanceConfig("    advert_int x", name: "B", vrid: 2)
        #expect(diagnostics(load(text)) == [
            "t.conf:7:14: error: 'priority' must be from 1 to 255, not 0",
            "t.conf:15:16: error: 'advert_int' needs a time in seconds (e.g. 2 or 0.5, at most 3 decimals), not 'x'",
        ])
    }

    @Test func diagnosticsAreSortedByFileThenPositionAndNotRepeated() {
        let files = ["a.conf": "vrrp_script s {\n  bogus 1\n}\n", "b.conf": "vrrp_script t {\n  script x\n  bogus 2\n}\n"]
        let result = load("include b.conf\ninclude a.conf\nzzz\n", files: files)
        #expect(diagnostics(result) == [
            "a.conf:1:1: error: vrrp_script 's' has no 'script' line; it is not used",
            "a.conf:2:3: warning: unknown keyword 'bogus' in vrrp_script, ignored",
            "b.conf:3:3: warning: unknown keyword 'bogus' in vrrp_script, ignored",
            "t.conf:3:1: warning: unknown keyword 'zzz' in the top level, ignored",
        ])
    }
}
