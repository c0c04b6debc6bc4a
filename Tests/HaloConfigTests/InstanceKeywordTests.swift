import HaloConfig
import HaloNet
import Testing

@Suite struct InstanceKeywordTests {
    @Test func everyInstanceKeywordReachesTheModel() throws {
        let text = "vrrp_script chk {\n  script /bin/true\n}\nvrrp_track_file tf {\n  file /run/x\n}\n" + """
        vrrp_instance VI_1 {
            state BACKUP
            interface eth0
            virtual_router_id 51
            priority 90
            advert_int 2
            version 2
            nopreempt
            preempt_delay 30
            authentication {
                auth_type PASS
                auth_pass secret
            }
            virtual_ipaddress {
                192.0.2.10/24 dev eth0 label eth0:0 scope global brd 192.0.2.255
                192.0.2.11 no_track
            }
            virtual_ipaddress_excluded {
                192.0.2.50/24 dev eth1
            }
            virtual_routes {
                198.51.100.0/24 via 192.0.2.1 dev eth0 table 10 metric 5
                src 192.0.2.10 to 203.0.113.0/24 via 192.0.2.254
                blackhole 203.0.113.128/25
            }
            unicast_src_ip 192.0.2.2
            unicast_peer {
                192.0.2.3
                192.0.2.4 min_ttl 250
            }
            mcast_src_ip 192.0.2.2
            track_interface {
                eth0
                eth1 weight -30
            }
            track_script {
                chk weight -5
            }
            track_file {
                tf weight 2 reverse
            }
            notify "/etc/halo/notify.sh generic"
            notify_master "/etc/halo/notify.sh master 'a b'"
            notify_backup /etc/halo/notify.sh backup
            notify_fault /etc/halo/notify.sh fault
            notify_stop /etc/halo/notify.sh stop
            garp_master_delay 2
            garp_master_repeat 4
            garp_master_refresh 30
            garp_master_refresh_repeat 2
            garp_lower_prio_delay 1
            garp_lower_prio_repeat 3
            no_accept
            strict_mode false
            use_vmac vrrp51
            dont_track_primary
            down_timer_adverts 5
        }
        """
        let result = load(text)
        #expect(diagnostics(result) == [])
        let instance = try #require(result.configuration?.instances.first)
        #expect(instance.name == "VI_1" && instance.initialState == .backup && instance.interface == "eth0")
        #expect(instance.virtualRouterID == 51 && instance.priority == 90)
        #expect(instance.advertInterval == .seconds(2) && instance.configuredVersion == .v2 && instance.version == .v2)
        #expect(!instance.preempt && instance.preemptDelay == .seconds(30))
        #expect(instance.authentication?.kind == .password && instance.authentication?.password == "secret")
        #expect(instance.virtualAddresses.count == 2)
        let vip = instance.virtualAddresses[0]
        #expect(vip.prefix == IPPrefix("192.0.2.10/24") && vip.device == "eth0" && vip.label == "eth0:0")
        #expect(vip.scope == "global" && vip.broadcast == IPv4Address(192, 0, 2, 255) && !vip.noTrack)
        #expect(instance.virtualAddresses[1].prefix == IPPrefix("192.0.2.11/32") && instance.virtualAddresses[1].noTrack)
        #expect(instance.excludedVirtualAddresses.map(\.description) == ["192.0.2.50/24 dev eth1"])
        #expect(instance.virtualRoutes.count == 3)
        #expect(instance.virtualRoutes[0].destination == IPPrefix("198.51.100.0/24") && instance.virtualRoutes[0].gateway == IPAddress("192.0.2.1"))
        #expect(instance.virtualRoutes[0].device == "eth0" && instance.virtualRoutes[0].table == "10" && instance.virtualRoutes[0].metric == 5)
        #expect(instance.virtualRoutes[1].source == IPAddress("192.0.2.10") && instance.virtualRoutes[1].destination == IPPrefix("203.0.113.0/24"))
        #expect(instance.virtualRoutes[2].type == "blackhole")
        #expect(instance.unicastSource == IPAddress("192.0.2.2") && instance.multicastSource == IPAddress("192.0.2.2"))
        #expect(instance.unicastPeers.map(\.address) == [IPAddress("192.0.2.3")!, IPAddress("192.0.2.4")!])
        #expect(instance.trackedInterfaces.map(\.name) == ["eth0", "eth1"] && instance.trackedInterfaces.map(\.weight) == [0, -30])
        #expect(instance.trackedScripts.first?.name == "chk" && instance.trackedScripts.first?.weightOverride == -5)
        #expect(instance.trackedFiles.first?.name == "tf" && instance.trackedFiles.first?.weightReversed == true)
        #expect(instance.notify.generic?.arguments == ["/etc/halo/notify.sh", "generic"])
        #expect(instance.notify.master?.arguments == ["/etc/halo/notify.sh", "master", "a b"])
        #expect(instance.notify.backup?.arguments == ["/etc/halo/notify.sh", "backup"])
        #expect(instance.notify.fault?.arguments == ["/etc/halo/notify.sh", "fault"])
        #expect(instance.notify.stop?.arguments == ["/etc/halo/notify.sh", "stop"])
        let garp = instance.gratuitousARP
        #expect(garp.masterDelay == .seconds(2) && garp.masterRepeat == 4 && garp.masterRefresh == .seconds(30))
        #expect(garp.masterRefreshRepeat == 2 && garp.lowerPriorityDelay == .seconds(1) && garp.lowerPriorityRepeat == 3)
        #expect(instance.acceptMode == false && instance.strictMode == false && !instance.isStrict)
        #expect(instance.virtualMAC == VirtualMAC(interfaceName: "vrrp51"))
        #expect(instance.dontTrackPrimary && instance.downTimerAdverts == 5)
    }

