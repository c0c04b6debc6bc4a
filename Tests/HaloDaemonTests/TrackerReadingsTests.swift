import HaloConfig
@testable import HaloDaemon
import HaloNet
import Testing
import VRRP

/// Weight and fault of a whole instance from its trackers' readings, and the
/// effective priority the router makes of it.
@Suite struct TrackerReadingsTests {
    static let scripts = """
        vrrp_script chk_up {
            script "/bin/true"
            weight 10
        }
        vrrp_script chk_down {
            script "/bin/false"
            weight -20
        }
        vrrp_script chk_fatal {
            script "/bin/false"
            weight 0
        }
        vrrp_track_file flag {
            file /run/halo-flag
            weight 5
        }
        vrrp_track_file stop {
            file /run/halo-stop
            weight 0
        }

        """

    /// The effective priority a router reaches from `base` and this tracker weight.
    private func effectivePriority(base: UInt8, trackerWeight: Int) -> UInt8 {
        let spec = InstanceSpec(name: "VI_1", interface: "eth0", virtualRouterID: 1, basePriority: base,
                                virtualAddresses: [])
        var router = VirtualRouter(configuration: spec.routerConfiguration(primaryAddress: .v4(IPv4Address(192, 0, 2, 1))))
        _ = router.handle(.trackerWeightChanged(trackerWeight), at: VRRPInstant(nanoseconds: 0))
        return router.effectivePriority
    }

    @Test func scriptsFilesAndLinksAddUp() throws {
        let configuration = try engineConfiguration(Self.scripts + instanceBlock("VI_1", vrid: 1, """
                track_script {
                    chk_up
                    chk_down
                }
                track_file {
                    flag
                }
                track_interface {
                    eth1 weight 7
                    eth2 weight -3
                }
            """))
        let spec = try instanceSpec("VI_1", in: configuration)
        var readings = TrackerReadings(scriptStatuses: ["chk_up": .up, "chk_down": .up], fileValues: ["flag": 2])
        // +10 (chk_up up) + 0 (chk_down up) + 2 × 5 (flag) + 7 (eth1 up) + 0 (eth2 up)
        #expect(spec.trackerWeight(readings) == 27)
        readings.scriptStatuses = ["chk_up": .down, "chk_down": .down]
        readings.linksDown = ["eth1", "eth2"]
        // 0 + (−20) + 10 + 0 + (−3)
        #expect(spec.trackerWeight(readings) == -13)
        #expect(!spec.trackerFault(readings))
    }

    @Test func reversedInterfaceWeightsApplyInTheOppositeLinkState() throws {
        let configuration = try engineConfiguration(instanceBlock("VI_1", vrid: 1, """
                track_interface {
                    eth1 weight 7 reverse
                    eth2 weight -3 reverse
                }
            """))
        let spec = try instanceSpec("VI_1", in: configuration)
        // Both up: eth2's −3 applies (reversed: "while up"), eth1's +7 does not.
        #expect(spec.trackerWeight(TrackerReadings()) == -3)
        // Both down: eth1's +7 applies, eth2's does not; a weighted link never faults.
        let down = TrackerReadings(linksDown: ["eth1", "eth2"])
        #expect(spec.trackerWeight(down) == 7)
        #expect(!spec.trackerFault(down))
    }

    @Test func scriptsWithoutAResultAndUnreadFilesAddNothing() throws {
        let configuration = try engineConfiguration(Self.scripts + instanceBlock("VI_1", vrid: 1, """
                track_script {
                    chk_up
                    chk_down
                    chk_fatal
                }
                track_file {
                    flag
                    stop
                }
            """))
        let spec = try instanceSpec("VI_1", in: configuration)
        #expect(spec.trackerWeight(TrackerReadings()) == 0)
        #expect(!spec.trackerFault(TrackerReadings()))
    }

