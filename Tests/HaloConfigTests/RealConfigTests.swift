import HaloConfig
import HaloNet
import Testing

/// The three deployments from the issue (clean in conf.d/, broken in Fixtures/).
@Suite struct RealConfigTests {
    private func example(_ name: String) throws -> LoadResult {
        let path = Repository.root.appendingPathComponent("conf.d/\(name)").path
        return ConfigurationLoader.load(path: path, source: SystemFileSource())
    }

    @Test func everyExampleLoadsWithoutErrors() throws {
        #expect(Repository.exampleConfigs.count >= 3)
        for url in Repository.exampleConfigs {
            let result = ConfigurationLoader.load(path: url.path, source: SystemFileSource())
            #expect(result.errors.isEmpty, "\(url.lastPathComponent): \(result.errors)")
            #expect(ConfigTestStatus(result) == .clean, "\(url.lastPathComponent)")
            #expect(result.configuration?.instances.isEmpty == false)
        }
    }

    @Test func mooseFSPair() throws {
        let result = try example("moosefs-master-pair.conf")
        let configuration = try #require(result.configuration)
        #expect(configuration.globals.routerID == "MFS_MASTER_A")
        #expect(configuration.ignored.map(\.what) == ["notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout"])
        let script = try #require(configuration.script(named: "chk_mfsmaster"))
        #expect(script.command.arguments == ["/usr/bin/killall", "-0", "mfsmaster"] && script.interval == .seconds(2) && script.weight == 2)
        let instance = try #require(configuration.instances.first)
        #expect(instance.initialState == .master && instance.priority == 100 && instance.advertInterval == .seconds(1))
        #expect(instance.authentication?.password == "mfs1234")
        #expect(instance.trackedScripts.map(\.name) == ["chk_mfsmaster"])
        #expect(instance.virtualAddresses.map(\.description) == ["192.0.2.10/24 dev eth0"])
        #expect(instance.notify.master?.arguments == ["/etc/keepalived/scripts/arping_vip.sh", "192.0.2.10"])
    }

    @Test func dualMasterFrontPair() throws {
        let configuration = try #require(try example("dual-master-front.conf").configuration)
        #expect(configuration.instances.map(\.name) == ["VI_HAPROXY", "VI_NGINX"])
        #expect(configuration.instances.map(\.initialState) == [.master, .backup])
        #expect(configuration.instances[0].virtualAddresses[0].label == "eth0:0")
        #expect(configuration.instances[0].virtualAddresses[0].device == "eth0")
        #expect(configuration.instances[0].virtualAddresses[0].prefix == IPPrefix("192.0.2.20/24"))
        #expect(configuration.scripts.map(\.weight) == [-20, -20])
        #expect(configuration.scripts.map(\.fall) == [3, 2] && configuration.scripts.map(\.rise) == [2, 1])
        #expect(configuration.instances[1].notify.fault?.arguments == ["/etc/keepalived/scripts/notify.sh", "fault", "nginx"])
        // `vrrp_script chk_nginx` has its `{` on the next line.
        #expect(configuration.script(named: "chk_nginx")?.timeout == .seconds(1))
    }

    @Test func lvsMyCAT() throws {
        let result = try example("lvs-mycat.conf")
        let configuration = try #require(result.configuration)
        #expect(configuration.instances.first?.interface == "eno16777736")
        let server = try #require(configuration.virtualServers.first)
        #expect(server.scheduler == "rr" && server.forwardingMethod == .directRouting && server.persistenceTimeout == .seconds(50))
        #expect(server.realServers.map(\.port) == [8066, 8066])
        for real in server.realServers {
            guard case .tcp(let check)? = real.checks.first else { Issue.record("no TCP_CHECK"); continue }
            #expect(check.timing.connectTimeout == .seconds(3) && check.timing.retries == 3)
            #expect(check.timing.delayBeforeRetry == .seconds(3) && check.connectPort == 8066)
        }
    }

    @Test func brokenMooseFS() {
        let result = ConfigurationLoader.parse(Repository.fixture("moosefs-unclosed-and-typos.conf"), file: "m.conf")
        #expect(diagnostics(result) == [
            "m.conf:3:13: error: 'global_defs' block is never closed (missing '}')",
            "m.conf:4:5: warning: 'notification_email' is ignored: Halo does not send mail",
            "m.conf:24:19: error: 'auth_pass' is 10 bytes; VRRP carries at most 8 (keepalived silently truncates it to 'mfs12345')",
            "m.conf:27:9: error: track_script 'chk_mfsmastr' names no vrrp_script; did you mean 'chk_mfsmaster'? (keepalived ignores it)",
        ])
        #expect(result.configuration?.instances.count == 1)
        #expect(ConfigTestStatus(result) == .errorsButWouldRun)
    }

    @Test func brokenDualMaster() {
        let result = ConfigurationLoader.parse(Repository.fixture("dual-master-clash.conf"), file: "d.conf")
        #expect(diagnostics(result) == [
            "d.conf:16:5: error: 'nopreempt' needs 'state BACKUP'; with state MASTER keepalived ignores it (preemption stays on)",
            "d.conf:28:5: error: virtual_router_id 61 on eth0 (IPv4) is already used by vrrp_instance 'VI_HAPROXY' at d.conf:11:1; vrrp_instance 'VI_NGINX' ignored",
            "d.conf:30:5: error: advert_int 0.5s is not a whole number of seconds: VRRPv2 advertises whole seconds (keepalived rounds it to 1s with only a warning; use 'version 3' for sub-second adverts)",
        ])
        #expect(result.configuration?.instances.map(\.name) == ["VI_HAPROXY"])
    }

    @Test func brokenLVS() {
        let result = ConfigurationLoader.parse(Repository.fixture("lvs-mycat-broken.conf"), file: "l.conf")
        #expect(diagnostics(result) == [
            "l.conf:15:13: error: 'lb_kind' must be NAT, DR or TUN, not 'DRR'",
            "l.conf:16:17: error: 'real_server' needs an IPv4 or IPv6 address, not '192.0.2.310'",
            "l.conf:22:9: warning: unknown keyword 'TCP_CHEK' in real_server, ignored; did you mean 'TCP_CHECK'?",
            "l.conf:28:16: error: 'virtual_server 192.0.2.40' needs a port after the address",
        ])
        #expect(result.configuration?.virtualServers.first?.realServers.count == 1)
    }
}
