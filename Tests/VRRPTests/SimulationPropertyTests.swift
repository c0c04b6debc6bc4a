import HaloNet
import Testing
import VRRP
import VRRPSimulation

/// Random schedules from fixed seeds; every property checked on every one.
/// Four slices run in parallel; together 24 000 schedules, tuned to take about
/// 35 s in a debug build on a 2-core machine.
@Suite struct SimulationPropertyTests {
    static let schedulesPerSlice = 6_000

    @Test(arguments: [
        (UInt64(1), Int?.none),
        (UInt64(1_000_001), Int?.some(2)),
        (UInt64(2_000_001), Int?.some(3)),
        (UInt64(3_000_001), Int?.some(5)),
    ])
    func randomSchedulesKeepEveryProperty(firstSeed: UInt64, routers: Int?) {
        let report = SoakRunner.run(schedules: Self.schedulesPerSlice, firstSeed: firstSeed,
                                    generator: ScenarioGenerator(routerCount: routers))
        print("simulation: seeds \(firstSeed)..<\(firstSeed + UInt64(report.schedules)), routers \(routers.map(String.init) ?? "2-5")\n\(report.summary)")
        #expect(report.schedules == Self.schedulesPerSlice)
        for violation in report.violations.prefix(3) { Issue.record("\(violation)") }
        #expect(report.violations.isEmpty)
        // The schedules must actually exercise what the properties talk about.
        #expect(report.statistics.heals > report.schedules / 10)
        #expect(report.statistics.handoffsChecked > report.schedules / 10)
        #expect(report.statistics.flappingChecks > report.schedules)
        #expect(report.statistics.randomLosses > 0 && report.statistics.duplicates > 0)
    }
}

/// The checker itself: runs that break VRRP's assumptions must be reported, with
/// the seed and a readable trace.
@Suite struct SimulationCheckerTests {
    func routers(_ priorities: [UInt8], handoffBound: VRRPDuration? = nil) -> [RouterConfiguration] {
        priorities.enumerated().map { node, priority in
            RouterConfiguration(virtualRouterID: 7, version: .v3, primaryAddress: .v4(IPv4Address(10, 0, 0, UInt8(10 + node))),
                                virtualAddresses: [IPAddress("10.0.0.100")!], basePriority: priority,
                                advertIntervalCentiseconds: 10, handoffBound: handoffBound)
        }
    }

    @Test func equalPrioritiesFlapAfterACrash() {
        // B and C (equal) time out together when A crashes: both become master and the
        // lower address yields, two mastership changes for one fault event.
        let scenario = SimulationScenario(
            seed: 4242, routers: routers([200, 100, 100]), links: SimulationScenario.uniformLinks(.perfect, nodes: 3),
            startTimes: [.zero, .zero, .zero], disturbances: [ScheduledDisturbance(at: ms(2_050), .crash(.node(0)))],
            endTime: ms(5_000))
        let result = Simulation.run(scenario)
        let violation = result.violations.first
        #expect(violation?.property == "no flapping")
        #expect(violation?.description.contains("seed=4242") == true)
        #expect(violation?.description.contains("MASTER -> BACKUP") == true)
    }

    @Test func aHandoffBoundShorterThanTheSkewLeavesAGap() {
        // A gives up with a 1 ms bound; B needs Skew_Time (≈ 61 ms) to take over.
        let scenario = SimulationScenario(
            seed: 77, routers: routers([200, 100], handoffBound: .milliseconds(1)),
            links: SimulationScenario.uniformLinks(.perfect, nodes: 2), startTimes: [.zero, .zero],
            disturbances: [ScheduledDisturbance(at: ms(2_050), .giveUp(.currentMaster))], endTime: ms(5_000))
        let violation = Simulation.run(scenario).violations.first
        #expect(violation?.property == "planned hand-off")
        #expect(violation?.detail.contains("nobody holds the addresses") == true)
    }

    @Test func aLanLosingEveryAdvertLeavesTwoMasters() {
        // Loss beyond the model (every advert, no cap) is a silent partition that no
        // heal ends: both routers stay master and the convergence check must say so.
        let blackhole = LinkQuality(lossProbability: 1, maxConsecutiveLosses: 1_000)
        let scenario = SimulationScenario(
            seed: 9, routers: routers([200, 100]), links: SimulationScenario.uniformLinks(blackhole, nodes: 2),
            startTimes: [.zero, .zero], disturbances: [ScheduledDisturbance(at: ms(5_000), .heal)], endTime: ms(10_000))
        let violation = Simulation.run(scenario).violations.first
        #expect(violation?.property == "convergence")
        #expect(violation?.detail.contains("2 masters") == true)
    }
}
