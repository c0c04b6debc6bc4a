import HaloConfig
import Testing

/// `resource_group`: every keyword, every rule, with the line each message points at.
@Suite struct ResourceGroupTests {
    /// The group text first (so its lines are 1...), then a valid VI_1.
    private func loadGroup(_ group: String, extra: String = "") -> LoadResult {
        load(group + "\n" + instanceConfig("") + extra)
    }

    /// `resource_group g { follow VI_1; resource a { RESOURCE LINES } EXTRA LINES }`, one
    /// statement per line: resource lines start at line 4 column 3, extra lines
    /// at line 5 + resource lines, column 2.
    private func groupText(_ resource: [String], _ extra: [String] = []) -> String {
        (["resource_group g {", " follow VI_1", " resource a {"] + resource.map { "  " + $0 } + [" }"]
            + extra.map { " " + $0 } + ["}"]).joined(separator: "\n")
    }

    private func decodedGroup(_ text: String) -> ResourceGroup? { loadGroup(text).configuration?.resourceGroups.first }

    @Test func everyKeyword() throws {
        let text = """
        resource_group storage {
            follow VI_1
            resource fs {
                agent ocf:heartbeat:Filesystem
                device /dev/drbd0
                directory /data
                options "rw,noatime"
            }
            resource web {
                agent lsb:nginx
            }
            resource app {
                agent exec
                start /usr/bin/app --start
                stop "/usr/bin/app" --stop
                monitor /usr/bin/app --check
            }
            monitor_interval 5
            monitor_timeout 2.5
            start_timeout 30
            stop_timeout 45
            migration_threshold 2
            failure_timeout 600
            stop_retries 1
            on_stop_failure fence /usr/sbin/fence-peer --hard
            vip_position after fs
        }
        """
        let result = loadGroup(text)
        #expect(diagnostics(result) == [])
        let group = try #require(result.configuration?.resourceGroups.first)
        #expect(group.name == "storage")
        #expect(group.follow == .instance("VI_1"))
        #expect(group.resources.map(\.name) == ["fs", "web", "app"])
        #expect(group.resources[0].agent == .ocf(provider: "heartbeat", type: "Filesystem"))
        #expect(group.resources[0].parameters == [
            ResourceParameter(name: "device", value: "/dev/drbd0"), ResourceParameter(name: "directory", value: "/data"),
            ResourceParameter(name: "options", value: "rw,noatime"),
        ])
        #expect(group.resources[1].agent == .lsb(script: "nginx"))
        #expect(group.resources[2].agent == .exec)
        #expect(group.resources[2].start?.arguments == ["/usr/bin/app", "--start"])
        #expect(group.resources[2].stop?.arguments == ["/usr/bin/app", "--stop"])
        #expect(group.resources[2].monitor?.arguments == ["/usr/bin/app", "--check"])
        #expect(group.monitorInterval == .seconds(5))
        #expect(group.monitorTimeout == Milliseconds(2500))
        #expect(group.startTimeout == .seconds(30))
        #expect(group.stopTimeout == .seconds(45))
        #expect(group.migrationThreshold == 2)
        #expect(group.failureTimeout == .seconds(600))
        #expect(group.stopRetries == 1)
        #expect(group.onStopFailure.description == "fence /usr/sbin/fence-peer --hard")
        #expect(group.vipPosition == .after("fs"))
    }

    @Test func defaults() throws {
        let group = try #require(decodedGroup("resource_group g {\n follow VI_1\n resource a {\n agent lsb:x\n }\n}"))
        #expect(group.monitorInterval == .seconds(10))
        #expect(group.monitorTimeout == .seconds(20))
        #expect(group.startTimeout == .seconds(60))
        #expect(group.stopTimeout == .seconds(120))
        #expect(group.migrationThreshold == 3)
        #expect(group.failureTimeout == Milliseconds(0))
        #expect(group.stopRetries == 2)
        #expect(group.onStopFailure == .block)
        #expect(group.vipPosition == .first)
    }

    @Test func followGroup() throws {
        let sync = "vrrp_sync_group SG {\n group { VI_1 }\n}\n"
        let result = loadGroup("resource_group g {\n follow_group SG\n resource a {\n agent lsb:x\n }\n}", extra: sync)
        #expect(diagnostics(result) == ["t.conf:15:1: warning: sync group 'SG' has only one instance ('VI_1'); a group of one synchronizes nothing"])
        #expect(result.configuration?.resourceGroups.first?.follow == .syncGroup("SG"))
    }

    @Test func followingASyncGroupMemberIsAnError() {
        let sync = "vrrp_sync_group SG {\n group { VI_1 }\n}\n"
        let result = loadGroup(groupText(["agent lsb:x"]), extra: sync)
        #expect(diagnostics(result) == [
            "t.conf:2:2: error: vrrp_instance 'VI_1' belongs to vrrp_sync_group 'SG'; use 'follow_group SG'",
            "t.conf:15:1: warning: sync group 'SG' has only one instance ('VI_1'); a group of one synchronizes nothing",
        ])
        #expect(result.configuration?.resourceGroups.isEmpty == true)
    }

    @Test(arguments: [
        ("follow VI_9", "t.conf:2:2: error: resource_group 'g' follows unknown vrrp_instance 'VI_9'"),
        ("follow_group SG9", "t.conf:2:2: error: resource_group 'g' follows unknown vrrp_sync_group 'SG9'"),
        ("", "t.conf:1:1: error: resource_group 'g' has no 'follow VRRP_INSTANCE' or 'follow_group SYNC_GROUP'; it would never start"),
    ])
    func unusableFollowRejectsTheGroup(line: String, message: String) {
        let result = loadGroup("resource_group g {\n \(line)\n resource a {\n agent lsb:x\n }\n}")
        #expect(diagnostics(result) == [message])
        #expect(result.configuration?.resourceGroups.isEmpty == true)
        #expect(result.configuration?.rejected.map(\.what) == ["resource_group g"])
        #expect(ConfigTestStatus(result) == .errorsButWouldRun)
    }

    @Test func duplicateGroupNameAndSecondFollower() {
        let result = loadGroup("""
        resource_group g {
         follow VI_1
         resource a {
          agent lsb:x
         }
        }
        resource_group g {
         follow VI_1
        }
        resource_group h {
         follow VI_1
         resource b {
          agent lsb:x
         }
        }
        """)
        #expect(diagnostics(result) == [
            "t.conf:7:1: error: resource_group 'g' is already defined at t.conf:1:1; this one is ignored",
            "t.conf:11:2: error: vrrp_instance VI_1 is already followed by resource_group 'g'; put the resources in one group",
        ])
        #expect(result.configuration?.resourceGroups.map(\.name) == ["g"])
    }

    @Test func duplicateResourceName() {
        let result = loadGroup("resource_group g {\n follow VI_1\n resource a {\n agent lsb:x\n }\n resource a { agent lsb:y }\n}")
        #expect(diagnostics(result) == ["t.conf:6:2: error: resource 'a' is already in resource_group 'g' (line 3)"])
        #expect(result.configuration?.resourceGroups.isEmpty == true)
    }

    @Test func emptyGroupIsAWarning() {
        let result = loadGroup("resource_group g {\n follow VI_1\n}")
        #expect(diagnostics(result) == ["t.conf:1:1: warning: resource_group 'g' has no resources"])
        #expect(result.configuration?.resourceGroups.count == 1)
    }

    @Test(arguments: [
        ("agent ocf:heartbeat", "t.conf:4:9: error: 'agent' needs ocf:PROVIDER:TYPE, lsb:SCRIPT, heartbeat:SCRIPT, systemd:UNIT, builtin:NAME or exec, not 'ocf:heartbeat'"),
        ("agent lsb:../x", "t.conf:4:9: error: 'agent' needs ocf:PROVIDER:TYPE, lsb:SCRIPT, heartbeat:SCRIPT, systemd:UNIT, builtin:NAME or exec, not 'lsb:../x'"),
        ("agent upstart:x", "t.conf:4:9: error: 'agent' needs ocf:PROVIDER:TYPE, lsb:SCRIPT, heartbeat:SCRIPT, systemd:UNIT, builtin:NAME or exec, not 'upstart:x'"),
    ])
    func badAgentSpelling(line: String, message: String) {
        let result = loadGroup(groupText([line]))
        #expect(diagnostics(result) == ["t.conf:3:2: error: resource 'a' has no 'agent' (ocf:PROVIDER:TYPE, lsb:SCRIPT, heartbeat:SCRIPT, systemd:UNIT, builtin:NAME or exec)", message])
        #expect(result.configuration?.resourceGroups.isEmpty == true)
    }

    @Test func execNeedsStartAndStopAndWarnsWithoutMonitor() {
        let noStop = loadGroup(groupText(["agent exec", "start /bin/true"]))
        #expect(diagnostics(noStop) == ["t.conf:3:2: error: resource 'a' (agent exec) needs a 'stop' command"])
        let noMonitor = loadGroup(groupText(["agent exec", "start /bin/true", "stop /bin/true", "x 1"]))
        #expect(diagnostics(noMonitor) == [
            "t.conf:3:2: warning: resource 'a' (agent exec) has no 'monitor' command: it is never probed or monitored",
            "t.conf:3:2: warning: resource 'a': parameter 'x' means nothing to an exec agent; ignored",
        ])
        #expect(noMonitor.configuration?.resourceGroups.count == 1)
    }

    @Test func commandsOnAScriptAgentAreIgnored() {
        let result = loadGroup(groupText(["agent lsb:x", "start /bin/true"]))
        #expect(diagnostics(result) == ["t.conf:5:9: warning: 'start' is only for agent exec; lsb:x has its own, ignored"])
    }

    @Test(arguments: [
        ("bad-name 1", "t.conf:5:3: error: resource parameter 'bad-name' must be letters, digits and '_' (it becomes an environment variable)"),
        ("param", "t.conf:5:3: error: resource parameter 'param' needs a value"),
    ])
    func badParameter(line: String, message: String) {
        #expect(diagnostics(loadGroup(groupText(["agent lsb:x", line]))) == [message])
    }

    @Test(arguments: [
        ("vip_position after zz", "t.conf:6:2: error: 'vip_position after zz': resource_group 'g' has no resource 'zz'"),
        ("vip_position middle", "t.conf:6:15: error: 'vip_position' takes first, last or after RESOURCE, not 'middle'"),
        ("vip_position after", "t.conf:6:15: error: 'vip_position after' needs a resource name"),
        ("on_stop_failure reboot", "t.conf:6:18: error: 'on_stop_failure' takes block or fence COMMAND, not 'reboot'"),
        ("on_stop_failure fence", "t.conf:6:18: error: 'on_stop_failure fence' needs the fencing command"),
        ("migration_threshold 0", "t.conf:6:22: error: 'migration_threshold' must be from 1 to 1000000, not 0"),
        ("monitor_interval 0.05", "t.conf:6:19: error: 'monitor_interval' must be from 0.1s to 86400s, not 0.05"),
        ("stop_retries 101", "t.conf:6:15: error: 'stop_retries' must be from 0 to 100, not 101"),
        ("start_timeout soon", "t.conf:6:16: error: 'start_timeout' needs a time in seconds (e.g. 2 or 0.5, at most 3 decimals), not 'soon'"),
        ("monitr_interval 5", "t.conf:6:2: warning: unknown keyword 'monitr_interval' in resource_group, ignored; did you mean 'monitor_interval'?"),
    ])
    func groupKeywordErrors(line: String, message: String) {
        let result = loadGroup(groupText(["agent lsb:x"], [line]))
        #expect(diagnostics(result) == [message])
    }

    @Test func vipPositionsFirstAndLast() {
        #expect(decodedGroup("resource_group g {\n follow VI_1\n resource a {\n agent lsb:x\n }\n vip_position last\n}")?.vipPosition == .last)
        #expect(decodedGroup("resource_group g {\n follow VI_1\n resource a {\n agent lsb:x\n }\n vip_position first\n}")?.vipPosition == .first)
    }

    @Test func agentKindPaths() {
        #expect(ResourceAgentKind("ocf:heartbeat:anything")?.scriptPath == "/usr/lib/ocf/resource.d/heartbeat/anything")
        #expect(ResourceAgentKind("lsb:nginx")?.scriptPath == "/etc/init.d/nginx")
        #expect(ResourceAgentKind("exec")?.scriptPath == nil)
        #expect(ResourceAgentKind("exec:x") == nil)
    }

    @Test func missingAgentIsAWarningOnlyWhereFilesAreChecked() throws {
        let result = loadGroup("resource_group g {\n follow VI_1\n resource a {\n agent ocf:acme:nothing\n }\n resource b {\n agent lsb:there\n }\n}")
        #expect(diagnostics(result) == [])
        let checked = result.addingMissingResourceAgents { $0 == "/etc/init.d/there" }
        #expect(diagnostics(checked) == [
            "t.conf:3:2: warning: resource 'a': agent ocf:acme:nothing not found (/usr/lib/ocf/resource.d/acme/nothing); install it before this node becomes master",
        ])
        #expect(ConfigTestStatus(checked) == .clean)
    }

    @Test func configTestSummary() {
        let result = loadGroup("resource_group g {\n follow VI_1\n resource a {\n agent lsb:x\n }\n resource b {\n agent exec\n start /bin/true\n stop /bin/true\n monitor /bin/true\n }\n vip_position last\n failure_timeout 60\n}")
        let report = ConfigTestReport(path: "t.conf", result: result, kernelHasIPVS: false).render()
        #expect(report.contains("""
        Resource groups (1):
          g: follows vrrp_instance VI_1, starts a (lsb:x) -> b (exec), VIPs last, stops in reverse
            monitor every 10s (timeout 20s), start timeout 60s, stop timeout 120s (2 retries, then block)
            3 monitor failures restarted in place within 60s, then fail over

        """))
    }
}
