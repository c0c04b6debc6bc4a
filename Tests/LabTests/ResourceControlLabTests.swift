import Foundation
import Glibc
import HaloControl
import HaloLab
import Testing

/// `haloctl resource restart|cleanup` on a halod pair whose group a, b, c of
/// exec resources appends "NODE RESOURCE ACTION" to one order file.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ResourceControlLabTests {
    final class Scratch {
        let directory = NSTemporaryDirectory() + "/halo-resctl-lab-\(getpid())-\(UUID().uuidString.prefix(6))"
        init() throws { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: directory) }
        var orderFile: String { directory + "/order" }
        func lines(of node: String) -> [String] {
            ((try? String(contentsOfFile: orderFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
                .filter { $0.hasPrefix(node + " ") }
        }
        func up(_ node: String, _ resource: String) -> String { "\(directory)/\(node)-\(resource).up" }
    }

    /// start/stop log and touch/remove NODE-NAME.up; monitor tests it. `startPrefix` runs first.
    private func resource(_ name: String, node: String, scratch: Scratch, startPrefix: String = "") -> [String] {
        let log = "echo '\(node) \(name)"
        let up = scratch.up(node, name)
        return [
            "resource \(name) {",
            "    agent exec",
            "    start /bin/sh -c \"\(startPrefix)\(log) start' >> \(scratch.orderFile) && touch \(up)\"",
            "    stop /bin/sh -c \"\(log) stop' >> \(scratch.orderFile) && rm -f \(up)\"",
            "    monitor /bin/test -e \(up)",
            "}",
        ]
    }

    private func config(_ node: String, priority: Int, scratch: Scratch, bStart: String = "", groupLines: [String] = []) -> String {
        let instance = LabConfig.instance(state: priority > 100 ? "MASTER" : "BACKUP", priority: priority, advertInterval: "0.2",
                                          version: 3, vips: ["\(PairLab.vip4)/24"])
        let resources = resource("a", node: node, scratch: scratch) + resource("b", node: node, scratch: scratch, startPrefix: bStart)
            + resource("c", node: node, scratch: scratch)
        let body = ["follow VI_1"] + resources + groupLines
        return instance + (["resource_group storage {"] + body.map { "    " + $0 } + ["}"]).joined(separator: "\n") + "\n"
    }

    private func awaitLines(_ scratch: Scratch, _ node: String, _ expected: [String], seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if scratch.lines(of: node) == expected { return true }
            usleep(50_000)
        }
        return scratch.lines(of: node) == expected
    }

    /// `haloctl resource ACTION NAME --socket ...` against `host` (the socket option belongs to the subcommand).
    private func resourceCommand(_ pair: PairLab, _ host: String, _ action: String, _ name: String) throws -> HaloctlRunner.Result {
        try HaloctlRunner.run(["resource", action, name, "--socket", try pair.controlPaths(host).socket])
    }

    private func group(_ pair: PairLab, _ host: String) throws -> ResourceGroupStatus {
        let result = try pair.haloctl(host, "status", "--json")
        #expect(result.status == 0, "\(result.error)")
        let reply = try ControlEncoding.decode(ControlReply.self, from: Array(result.output.trimmingCharacters(in: .newlines).utf8))
        return try #require(reply.status?.resourceGroups?.first, "\(result.output)")
    }

    /// Polls `haloctl status --json` until `condition` holds for the group.
    private func awaitGroup(_ pair: PairLab, _ host: String, seconds: Double = 10,
                            _ condition: (ResourceGroupStatus) -> Bool) throws -> ResourceGroupStatus {
        let deadline = Date().addingTimeInterval(seconds)
        var last = try group(pair, host)
        while Date() < deadline && !condition(last) {
            usleep(100_000)
            last = try group(pair, host)
        }
        return last
    }

    @Test func restartStopsWhatStandsOnItThenStartsInOrderWithoutMovingTheVIP() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        let n1 = try pair.controlledHalod("n1", config("n1", priority: 150, scratch: scratch))
        let started = ["n1 a start", "n1 b start", "n1 c start"]
        #expect(awaitLines(scratch, "n1", started), "\(n1.log)")
        #expect(n1.awaitLog("group storage started", seconds: 5), "\(n1.log)")
        let n2 = try pair.controlledHalod("n2", config("n2", priority: 100, scratch: scratch))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3), "\(n2.log)")
        #expect(n2.awaitLog("control socket", seconds: 3))
        let before = try group(pair, "n1")
        #expect(before.state == "running" && before.resources.map(\.state) == ["started", "started", "started"], "\(before)")
        #expect(before.resources.map(\.agent) == ["exec", "exec", "exec"])
        #expect(before.resources[1].lastStart != nil, "the start's duration and time are shown")

        // Refused on the backup (the group does not run there) and for unknown names.
        let onBackup = try resourceCommand(pair, "n2", "restart", "b")
        #expect(onBackup.status == 1 && onBackup.error.contains("b is not running here: group storage is stopped"), "\(onBackup)")
        let unknown = try resourceCommand(pair, "n1", "restart", "zz")
        #expect(unknown.status == 1 && unknown.error.contains("no resource named zz (known: storage: a, b, c)"), "\(unknown)")
        let aGroup = try resourceCommand(pair, "n1", "restart", "storage")
        #expect(aGroup.status == 1 && aGroup.error.contains("storage is a resource group"), "\(aGroup)")

        let restart = try resourceCommand(pair, "n1", "restart", "b")
        #expect(restart.status == 0, "\(restart.error)\n\(n1.log)")
        #expect(restart.output == "storage: stopping c, b, then starting b, c; the VIPs stay\n", "\(restart.output)")
        // While it runs, the VIP never leaves n1 and n2 never takes it.
        let restarted = started + ["n1 c stop", "n1 b stop", "n1 b start", "n1 c start"]
        let deadline = Date().addingTimeInterval(10)
        var vipMoved = false
        while Date() < deadline && scratch.lines(of: "n1") != restarted {
            if pair.holders(of: PairLab.vip4) != ["n1"] { vipMoved = true }
            usleep(20_000)
        }
        #expect(scratch.lines(of: "n1") == restarted, "\(n1.log)")
        #expect(!vipMoved && pair.holders(of: PairLab.vip4) == ["n1"])
        #expect(scratch.lines(of: "n2").isEmpty)
        let after = try awaitGroup(pair, "n1") { $0.resources.allSatisfy { $0.state == "started" } }
        #expect(after.state == "running", "\(after)")
        #expect(after.resources[1].lastStop != nil && after.resources[0].lastStop == nil, "a was left alone: \(after)")
        #expect(n1.log.components(separatedBy: "Entering ").count == 3, "n1: BACKUP at startup, MASTER, nothing since: \(n1.log)")
        #expect(!n2.log.contains("Entering MASTER STATE"), "no failover: \(n2.log)")
    }

    @Test func cleanupResetsTheFailCountShownByStatus() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        let lines = ["monitor_interval 0.2", "migration_threshold 5"]
        let n1 = try pair.controlledHalod("n1", config("n1", priority: 150, scratch: scratch, groupLines: lines))
        #expect(n1.awaitLog("group storage started", seconds: 10), "\(n1.log)")
        // b dies: the monitor sees it, b (and c on it) restart in place; the failure is counted.
        try FileManager.default.removeItem(atPath: scratch.up("n1", "b"))
        let failed = try awaitGroup(pair, "n1") { $0.resources[1].failCount == 1 && $0.state == "running" }
        #expect(failed.resources[1].failCount == 1 && failed.resources[1].totalFailures == 1, "\(failed)\n\(n1.log)")
        #expect(failed.resources[1].lastError == "monitor: not running", "\(failed)")
        #expect(failed.resources[1].lastMonitor != nil)
        let screen = try pair.haloctl("n1", "status")
        #expect(screen.output.contains("  b (exec): started, fail count 1 (1 since start)\n"), "\(screen.output)")

        let cleanup = try resourceCommand(pair, "n1", "cleanup", "b")
        #expect(cleanup.status == 0, "\(cleanup.error)")
        #expect(cleanup.output == "storage: fail counts and last errors cleared (b)\n", "\(cleanup.output)")
        let cleared = try group(pair, "n1")
        #expect(cleared.resources[1].failCount == 0 && cleared.resources[1].lastError == nil, "\(cleared)")
        #expect(cleared.resources[1].totalFailures == 1, "the lifetime count stays")
        #expect(cleared.state == "running")
        let again = try resourceCommand(pair, "n1", "cleanup", "storage")
        #expect(again.status == 0 && again.output == "storage: nothing to clear\n", "\(again)")
        let unknown = try resourceCommand(pair, "n1", "cleanup", "zz")
        #expect(unknown.status == 1 && unknown.error.contains("no resource or resource group named zz"), "\(unknown)")
    }

    @Test func cleanupOfAFailedGroupLetsItBePromotedAgain() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        // b's first start fails (and leaves a marker), later ones succeed.
        let marker = scratch.directory + "/b-failed-once"
        let failOnce = "test -e \(marker) || { touch \(marker); echo 'n1 b start' >> \(scratch.orderFile); exit 1; }; "
        let n1 = try pair.controlledHalod("n1", config("n1", priority: 150, scratch: scratch, bStart: failOnce))
        #expect(awaitLines(scratch, "n1", ["n1 a start", "n1 b start", "n1 b stop", "n1 a stop"]), "\(n1.log)")
        #expect(n1.awaitLog("Entering FAULT STATE", seconds: 5), "\(n1.log)")
        let failed = try awaitGroup(pair, "n1") { $0.state == "failed" }
        #expect(failed.state == "failed" && failed.refusal?.contains("start of b failed") == true, "\(failed)")
        #expect(failed.resources[1].lastError?.hasPrefix("start: ") == true, "\(failed)")

        let cleanup = try resourceCommand(pair, "n1", "cleanup", "storage")
        #expect(cleanup.status == 0, "\(cleanup.error)")
        let startedAgain = ["n1 a start", "n1 b start", "n1 b stop", "n1 a stop", "n1 a start", "n1 b start", "n1 c start"]
        #expect(awaitLines(scratch, "n1", startedAgain), "\(n1.log)")
        #expect(pair.awaitSoleHolder("n1", seconds: 6))
        let running = try awaitGroup(pair, "n1") { $0.state == "running" }
        #expect(running.state == "running" && running.refusal == nil, "\(running)")
    }
}