    @Test func defaultsMatchKeepalived() throws {
        let instance = try #require(firstInstance(instanceConfig("")))
        #expect(instance.initialState == .backup && instance.priority == 100 && instance.advertInterval == .seconds(1))
        #expect(instance.version == .v2 && instance.preempt && instance.acceptMode == nil && instance.authentication == nil)
    }

    @Test func acceptAndUseVMACWithoutName() throws {
        let instance = try #require(firstInstance(instanceConfig("    accept\n    use_vmac")))
        #expect(instance.acceptMode == true && instance.virtualMAC == VirtualMAC(interfaceName: nil))
    }

    @Test func instanceGARPOverridesGlobals() throws {
        let text = "global_defs {\n  vrrp_garp_master_delay 9\n  vrrp_garp_master_repeat 7\n}\n" + instanceConfig("    garp_master_repeat 2")
        let configuration = config(text)
        let merged = configuration.instances[0].gratuitousARP.overriding(configuration.globals.gratuitousARP)
        #expect(merged.masterDelay == .seconds(9) && merged.masterRepeat == 2)
    }

    @Test func ipv6InstanceUsesVRRPv3() throws {
        let instance = try #require(firstInstance("vrrp_instance V6 {\n  interface eth0\n  virtual_router_id 5\n  advert_int 0.5\n  virtual_ipaddress {\n    2001:db8::10/64\n  }\n}\n"))
        #expect(instance.family == .ipv6 && instance.version == .v3 && instance.advertInterval == Milliseconds(500))
    }

    @Test func unsupportedInstanceKeywordAndMisspelling() {
        #expect(diagnostics(load(instanceConfig("    unicast_ttl 5\n    priorty 10"))) == [
            "t.conf:7:5: warning: 'unicast_ttl' is not supported by Halo, ignored",
            "t.conf:8:5: warning: unknown keyword 'priorty' in vrrp_instance, ignored; did you mean 'priority'?",
        ])
    }

    @Test func badAddressesAndOptions() {
        let text = "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 1\n  virtual_ipaddress {\n    192.0.2.300/24\n    192.0.2.1 lable x\n    192.0.2.2 dev\n  }\n}\n"
        #expect(diagnostics(load(text)) == [
            "t.conf:5:5: error: '192.0.2.300/24' is not an address: expected IP or IP/LEN (e.g. 192.0.2.10/24)",
            "t.conf:6:15: warning: unknown address option 'lable', ignored; did you mean 'label'?",
            "t.conf:6:21: warning: unknown address option 'x', ignored",
            "t.conf:7:15: error: 'dev' needs a value",
        ])
    }

    @Test func badStateAndBlockShapes() {
        #expect(diagnostics(load(instanceConfig("    state PRIMARY\n    priority {\n    }\n    track_script chk"))) == [
            "t.conf:7:11: error: 'state' must be MASTER or BACKUP, not 'PRIMARY'",
            "t.conf:8:5: error: 'priority' needs a value",
            "t.conf:8:14: error: 'priority' does not take a { } block; the block is ignored",
            "t.conf:10:5: error: 'track_script' needs a { } block",
            "t.conf:10:18: warning: unexpected 'chk' after 'track_script'; ignored",
        ])
    }
}

