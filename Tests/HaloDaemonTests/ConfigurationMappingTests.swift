import HaloConfig
@testable import HaloDaemon
import HaloNet
import Testing
import VRRP

/// keepalived.conf keywords as the engine receives them (HaloConfig → InstanceSpec).
@Suite struct ConfigurationMappingTests {
    @Test func advertIntervalBecomesCentiseconds() throws {
        let configuration = try engineConfiguration(
            instanceBlock("VI_1", vrid: 1, "    version 3\n    advert_int 0.5") + instanceBlock("VI_2", vrid: 2, "    advert_int 3")
                + instanceBlock("VI_3", vrid: 3))
        #expect(try instanceSpec("VI_1", in: configuration).advertIntervalCentiseconds == 50)
        #expect(try instanceSpec("VI_1", in: configuration).version == .v3)
        #expect(try instanceSpec("VI_2", in: configuration).advertIntervalCentiseconds == 300)
        #expect(try instanceSpec("VI_3", in: configuration).advertIntervalCentiseconds == 100)
    }

    @Test func passwordAuthenticationIsTheEightBytePaddedField() throws {
        let spec = try instanceSpec("VI_1", in: try engineConfiguration(instanceBlock("VI_1", vrid: 1, """
                authentication {
                    auth_type PASS
                    auth_pass secret
                }
            """)))
        #expect(spec.authentication == .password(Array("secret".utf8) + [0, 0]))
        #expect(try instanceSpec("VI_1", in: try engineConfiguration(instanceBlock("VI_1", vrid: 1))).authentication == Authentication.none)
    }

    @Test func unicastPeersMeanUnicastWithTheSourceChecked() throws {
        let spec = try instanceSpec("VI_1", in: try engineConfiguration(instanceBlock("VI_1", vrid: 1, """
                unicast_src_ip 192.0.2.1
                unicast_peer {
                    192.0.2.2
                    192.0.2.3
                }
            """)))
        let peers: [IPAddress] = [.v4(IPv4Address(192, 0, 2, 2)), .v4(IPv4Address(192, 0, 2, 3))]
        #expect(spec.unicastPeers == peers)
        #expect(spec.sourceAddress == .v4(IPv4Address(192, 0, 2, 1)))
        #expect(spec.checkUnicastSource)
        #expect(spec.receiveExpectation().delivery == .unicast(peers: Set(peers), checkSource: true))
    }

    @Test func withoutPeersItIsMulticastToTheGroup() throws {
        let spec = try instanceSpec("VI_1", in: try engineConfiguration(instanceBlock("VI_1", vrid: 1)))
        #expect(spec.unicastPeers == nil)
        #expect(spec.group == .v4(IPv4Address(224, 0, 0, 18)))
        #expect(spec.receiveExpectation().delivery == .multicast)
    }

    @Test func instanceGarpSettingsOverrideTheGlobalOnes() throws {
        let configuration = try engineConfiguration("""
            global_defs {
                vrrp_garp_master_delay 10
                vrrp_garp_master_repeat 2
                vrrp_garp_master_refresh 60
            }

            """ + instanceBlock("VI_1", vrid: 1, "    garp_master_delay 1\n    garp_master_refresh_repeat 3")
            + instanceBlock("VI_2", vrid: 2))
        let overridden = try instanceSpec("VI_1", in: configuration).announcements
        #expect(overridden.masterDelayMilliseconds == 1_000)
        #expect(overridden.masterRepeat == 2)
        #expect(overridden.refreshMilliseconds == 60_000)
        #expect(overridden.refreshRepeat == 3)
        let global = try instanceSpec("VI_2", in: configuration).announcements
        #expect(global.masterDelayMilliseconds == 10_000)
        #expect(global.masterRepeat == 2)
        #expect(global.refreshRepeat == 1)
        // Untouched: keepalived's defaults.
        let plain = try instanceSpec("VI_1", in: try engineConfiguration(instanceBlock("VI_1", vrid: 1))).announcements
        #expect(plain == AnnouncementSettings())
    }

    @Test func trackInterfaceKeepsEachWeight() throws {
        let spec = try instanceSpec("VI_1", in: try engineConfiguration(instanceBlock("VI_1", vrid: 1, """
                track_interface {
                    eth1
                    eth2 weight -10
                    eth3 weight 15
                }
                dont_track_primary
            """)))
        #expect(spec.trackedInterfaces == [TrackedLink(name: "eth1"), TrackedLink(name: "eth2", weight: -10), TrackedLink(name: "eth3", weight: 15)])
        #expect(spec.dontTrackPrimary)
    }

    @Test func excludedAddressesKeepDeviceLabelScopeAndBroadcast() throws {
        let spec = try instanceSpec("VI_1", in: try engineConfiguration(instanceBlock("VI_1", vrid: 1, """
                virtual_ipaddress_excluded {
                    198.51.100.5/24 dev eth1 brd 198.51.100.255 scope link label eth1:vip
                    2001:db8::5/64 dev eth1 scope global
                    203.0.113.9
                }
            """)))
        let prefix = try #require(IPPrefix("198.51.100.5/24"))
        #expect(spec.excludedAddresses.first == VirtualAddressSpec(
            prefix: prefix, device: "eth1", broadcast: IPv4Address(198, 51, 100, 255), scope: 253, label: "eth1:vip"))
        #expect(spec.excludedAddresses.dropFirst().first?.scope == 0)
        #expect(spec.excludedAddresses.last?.device == nil)
        // Put on the node, never advertised.
        #expect(spec.allAddresses.count == 4)
        #expect(spec.routerConfiguration(primaryAddress: .v4(IPv4Address(192, 0, 2, 1))).virtualAddresses == [.v4(IPv4Address(192, 0, 2, 1))])
    }

    @Test func scopeNamesAreTheKernelsNumbers() {
        #expect(["global", "site", "link", "host", "nowhere", "42", "bogus"].map(VirtualAddressSpec.scopeNumber)
            == [0, 200, 253, 254, 255, 42, nil])
    }

    @Test func scriptSettingsAndTheDefaultUser() throws {
        let configuration = try engineConfiguration("""
            global_defs {
                script_user nobody nogroup
            }
            vrrp_script chk {
                script "/usr/local/bin/check --port 80"
                interval 2
                timeout 5
                weight -30 reverse
                rise 3
                fall 4
                init_fail
            }
            vrrp_script chk_own_user {
                script /bin/true
                user daemon
            }

            """ + instanceBlock("VI_1", vrid: 1, "    track_script {\n        chk\n        chk_own_user\n    }"))
        let script = try #require(configuration.scripts.first { $0.name == "chk" })
        #expect(script == ScriptSpec(name: "chk", arguments: ["/usr/local/bin/check", "--port", "80"],
                                     intervalNanoseconds: 2_000_000_000, timeoutNanoseconds: 5_000_000_000,
                                     weight: -30, weightReversed: true, rise: 3, fall: 4,
                                     user: ScriptUser(user: "nobody", group: "nogroup"), initiallyFailed: true))
        #expect(configuration.scripts.first { $0.name == "chk_own_user" }?.user == ScriptUser(user: "daemon"))
        // timeout defaults to the interval.
        #expect(configuration.scripts.first { $0.name == "chk_own_user" }?.timeoutNanoseconds == 1_000_000_000)
        #expect(configuration.hooks.scriptUser == ScriptUser(user: "nobody", group: "nogroup"))
    }
}
