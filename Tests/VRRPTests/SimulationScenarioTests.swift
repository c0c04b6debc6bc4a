import HaloNet
import Testing
import VRRP
import VRRPSimulation

/// Scripted runs of the simulated LAN with hand-computed timelines.
@Suite struct SimulationScenarioTests {
    static let addressA = IPAddress("10.0.0.10")!
    static let addressB = IPAddress("10.0.0.11")!
    static let addressC = IPAddress("10.0.0.12")!

    func router(_ address: IPAddress, priority: UInt8, version: VRRPVersion = .v2, interval: UInt16 = 100, preempt: Bool = true) -> RouterConfiguration {
        RouterConfiguration(virtualRouterID: 7, version: version, primaryAddress: address, virtualAddresses: [IPAddress("10.0.0.100")!],
                            basePriority: priority, advertIntervalCentiseconds: interval, preempt: preempt)
    }

    func scenario(_ routers: [RouterConfiguration], starts: [Int64], link: LinkQuality = .perfect,
                  _ disturbances: [(Int64, Disturbance)], endMilliseconds: Int64) -> SimulationScenario {
        SimulationScenario(
            seed: 0, routers: routers, links: SimulationScenario.uniformLinks(link, nodes: routers.count),
            startTimes: starts.map { ms($0) }, disturbances: disturbances.map { ScheduledDisturbance(at: ms($0.0), $0.1) },
            endTime: ms(endMilliseconds))
    }

    func timeline(_ result: SimulationResult, _ node: Int) -> [String] {
        result.transitions(of: node).map { "\($0.to)@\($0.time.nanoseconds)" }
    }

    /// A (200) and B (100), v2 at 1 s, perfect LAN, both start at 0.
    /// A: Master_Down = 3 + 56/256 s = 3.21875 s; adverts at 3.21875 + k s.
    /// Partition at 10 s: B last heard A at 9.21875 s, takes over at + 3.609375 = 12.828125 s.
    /// Heal at 20 s: A's advert at 20.21875 s reaches B, B answers with its own advert
    /// (higher_prio_send_advert) and yields; A hears it and re-announces at once.
    @Test func twoRoutersPartitionThenHeal() {
        let result = Simulation.run(scenario(
            [router(Self.addressA, priority: 200), router(Self.addressB, priority: 100)], starts: [0, 0],
            [(10_000, .partition(groups: [0, 1])), (20_000, .heal)], endMilliseconds: 30_000))
        #expect(result.violations.isEmpty, "\(result.violations.map(\.description))")
        #expect(timeline(result, 0) == ["BACKUP@0", "MASTER@3218750000"])
        #expect(timeline(result, 1) == ["BACKUP@0", "MASTER@12828125000", "BACKUP@20218750000"])
        #expect(result.reannouncements == [ConflictReannouncement(time: ns(20_218_750_000), node: 0)])
        // Split brain held both from 12.828125 s to 20.21875 s; A never let go.
        #expect(result.addressChanges.map(\.node) == [0, 1, 1])
    }

    /// Owner O (255) and B (100). O is master at once; it crashes at 9.5 s (last advert
    /// at 9 s), B takes over at 9 + 3.609375 s; O restarts at 20 s and is master at
    /// once; B yields on its first advert and O re-announces.
    @Test func ownerRestart() {
        let result = Simulation.run(scenario(
            [router(Self.addressA, priority: 255), router(Self.addressB, priority: 100)], starts: [0, 0],
            [(9_500, .crash(.node(0))), (20_000, .restartDownNodes)], endMilliseconds: 30_000))
        #expect(result.violations.isEmpty, "\(result.violations.map(\.description))")
        #expect(timeline(result, 0) == ["MASTER@0", "MASTER@20000000000"])
        #expect(result.transitions(of: 0).map(\.reason) == [.addressOwner, .addressOwner])
        #expect(timeline(result, 1) == ["BACKUP@0", "MASTER@12609375000", "BACKUP@20000000000"])
        #expect(result.reannouncements.map(\.node) == [0])
    }