@Suite struct VirtualServerKeywordTests {
    @Test func everyVirtualServerKeyword() throws {
        let result = load("""
        virtual_server 192.0.2.30 80 {
            delay_loop 6
            lb_algo wlc
            lb_kind NAT
            persistence_timeout 50
            persistence_granularity 255.255.255.0
            protocol TCP
            real_server 192.0.2.31 8080 {
                weight 3
                inhibit_on_failure
                notify_up "/bin/up.sh 31"
                notify_down /bin/down.sh
                TCP_CHECK {
                    connect_timeout 3
                    retry 2
                    delay_before_retry 1
                    connect_port 8080
                    connect_ip 192.0.2.31
                    bindto 192.0.2.30
                }
                HTTP_GET {
                    url {
                        path /health
                        digest 0123456789abcdef
                        status_code 200
                    }
                    virtualhost www.example.com
                    connect_timeout 2
                }
                SSL_GET {
                    url {
                        path /
                    }
                }
                MISC_CHECK {
                    misc_path "/bin/check.sh 192.0.2.31"
                    misc_timeout 5
                    misc_dynamic
                    user nobody
                }
            }
            real_server 192.0.2.32 {
            }
        }
        """)
        #expect(diagnostics(result) == [])
        let server = try #require(result.configuration?.virtualServers.first)
        #expect(server.address == IPAddress("192.0.2.30") && server.port == 80 && server.delayLoop == .seconds(6))
        #expect(server.scheduler == "wlc" && server.forwardingMethod == .nat && server.persistenceTimeout == .seconds(50))
        #expect(server.persistenceNetmask == IPv4Address(255, 255, 255, 0) && server.transportProtocol == .tcp)
        #expect(server.realServers.count == 2 && server.realServers[1].port == 80)
        let real = server.realServers[0]
        #expect(real.port == 8080 && real.weight == 3 && real.inhibitOnFailure)
        #expect(real.notifyUp?.arguments == ["/bin/up.sh", "31"] && real.notifyDown?.arguments == ["/bin/down.sh"])
        #expect(real.checks.count == 4)
        guard case .tcp(let tcp) = real.checks[0], case .http(let http) = real.checks[1], case .http(let ssl) = real.checks[2],
              case .misc(let misc) = real.checks[3] else { Issue.record("check kinds \(real.checks)"); return }
        #expect(tcp.timing.connectTimeout == .seconds(3) && tcp.timing.retries == 2 && tcp.timing.delayBeforeRetry == .seconds(1))
        #expect(tcp.connectPort == 8080 && tcp.connectIP == IPAddress("192.0.2.31") && tcp.bindTo == IPAddress("192.0.2.30"))
        #expect(!http.tls && http.urls.first?.path == "/health" && http.urls.first?.statusCode == 200 && http.virtualHost == "www.example.com")
        #expect(http.urls.first?.digest == "0123456789abcdef")
        #expect(ssl.tls && ssl.urls.first?.path == "/")
        #expect(misc.command?.arguments == ["/bin/check.sh", "192.0.2.31"] && misc.timeout == .seconds(5) && misc.dynamicWeight)
        #expect(misc.user == ScriptUser(user: "nobody"))
    }

    @Test func keepalived1SpellingsAreReadWithAWarning() throws {
        let result = load("virtual_server 192.0.2.30 8066 {\n  nat_mask 255.255.255.0\n  lvs_sched rr\n  lvs_method DR\n  real_server 192.0.2.31 8066 {\n    TCP_CHECK {\n      nb_get_retry 3\n    }\n  }\n}\n")
        #expect(diagnostics(result) == [
            "t.conf:2:3: warning: 'nat_mask' is obsolete (keepalived 1.x; keepalived 2.2.7 reports it as unknown), ignored",
            "t.conf:7:7: warning: 'nb_get_retry' is the keepalived 1.x spelling of 'retry' (keepalived 2.2.7 reports it as unknown); read as 'retry'",
        ])
        let server = try #require(result.configuration?.virtualServers.first)
        #expect(server.scheduler == "rr" && server.forwardingMethod == .directRouting)
        guard case .tcp(let tcp) = server.realServers[0].checks[0] else { Issue.record("no TCP_CHECK"); return }
        #expect(tcp.timing.retries == 3)
    }

    @Test func badVirtualServerValues() {
        #expect(diagnostics(load("virtual_server 192.0.2.30 80 {\n  lb_algo fastest\n  lb_kind XX\n  protocol ICMP\n  real_server 2001:db8::1 80 {\n  }\n}\nvirtual_server 192.0.2.31 {\n}\n")) == [
            "t.conf:1:1: warning: virtual_server 192.0.2.30 80 has no real_server",
            "t.conf:2:11: error: unknown IPVS scheduler 'fastest' (expected one of dh, fo, lblc, lblcr, lc, mh, nq, ovf, rr, sed, sh, twos, wlc, wrr)",
            "t.conf:3:11: error: 'lb_kind' must be NAT, DR or TUN, not 'XX'",
            "t.conf:4:12: error: 'protocol' must be TCP, UDP or SCTP, not 'ICMP'",
            "t.conf:5:15: error: real_server 2001:db8::1 is IPv6 but virtual_server 192.0.2.30 is IPv4",
            "t.conf:8:16: error: 'virtual_server 192.0.2.31' needs a port after the address",
        ])
    }

    @Test func fwmarkAndGroupFormsAreIgnored() {
        let result = load("virtual_server fwmark 1 {\n}\n")
        #expect(diagnostics(result) == ["t.conf:1:1: warning: 'virtual_server fwmark' is not supported by Halo, ignored"])
        #expect(result.configuration?.ignored.map(\.what) == ["virtual_server fwmark"])
    }
}
