import ArgumentParser
import Foundation
import Glibc
import HaloLab
import HaloLinux
import HaloNet

/// Halo and keepalived side by side in one run: client-visible failover gaps,
/// VIP removal after the engine is killed, memory and idle CPU.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmark a Halo pair against a keepalived pair in the namespace lab.")

    @Option(help: "Trials per failover scenario and implementation.")
    var trials = 10

    @Option(help: "Seconds of idle measurement per advert interval and trial (RSS, CPU).")
    var idleSeconds = 30

    @Option(help: "Idle trials per advert interval and implementation, alternating between the two.")
    var idleTrials = 3

    @Option(help: "Also write the results as Markdown to this file.")
    var markdown: String?

    @Option(help: "Comma-separated sections to run: linkloss, planned, kill, idle.")
    var sections = "linkloss,planned,kill,idle"

    func run() throws {
        guard Keepalived.isInstalled else { throw LabFailure("keepalived is not installed (bash scripts/setup)") }
        var report = Report()
        report.line("Halo vs keepalived \(keepalivedVersion()), \(trials) trials each, 10 ms client probe")

        let wanted = Set(sections.split(separator: ",").map(String.init))
        if wanted.contains("linkloss") { try measureLinkLoss(&report) }
        if wanted.contains("planned") { try measurePlannedFailover(&report) }
        if wanted.contains("kill") { try measureKilledEngine(&report) }
        if wanted.contains("idle") { try measureIdle(&report) }
        if let markdown { try report.markdown.write(toFile: markdown, atomically: true, encoding: .utf8) }
    }

    private func measureLinkLoss(_ report: inout Report) throws {
        report.section("Master link lost: client-visible gap | takeover on the wire, n1's last advert to n2's first (ms: min / median / max; theory = 3 × advert + skew at priority 100)")
        for (version, interval) in [(2, "1"), (3, "0.1"), (3, "0.02")] {
            let theory = 3 * (Double(interval)! * 1000) + (256.0 - 100) / 256 * (Double(interval)! * 1000)
            var row = ["v\(version) \(interval) s (theory \(format(theory)))"]
            for implementation in PairScenario.Implementation.allCases {
                var gaps: [Double] = [], takeovers: [Double] = []
                for _ in 0..<trials {
                    let pair = try PairScenario(implementation, version: version, interval: interval)
                    defer { pair.tearDown() }
                    let result = try pair.measureFailover(settle: 0.3) { try pair.lab.setLink(of: "n1", up: false) }
                    gaps.append(result.clientGap)
                    if let takeover = result.takeover { takeovers.append(takeover) }
                }
                row.append("\(summarize(gaps)) | \(summarize(takeovers))")
            }
            report.row(row)
        }
    }

    private func measurePlannedFailover(_ report: inout Report) throws {
        report.section("Client-visible gap, planned failover (SIGTERM to the master) (ms: min / median / max)")
        for (version, interval) in [(2, "1"), (3, "0.1")] {
            var row = ["v\(version) \(interval) s"]
            for implementation in PairScenario.Implementation.allCases {
                row.append(summarize(try trialsOf(implementation, version, interval) { pair in
                    try pair.clientGap(settle: 0.3) { pair.master.signal(SIGTERM) }
                }))
            }
            report.row(row)
        }
    }

    private func measureKilledEngine(_ report: inout Report) throws {
        report.section("VIP left on the node whose VRRP process was SIGKILLed (ms until removed: min / median / max)")
        var killRow = ["v2 1 s"]
        for implementation in PairScenario.Implementation.allCases {
            let results = try trialsOf(implementation, 2, "1") { pair in try vipLifetimeAfterKill(pair) }
            killRow.append(results.allSatisfy { $0 < 0 } ? "stays (never removed within 3 s)" : summarize(results.filter { $0 >= 0 }))
        }
        report.row(killRow)
    }

    private func measureIdle(_ report: inout Report) throws {
        report.section("Master node, idle for \(idleSeconds) s × \(idleTrials) trials (Halo and keepalived alternating): RSS / PSS of all the daemon's processes (median), CPU % (min / median / max, scheduler run time)")
        for (version, interval) in [(2, "1"), (3, "0.1"), (3, "0.01")] {
            var samples: [PairScenario.Implementation: [(rssKB: Int, pssKB: Int, cpu: Double, processes: Int)]] = [:]
            var lateness = ""
            for _ in 0..<idleTrials {
                for implementation in PairScenario.Implementation.allCases {
                    let pair = try PairScenario(implementation, version: version, interval: interval)
                    defer { pair.tearDown() }
                    let pids = ProcessStats.tree(of: pair.master.pid)
                    let cpu0 = ProcessStats.cpuNanoseconds(of: pids), wall0 = PingProbe.now()
                    sleep(UInt32(idleSeconds))
                    let cpu1 = ProcessStats.cpuNanoseconds(of: pids), wall1 = PingProbe.now()
                    let memory = ProcessStats.memory(of: pids)
                    let cpu = Double(cpu1 - cpu0) / Double(wall1 - wall0) * 100
                    samples[implementation, default: []].append((memory.rssKB, memory.pssKB, cpu, pids.count))
                    if implementation == .halo {
                        pair.master.signal(SIGTERM)
                        _ = pair.master.waitForExit(seconds: 5)
                        lateness = pair.master.log.components(separatedBy: "advert send lateness ").dropFirst().first?
                            .split(separator: "\n").first.map(String.init) ?? "not reported"
                    }
                }
            }
            var row = ["v\(version) \(interval) s"]
            for implementation in PairScenario.Implementation.allCases {
                let runs = samples[implementation] ?? []
                let median = { (values: [Int]) in values.sorted()[values.count / 2] }
                let cpus = runs.map(\.cpu).sorted()
                row.append(String(format: "%.1f MB / %.1f MB, %.3f / %.3f / %.3f %% (%d processes)",
                                  Double(median(runs.map(\.rssKB))) / 1024, Double(median(runs.map(\.pssKB))) / 1024,
                                  cpus.first!, cpus[cpus.count / 2], cpus.last!, runs.last!.processes))
            }
            report.row(row)
            report.line("    Halo advert send lateness at \(interval) s (last trial): \(lateness)")
        }
    }

    /// Runs `measure` on a fresh pair `trials` times.
    private func trialsOf(_ implementation: PairScenario.Implementation, _ version: Int, _ interval: String,
                          _ measure: (PairScenario) throws -> Double) throws -> [Double] {
        try (0..<trials).map { _ in
            let pair = try PairScenario(implementation, version: version, interval: interval)
            defer { pair.tearDown() }
            return try measure(pair)
        }
    }

    /// SIGKILL the VRRP process (halod's engine; keepalived's VRRP child) and time
    /// the VIP's removal from n1 via netlink events; -1 when it stays 3 s.
    private func vipLifetimeAfterKill(_ pair: PairScenario) throws -> Double {
        let events = try pair.lab.host("n1").perform { try NetlinkSocket(groups: NetworkEvent.groups) }
        let tree = ProcessStats.tree(of: pair.master.pid)
        guard tree.count >= 2 else { throw LabFailure("no VRRP child process under \(pair.master.pid)") }
        let killed = PingProbe.now()
        kill(tree[1], SIGKILL)
        var poller = pollfd(fd: events.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while PingProbe.now() - killed < 3_000_000_000 {
            guard poll(&poller, 1, 50) > 0 else { continue }
            for event in try events.readEvents() {
                if case .addressRemoved(let address) = event, address.prefix.address == IPAddress(PairScenario.vip) {
                    return Double(PingProbe.now() - killed) / 1_000_000
                }
            }
        }
        return -1
    }

    private func keepalivedVersion() -> String {
        let output = (try? Shell.run("/usr/sbin/keepalived", "--version")) ?? ""
        return output.split(separator: "\n").first.map(String.init) ?? "keepalived"
    }

    private func summarize(_ values: [Double]) -> String {
        guard !values.isEmpty else { return "-" }
        let sorted = values.sorted()
        return "\(format(sorted.first!)) / \(format(sorted[sorted.count / 2])) / \(format(sorted.last!))"
    }

    private func format(_ value: Double) -> String { String(format: value < 10 ? "%.1f" : "%.0f", value) }
}

/// Prints as it goes (a long run shows progress) and keeps a Markdown copy.
struct Report {
    /// Wide enough for the idle rows (memory, three CPU figures, process count); longer cells are not cut.
    static let cellWidth = 60
    private(set) var markdown = ""
    private var inTable = false

    mutating func line(_ text: String) {
        print(text)
        fflush(nil)
        markdown += text + "\n\n"
        inTable = false
    }

    mutating func section(_ title: String) {
        print("\n== \(title)")
        print(String(repeating: " ", count: 28) + "Halo".padding(toLength: Self.cellWidth, withPad: " ", startingAt: 0) + "keepalived")
        fflush(nil)
        markdown += "\n**\(title)**\n\n| scenario | Halo | keepalived |\n|---|---|---|\n"
        inTable = true
    }

    mutating func row(_ cells: [String]) {
        print(cells[0].padding(toLength: 28, withPad: " ", startingAt: 0)
              + cells.dropFirst().map { $0.padding(toLength: max(Self.cellWidth, $0.count + 2), withPad: " ", startingAt: 0) }.joined())
        fflush(nil)
        markdown += "| " + cells.joined(separator: " | ") + " |\n"
    }
}
