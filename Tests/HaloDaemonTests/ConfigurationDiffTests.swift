@testable import HaloDaemon
import HaloNet
import Testing
import VRRP

/// Which router groups a reload leaves alone, starts, stops, updates in place or restarts.
@Suite struct ConfigurationDiffTests {
    private func diff(_ old: String, _ new: String) throws -> ConfigurationDiff {
        ConfigurationDiff(from: try engineConfiguration(old), to: try engineConfiguration(new))
    }

    private let pair = instanceBlock("VI_1", vrid: 1) + instanceBlock("VI_2", vrid: 2)

    @Test func identicalConfigurationsChangeNothing() throws {
        let result = try diff(pair, pair)
        #expect(result.unchanged == ["VI_1", "VI_2"])
        #expect(result.added.isEmpty && result.removed.isEmpty && result.changed.isEmpty && result.needsRestart.isEmpty)
        #expect(result.summary == "reload: 2 unchanged, 0 added, 0 removed, 0 changed")
    }

    @Test func aPriorityChangeIsAppliedInPlaceAndTouchesOnlyItsGroup() throws {
        let result = try diff(pair, instanceBlock("VI_1", vrid: 1) + instanceBlock("VI_2", vrid: 2, priority: 150))
        #expect(result.unchanged == ["VI_1"])
        #expect(result.changed.map(\.name) == ["VI_2"])
        #expect(result.changed.first?.change == .inPlace(["(VI_2) priority 100 -> 150"]))
        #expect(result.summary == "reload: 1 unchanged, 0 added, 0 removed, 1 changed")
    }

    @Test func addedAndRemovedVirtualAddressesAreAppliedInPlace() throws {
        let new = instanceBlock("VI_1", vrid: 1) + """
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 2
                priority 100
                virtual_ipaddress {
                    192.0.2.20/24
                }
            }

            """
        let result = try diff(pair, new)
        #expect(result.changed.first?.change == .inPlace(["(VI_2) virtual addresses +192.0.2.20/24 -192.0.2.2/24"]))
    }

    @Test func advertIntervalPreemptionAndNotifyAreAppliedInPlace() throws {
        let new = instanceBlock("VI_1", vrid: 1)
            + instanceBlock("VI_2", vrid: 2, "    advert_int 2\n    nopreempt\n    state BACKUP\n    notify_master \"/bin/true\"")
        let change = try #require(try diff(pair, new).changed.first?.change)
        #expect(change == .inPlace(["(VI_2) advert_int 100 -> 200 cs", "(VI_2) preemption", "(VI_2) notify"]))
    }

    @Test func addedAndRemovedInstances() throws {
        let result = try diff(pair, instanceBlock("VI_1", vrid: 1) + instanceBlock("VI_3", vrid: 3))
        #expect(result.unchanged == ["VI_1"])
        #expect(result.added == ["VI_3"])
        #expect(result.removed == ["VI_2"])
        #expect(result.changed.isEmpty)
        #expect(result.summary == "reload: 1 unchanged, 1 added, 1 removed, 0 changed")
    }

    @Test(arguments: [
        ("virtual_router_id", instanceBlock("VI_2", vrid: 7), "virtual_router_id 2 -> 7"),
        ("interface", instanceBlock("VI_2", vrid: 2, interface: "eth1"), "interface eth0 -> eth1"),
        ("version", instanceBlock("VI_2", vrid: 2, "    version 3"), "VRRP version changed"),
        ("unicast", instanceBlock("VI_2", vrid: 2, "    unicast_peer {\n        192.0.2.200\n    }"), "unicast peers changed"),
        ("owner", instanceBlock("VI_2", vrid: 2, priority: 255), "address owner (priority 255) changed"),
    ])
    func wireIdentityChangesRestartTheGroup(_ what: String, _ block: String, _ reason: String) throws {
        let result = try diff(pair, instanceBlock("VI_1", vrid: 1) + block)
        #expect(result.changed.map(\.name) == ["VI_2"], "\(what)")
        #expect(result.changed.first?.change == .restart("(VI_2) \(reason)"), "\(what)")
        #expect(result.unchanged == ["VI_1"])
    }