    /// nopreempt: A (100) starts at 0, master at 3.609375 s. B (200) starts at 2 s and
    /// accepts A's lower adverts, so it never takes over while A lives. A crashes at
    /// 10.5 s (last advert 9.609375 s); B takes over at + 3.21875 = 12.828125 s. A
    /// restarts at 20 s and stays Backup.
    @Test func nopreemptNeverDisplacesTheMaster() {
        let result = Simulation.run(scenario(
            [router(Self.addressA, priority: 100, preempt: false), router(Self.addressB, priority: 200, preempt: false)],
            starts: [0, 2_000], [(10_500, .crash(.node(0))), (20_000, .restartDownNodes), (25_000, .trackerWeight(node: 0, weight: 100))],
            endMilliseconds: 40_000))
        #expect(result.violations.isEmpty, "\(result.violations.map(\.description))")
        #expect(timeline(result, 0) == ["BACKUP@0", "MASTER@3609375000", "BACKUP@20000000000"])
        #expect(timeline(result, 1) == ["BACKUP@2000000000", "MASTER@12828125000"])
    }

    /// Make-before-break, v3 at 100 ms, 1 ms links. A (200) is master at
    /// 300 + 21.875 ms. It gives up at 1000.5 ms; B (100) hears priority 0 at 1001.5 ms
    /// and takes over after Skew_Time (156/256 × 100 ms = 60.9375 ms) at 1062.4375 ms;
    /// A hears B's first advert at 1063.4375 ms and only then removes its addresses.
    /// C (50) would have fired at 1001.5 + 80.46875 ms but hears B first.
    @Test func plannedHandoffTimeline() {
        let result = Simulation.run(scenario(
            [router(Self.addressA, priority: 200, version: .v3, interval: 10),
             router(Self.addressB, priority: 100, version: .v3, interval: 10),
             router(Self.addressC, priority: 50, version: .v3, interval: 10)],
            starts: [0, 0, 0], link: LinkQuality(delay: .milliseconds(1)),
            [(1_000, .giveUp(.currentMaster)), (5_000, .rejoinAll)], endMilliseconds: 10_000).shifted(giveUpBy: .microseconds(500)))
        #expect(result.violations.isEmpty, "\(result.violations.map(\.description))")
        #expect(Array(timeline(result, 0).prefix(4)) == ["BACKUP@0", "MASTER@321875000", "HANDOFF@1000500000", "BACKUP@1063437500"])
        // Rejoined at 5000.5 ms, A (200) preempts B after Master_Down: 300 + 21.875 ms.
        #expect(Array(timeline(result, 0).dropFirst(4)) == ["MASTER@5322375000"])
        #expect(timeline(result, 1).prefix(2) == ["BACKUP@0", "MASTER@1062437500"])
        #expect(timeline(result, 2) == ["BACKUP@0"])
        let moves = result.addressChanges.filter { $0.time > ms(1_000) && $0.time < ms(2_000) }
        #expect(moves == [AddressChange(time: ns(1_062_437_500), node: 1, holds: true),
                          AddressChange(time: ns(1_063_437_500), node: 0, holds: false)])
    }

    /// The same run twice gives the same trace: schedules are reproducible from the seed.
    @Test func runsAreDeterministic() {
        let generator = ScenarioGenerator()
        for seed in UInt64(100)..<UInt64(110) {
            let first = Simulation.run(generator.scenario(seed: seed))
            let second = Simulation.run(generator.scenario(seed: seed))
            #expect(first.trace == second.trace)
            #expect(first.statistics == second.statistics)
        }
        #expect(Simulation.run(generator.scenario(seed: 1)).trace != Simulation.run(generator.scenario(seed: 2)).trace)
    }
}

extension SimulationScenario {
    /// Moves every disturbance by `offset` (to put a give-up between two adverts).
    func shifted(giveUpBy offset: VRRPDuration) -> SimulationScenario {
        var copy = self
        copy.disturbances = disturbances.map { ScheduledDisturbance(at: $0.at + offset, $0.disturbance) }
        return copy
    }
}
