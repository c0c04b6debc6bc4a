/// Runs many generated schedules: the CI property test and the `halo-sim` soak.
public struct SoakReport: Sendable {
    public var schedules = 0
    public var violations: [PropertyViolation] = []
    public var statistics = SimulationStatistics()
    /// Schedules per number of routers.
    public var routerCounts: [Int: Int] = [:]

    public init() {}

    public var summary: String {
        let s = statistics
        let counts = routerCounts.keys.sorted().map { "\($0) routers: \(routerCounts[$0]!)" }.joined(separator: ", ")
        return """
        schedules run: \(schedules) (\(counts))
        violations: \(violations.count)\(violations.isEmpty ? "" : " (seeds: \(violations.map { String($0.seed) }.joined(separator: ", ")))")
        episodes: \(s.episodes), heals: \(s.heals), planned hand-offs checked: \(s.handoffsChecked)
        flapping checks: \(s.flappingChecks) (waived after random loss: \(s.flappingChecksWaived))
        events: \(s.events), adverts: \(s.advertsSent), random losses: \(s.randomLosses), duplicates: \(s.duplicates), partition drops: \(s.partitionDrops)
        re-announcements after conflict: \(s.announcementsAfterConflict)
        """
    }
}

public enum SoakRunner {
    /// Runs schedules with seeds `firstSeed`, `firstSeed + 1`, …; each is reproducible alone.
    public static func run(schedules: Int, firstSeed: UInt64, generator: ScenarioGenerator = ScenarioGenerator(),
                           onViolation: (PropertyViolation) -> Void = { _ in }) -> SoakReport {
        var report = SoakReport()
        for offset in 0..<schedules {
            let scenario = generator.scenario(seed: firstSeed &+ UInt64(offset))
            let result = Simulation.run(scenario)
            report.schedules += 1
            report.routerCounts[scenario.routers.count, default: 0] += 1
            report.statistics.add(result.statistics)
            for violation in result.violations {
                report.violations.append(violation)
                onViolation(violation)
            }
        }
        return report
    }
}