    @Test func syncGroupMembershipChangeRestartsTheGroupButNotOthers() throws {
        let old = pair + instanceBlock("VI_3", vrid: 3) + """
            vrrp_sync_group G1 {
                group {
                    VI_1
                    VI_2
                }
            }

            """
        let new = pair + instanceBlock("VI_3", vrid: 3) + """
            vrrp_sync_group G1 {
                group {
                    VI_1
                    VI_2
                    VI_3
                }
            }

            """
        let result = try diff(old, new)
        #expect(result.changed.map(\.name) == ["G1"])
        #expect(result.changed.first?.change == .restart("members VI_1,VI_2 -> VI_1,VI_2,VI_3"))
        // VI_3 ran alone and now belongs to G1: the lone group goes away.
        #expect(result.removed == ["VI_3"])
        #expect(result.unchanged.isEmpty)
    }

    @Test func aChangedScriptChangesOnlyTheGroupsTrackingIt() throws {
        let script = { (interval: Int) in
            """
            vrrp_script chk {
                script "/bin/true"
                interval \(interval)
                weight -20
            }

            """
        }
        let instances = instanceBlock("VI_1", vrid: 1) + instanceBlock("VI_2", vrid: 2, "    track_script {\n        chk\n    }")
        let result = try diff(script(2) + instances, script(5) + instances)
        #expect(result.unchanged == ["VI_1"])
        #expect(result.changed.first?.name == "VI_2")
        #expect(result.changed.first?.change == .inPlace(["vrrp_script chk"]))
    }

    @Test func aNewResourceGroupRestartsTheGroupItFollows() throws {
        let resources = """
            resource_group web {
                follow VI_2
                resources {
                    exec:app start "/bin/true" stop "/bin/true" monitor "/bin/true"
                }
            }

            """
        let result = try diff(pair, pair + resources)
        #expect(result.unchanged == ["VI_1"])
        #expect(result.changed.first?.change == .restart("resource group web changed"))
    }

    @Test func settingsReadOnlyAtStartNeedARestart() throws {
        var old = try engineConfiguration(pair)
        var new = old
        new.hooks.fifoPath = "/run/halo.fifo"
        new.control.socketGroup = "operators"
        old.control.routerID = "a"
        new.control.routerID = "b"
        let result = ConfigurationDiff(from: old, to: new)
        #expect(result.needsRestart == ["notify_fifo", "control_socket_group"])
        #expect(result.unchanged == ["VI_1", "VI_2"])
    }

    @Test func reconfiguredRouterKeepsItsStateAndTimers() throws {
        let old = try instanceSpec("VI_2", in: try engineConfiguration(pair))
        var new = old
        new.basePriority = 150
        new.advertIntervalCentiseconds = 50
        let primary = IPAddress.v4(IPv4Address(192, 0, 2, 100))
        var router = VirtualRouter(configuration: old.routerConfiguration(primaryAddress: primary))
        _ = router.handle(.startup, at: VRRPInstant(nanoseconds: 0))
        _ = router.handle(.trackerWeightChanged(-20), at: VRRPInstant(nanoseconds: 1))
        let deadline = router.deadline(of: .masterDown)
        router.reconfigure(new.routerConfiguration(primaryAddress: primary))
        #expect(router.state == .backup)
        #expect(router.deadline(of: .masterDown) == deadline)
        #expect(router.effectivePriority == 130)
        #expect(router.configuration.advertIntervalCentiseconds == 50)
        #expect(router.masterAdvertInterval == .centiseconds(50))
    }

    @Test func reconfiguredSyncGroupMemberKeepsTheGroupsState() throws {
        let configuration = try engineConfiguration(pair)
        let primary = IPAddress.v4(IPv4Address(192, 0, 2, 100))
        let specs = configuration.instances
        var group = SyncGroup(members: specs.map { $0.routerConfiguration(primaryAddress: primary) })
        _ = group.handleForAll(.startup, at: VRRPInstant(nanoseconds: 0))
        let deadlines = group.members.map { $0.deadline(of: .masterDown) }
        var raised = specs[1]
        raised.basePriority = 200
        group.reconfigure(member: 1, raised.routerConfiguration(primaryAddress: primary))
        #expect(group.members.map(\.state) == [.backup, .backup])
        #expect(group.members.map { $0.deadline(of: .masterDown) } == deadlines)
        #expect(group.members.map(\.effectivePriority) == [100, 200])
        #expect(group.members[1].requiresGroupConsent, "still a sync group member")
    }
}
