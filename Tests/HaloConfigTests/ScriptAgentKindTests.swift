import HaloConfig
import Testing

/// `heartbeat:SCRIPT` and `systemd:UNIT` in a resource_group: spelling, lookup
/// places, and the parameters each accepts.
@Suite struct ScriptAgentKindTests {
    @Test func spellingsAndLookupPlaces() {
        #expect(ResourceAgentKind("heartbeat:drbddisk") == .heartbeat(script: "drbddisk"))
        #expect(ResourceAgentKind("heartbeat:drbddisk")?.scriptCandidates == ["/etc/ha.d/resource.d/drbddisk", "/etc/init.d/drbddisk"])
        #expect(ResourceAgentKind("heartbeat:/opt/ha/svc")?.scriptCandidates == ["/opt/ha/svc"])
        #expect(ResourceAgentKind("heartbeat:../svc") == nil)
        #expect(ResourceAgentKind("heartbeat:") == nil)
        #expect(ResourceAgentKind("systemd:nginx.service") == .systemd(unit: "nginx.service"))
        #expect(ResourceAgentKind("systemd:nginx.service")?.scriptCandidates == [])
        #expect(ResourceAgentKind("systemd:a/b") == nil)
        #expect(ResourceAgentKind("systemd:x")?.description == "systemd:x")
    }

    private func group(_ lines: [String]) -> LoadResult {
        load((["resource_group g {", " follow VI_1", " resource r {"] + lines.map { "  " + $0 } + [" }", "}"]).joined(separator: "\n")
             + "\n" + instanceConfig(""))
    }

    @Test func heartbeatTakesArgsAndSystemdTakesNothing() throws {
        let heartbeat = group(["agent heartbeat:mysql", "args --port 3307", "port 3307"])
        #expect(diagnostics(heartbeat) == ["t.conf:3:2: warning: resource 'r': heartbeat:mysql takes only 'args ARGUMENT...'; 'port' is ignored"])
        let resource = try #require(heartbeat.configuration?.resourceGroups.first?.resources.first)
        #expect(resource.parameters.first == ResourceParameter(name: "args", value: "--port 3307"))

        let systemd = group(["agent systemd:nginx.service", "args x"])
        #expect(diagnostics(systemd) == ["t.conf:3:2: warning: resource 'r': systemd:nginx.service takes no parameters; 'args' is ignored"])
        #expect(systemd.configuration?.resourceGroups.count == 1)
    }

    @Test func missingHeartbeatScriptNamesBothPlaces() {
        let result = group(["agent heartbeat:svc"]).addingMissingResourceAgents { $0 == "/nowhere" }
        #expect(diagnostics(result) == ["t.conf:3:2: warning: resource 'r': agent heartbeat:svc not found (/etc/ha.d/resource.d/svc or /etc/init.d/svc); install it before this node becomes master"])
        #expect(group(["agent heartbeat:svc"]).addingMissingResourceAgents { $0 == "/etc/init.d/svc" }.warnings.isEmpty)
    }
}