    @Test func weightZeroTrackersFault() throws {
        let configuration = try engineConfiguration(Self.scripts + instanceBlock("VI_1", vrid: 1, """
                track_script {
                    chk_fatal
                }
                track_file {
                    stop
                }
                track_interface {
                    eth1
                }
            """))
        let spec = try instanceSpec("VI_1", in: configuration)
        #expect(!spec.trackerFault(TrackerReadings(scriptStatuses: ["chk_fatal": .up])))
        #expect(spec.trackerFault(TrackerReadings(scriptStatuses: ["chk_fatal": .down])))
        #expect(spec.trackerFault(TrackerReadings(scriptStatuses: ["chk_fatal": .up], fileValues: ["stop": 3])))
        #expect(spec.trackerFault(TrackerReadings(linksDown: ["eth1"], scriptStatuses: ["chk_fatal": .up])))
        // The instance's own interface faults while down, unless dont_track_primary.
        #expect(spec.trackerFault(TrackerReadings(linksDown: ["eth0"])))
        var untracked = spec
        untracked.dontTrackPrimary = true
        #expect(!untracked.trackerFault(TrackerReadings(linksDown: ["eth0"])))
    }

    @Test func theInstanceLineOverridesTheScriptsWeight() throws {
        let configuration = try engineConfiguration(Self.scripts
            + instanceBlock("VI_1", vrid: 1, "    track_script {\n        chk_down weight -50\n        chk_up\n    }")
            + instanceBlock("VI_2", vrid: 2, "    track_script {\n        chk_down\n        chk_up weight 0\n    }"))
        let first = try instanceSpec("VI_1", in: configuration)
        let second = try instanceSpec("VI_2", in: configuration)
        #expect(first.trackedScripts == [TrackerReference(name: "chk_down", weight: -50), TrackerReference(name: "chk_up", weight: 10)])
        #expect(second.trackedScripts == [TrackerReference(name: "chk_down", weight: -20), TrackerReference(name: "chk_up", weight: 0)])
        let readings = TrackerReadings(scriptStatuses: ["chk_down": .down, "chk_up": .down])
        #expect(first.trackerWeight(readings) == -50)
        #expect(second.trackerWeight(readings) == -20)
        // The override of 0 turns chk_up into a fault for VI_2 only.
        #expect(!first.trackerFault(readings))
        #expect(second.trackerFault(readings))
    }

    @Test func aSyncGroupsTrackersApplyToEveryMember() throws {
        let configuration = try engineConfiguration(Self.scripts + """
            vrrp_sync_group G1 {
                group {
                    VI_1
                    VI_2
                }
                track_script {
                    chk_down
                }
                track_file {
                    flag
                }
                track_interface {
                    eth3 weight -4
                }
            }

            """ + instanceBlock("VI_1", vrid: 1, "    track_script {\n        chk_up\n    }") + instanceBlock("VI_2", vrid: 2)
            + instanceBlock("VI_3", vrid: 3))
        let readings = TrackerReadings(linksDown: ["eth3"], scriptStatuses: ["chk_up": .up, "chk_down": .down], fileValues: ["flag": 1])
        // VI_1: own chk_up +10, group's chk_down −20, flag +5, eth3 −4.
        #expect(try instanceSpec("VI_1", in: configuration).trackerWeight(readings) == -9)
        #expect(try instanceSpec("VI_2", in: configuration).trackerWeight(readings) == -19)
        // VI_3 is in no group: nothing tracked.
        let outside = try instanceSpec("VI_3", in: configuration)
        #expect(outside.trackedScripts.isEmpty && outside.trackedFiles.isEmpty && outside.trackedInterfaces.isEmpty)
        #expect(outside.trackerWeight(readings) == 0)
    }

    @Test func onlyTrackedScriptsAndFilesRun() throws {
        let configuration = try engineConfiguration(Self.scripts + instanceBlock("VI_1", vrid: 1, """
                track_script {
                    chk_up
                }
                track_file {
                    flag
                }
            """))
        #expect(configuration.scripts.map(\.name) == ["chk_up"])
        #expect(configuration.trackFiles.map(\.name) == ["flag"])
    }

    @Test func theRouterClampsTheEffectivePriorityToOneThrough254() {
        #expect(effectivePriority(base: 100, trackerWeight: 27) == 127)
        #expect(effectivePriority(base: 250, trackerWeight: 10) == 254)
        #expect(effectivePriority(base: 5, trackerWeight: -20) == 1)
        #expect(effectivePriority(base: 100, trackerWeight: -100) == 1)
        #expect(effectivePriority(base: 254, trackerWeight: 253) == 254)
    }

    @Test func theAddressOwnerKeeps255WhateverTheWeight() {
        for weight in [-253, -1, 0, 1, 253] {
            #expect(effectivePriority(base: 255, trackerWeight: weight) == 255)
        }
    }
}
