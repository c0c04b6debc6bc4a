import ArgumentParser
import VRRPSimulation

/// The soak: many seeded schedules of the simulated LAN against the VRRP state
/// machine. Exit status 1 if any property is violated.
@main
struct HaloSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "halo-sim",
        abstract: "Run random VRRP schedules on a simulated LAN and check the election properties.")

    @Option(help: "Number of schedules to run.")
    var schedules = 100_000

    @Option(help: "Seed of the first schedule; schedule i uses seed + i.")
    var seed: UInt64 = 1

    @Option(help: "Routers per schedule (default: random 2-5).")
    var routers: Int?

    @Flag(help: "Print the full trace, every advert and timer included, of each schedule (use with --schedules 1).")
    var trace = false

    func validate() throws {
        guard schedules > 0 else { throw ValidationError("--schedules must be positive") }
        if let routers, !(2...16).contains(routers) { throw ValidationError("--routers must be 2...16") }
    }

    func run() throws {
        let generator = ScenarioGenerator(routerCount: routers)
        if trace {
            for offset in 0..<schedules {
                let result = Simulation.run(generator.scenario(seed: seed &+ UInt64(offset)), tracePackets: true)
                print("seed \(result.seed):")
                for line in result.trace { print("  " + line) }
            }
        }
        let clock = ContinuousClock()
        let started = clock.now
        var report = SoakReport()
        let step = max(1, min(10_000, schedules / 10))
        var done = 0
        while done < schedules {
            let batch = min(step, schedules - done)
            let part = SoakRunner.run(schedules: batch, firstSeed: seed &+ UInt64(done), generator: generator) { print($0) }
            report.schedules += part.schedules
            report.violations += part.violations
            report.statistics.add(part.statistics)
            for (count, n) in part.routerCounts { report.routerCounts[count, default: 0] += n }
            done += batch
            if done < schedules { print("... \(done) schedules, \(report.violations.count) violations") }
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(report.summary)
        print("time: \(formatted(seconds)) s (\(formatted(Double(report.schedules) / max(seconds, 1e-9))) schedules/s)")
        if !report.violations.isEmpty { throw ExitCode(1) }
    }

    private func formatted(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
