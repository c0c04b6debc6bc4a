import Foundation
import Glibc
import HaloLab
import Testing

/// resource_group in a halod pair: exec resources append "NODE RESOURCE ACTION"
/// to one order file, so start/stop order across both nodes is read back as written.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ResourceGroupLabTests {
    /// A scratch directory shared by both nodes (one filesystem, two network namespaces).
    final class Scratch {
        let directory = NSTemporaryDirectory() + "/halo-res-lab-\(getpid())-\(UUID().uuidString.prefix(6))"
        init() throws { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: directory) }
        var orderFile: String { directory + "/order" }
        var order: [String] {
            ((try? String(contentsOfFile: orderFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func lines(of node: String) -> [String] { order.filter { $0.hasPrefix(node + " ") } }
        func up(_ node: String, _ resource: String) -> String { "\(directory)/\(node)-\(resource).up" }
    }

    /// An exec resource: start/stop append to the order file and touch/remove NODE-NAME.up,
    /// monitor checks it; `startPrefix` / `stopPrefix` run first (to fail or hang on purpose).
    private func resource(_ name: String, node: String, scratch: Scratch, startPrefix: String = "", stopPrefix: String = "") -> [String] {
        let log = "echo '\(node) \(name)" 
        let up = scratch.up(node, name)
        return [
            "resource \(name) {",
            "    agent exec",
            "    start /bin/sh -c \"\(startPrefix)\(log) start' >> \(scratch.orderFile) && touch \(up)\"",
            "    stop /bin/sh -c \"\(stopPrefix)\(log) stop' >> \(scratch.orderFile) && rm -f \(up)\"",
            "    monitor /bin/test -e \(up)",
            "}",
        ]
    }

    private func config(_ node: String, priority: Int, scratch: Scratch, resources: [[String]], groupLines: [String] = []) -> String {
        let state = priority > 100 ? "MASTER" : "BACKUP"
        let instance = LabConfig.instance(state: state, priority: priority, advertInterval: "0.2", version: 3, vips: ["\(PairLab.vip4)/24"])
        let body = ["follow VI_1"] + resources.flatMap { $0 } + groupLines
        return instance + (["resource_group storage {"] + body.map { "    " + $0 } + ["}"]).joined(separator: "\n") + "\n"
    }

    private func abc(_ node: String, _ scratch: Scratch, bStart: String = "", bStop: String = "") -> [[String]] {
        [resource("a", node: node, scratch: scratch), resource("b", node: node, scratch: scratch, startPrefix: bStart, stopPrefix: bStop),
         resource("c", node: node, scratch: scratch)]
    }

    private func awaitLines(_ scratch: Scratch, _ node: String, _ expected: [String], seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if scratch.lines(of: node) == expected { return true }
            usleep(50_000)
        }
        return scratch.lines(of: node) == expected
    }

    @Test func masterStartsTheGroupInOrderAndFailoverMovesIt() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        let n1 = try pair.halod("n1", config("n1", priority: 150, scratch: scratch, resources: abc("n1", scratch)))
        #expect(awaitLines(scratch, "n1", ["n1 a start", "n1 b start", "n1 c start"]), "\(n1.log)")
        #expect(pair.awaitSoleHolder("n1", seconds: 6))
        let n2 = try pair.halod("n2", config("n2", priority: 100, scratch: scratch, resources: abc("n2", scratch)))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))
        usleep(2_000_000)
        #expect(scratch.lines(of: "n2").isEmpty, "the backup starts nothing")

        // Planned stop of the master: its group stops in reverse, the peer starts its own.
        n1.signal(SIGTERM)
        #expect(awaitLines(scratch, "n1", ["n1 a start", "n1 b start", "n1 c start", "n1 c stop", "n1 b stop", "n1 a stop"]), "\(n1.log)")
        #expect(awaitLines(scratch, "n2", ["n2 a start", "n2 b start", "n2 c start"]), "\(n2.log)")
        #expect(pair.awaitSoleHolder("n2", seconds: 6))
    }

    @Test func aStartFailureInTheMiddleRollsBackAndThePeerTakesOver() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        let n2 = try pair.halod("n2", config("n2", priority: 100, scratch: scratch, resources: abc("n2", scratch)))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))
        let fail = "echo 'n1 b start' >> \(scratch.orderFile); exit 1; "
        let n1 = try pair.halod("n1", config("n1", priority: 150, scratch: scratch, resources: abc("n1", scratch, bStart: fail)))
        #expect(awaitLines(scratch, "n1", ["n1 a start", "n1 b start", "n1 b stop", "n1 a stop"]), "\(n1.log)")
        #expect(n1.awaitLog("Entering FAULT STATE", seconds: 5), "\(n1.log)")
        #expect(awaitLines(scratch, "n2", ["n2 a start", "n2 b start", "n2 c start"]), "\(n2.log)")
        #expect(pair.awaitSoleHolder("n2", seconds: 6))
    }

    @Test func aMonitorFailureRestartsInPlaceThenFailsOverAtTheThreshold() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        let lines = ["monitor_interval 0.2", "migration_threshold 2"]
        let n1 = try pair.halod("n1", config("n1", priority: 150, scratch: scratch, resources: abc("n1", scratch), groupLines: lines))
        #expect(awaitLines(scratch, "n1", ["n1 a start", "n1 b start", "n1 c start"]), "\(n1.log)")
        let n2 = try pair.halod("n2", config("n2", priority: 100, scratch: scratch, resources: abc("n2", scratch), groupLines: lines))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))
        #expect(n1.awaitLog("group storage started", seconds: 5), "every start confirmed by its probe")
        // b dies: restarted in place with what stands on it (c), the VIP stays.
        try FileManager.default.removeItem(atPath: scratch.up("n1", "b"))
        let started = ["n1 a start", "n1 b start", "n1 c start"]
        let restarted = started + ["n1 c stop", "n1 b stop", "n1 b start", "n1 c start"]
        #expect(awaitLines(scratch, "n1", restarted), "\(n1.log)")
        #expect(pair.holders(of: PairLab.vip4) == ["n1"])
        // Dies again: the threshold is reached, the group stops and n2 takes over.
        try FileManager.default.removeItem(atPath: scratch.up("n1", "b"))
        #expect(awaitLines(scratch, "n1", restarted + ["n1 c stop", "n1 b stop", "n1 a stop"]), "\(n1.log)")
        #expect(awaitLines(scratch, "n2", ["n2 a start", "n2 b start", "n2 c start"]), "\(n2.log)")
        #expect(pair.awaitSoleHolder("n2", seconds: 6))
    }

    @Test func aHungStopHitsItsTimeoutAndFencingApplies() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        let hang = "echo 'n1 b stop' >> \(scratch.orderFile); sleep 60; "
        let fence = "on_stop_failure fence /bin/sh -c \"echo 'n1 fence' >> \(scratch.orderFile)\""
        let n1 = try pair.halod("n1", config("n1", priority: 150, scratch: scratch, resources: abc("n1", scratch, bStop: hang),
                                             groupLines: ["stop_timeout 0.5", "stop_retries 0", fence]))
        #expect(awaitLines(scratch, "n1", ["n1 a start", "n1 b start", "n1 c start"]), "\(n1.log)")
        let n2 = try pair.halod("n2", config("n2", priority: 100, scratch: scratch, resources: abc("n2", scratch)))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))
        n1.signal(SIGTERM)
        #expect(awaitLines(scratch, "n1", ["n1 a start", "n1 b start", "n1 c start", "n1 c stop", "n1 b stop", "n1 fence", "n1 a stop"]), "\(n1.log)")
        #expect(awaitLines(scratch, "n2", ["n2 a start", "n2 b start", "n2 c start"]), "\(n2.log)")
    }

    @Test func aHungStopUnderBlockLeavesWhatItStandsOnReleasesTheVIPAndFaults() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        let hang = "echo 'n1 b stop' >> \(scratch.orderFile); sleep 60; "
        let lines = ["monitor_interval 0.2", "migration_threshold 1", "stop_timeout 0.5", "stop_retries 1", "on_stop_failure block"]
        let n1 = try pair.halod("n1", config("n1", priority: 150, scratch: scratch, resources: abc("n1", scratch, bStop: hang), groupLines: lines))
        #expect(awaitLines(scratch, "n1", ["n1 a start", "n1 b start", "n1 c start"]), "\(n1.log)")
        let n2 = try pair.halod("n2", config("n2", priority: 100, scratch: scratch, resources: abc("n2", scratch)))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))
        #expect(n1.awaitLog("group storage started", seconds: 5), "every start confirmed by its probe")
        // c fails its monitor: threshold 1 fails over; b's stop hangs twice, a is left alone.
        try FileManager.default.removeItem(atPath: scratch.up("n1", "c"))
        #expect(awaitLines(scratch, "n1", ["n1 a start", "n1 b start", "n1 c start", "n1 c stop", "n1 b stop", "n1 b stop"]), "\(n1.log)")
        #expect(n1.awaitLog("stop of b failed: blocked", seconds: 5), "\(n1.log)")
        #expect(n1.awaitLog("Entering FAULT STATE", seconds: 5), "\(n1.log)")
        #expect(pair.awaitSoleHolder("n2", seconds: 6), "\(pair.logs(n1, n2))")
        #expect(awaitLines(scratch, "n2", ["n2 a start", "n2 b start", "n2 c start"]), "\(n2.log)")
        usleep(500_000)
        #expect(!scratch.lines(of: "n1").contains("n1 a stop"), "a stays up under a blocked b")
    }

    @Test func resourcesAlreadyRunningAtStartAreAdoptedNotStartedTwice() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        for name in ["a", "b"] { FileManager.default.createFile(atPath: scratch.up("n1", name), contents: nil) }
        let n1 = try pair.halod("n1", config("n1", priority: 150, scratch: scratch, resources: abc("n1", scratch)))
        #expect(pair.awaitSoleHolder("n1", seconds: 6))
        #expect(awaitLines(scratch, "n1", ["n1 c start"]), "only c was not running:\n\(n1.log)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/lib/ocf/resource.d/heartbeat/Dummy"), "needs resource-agents (scripts/setup)"))
    func aRealOCFAgentMovesWithMastership() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        func ocf(_ node: String) -> [String] {
            ["resource dummy {", "    agent ocf:heartbeat:Dummy", "    state \(scratch.directory)/\(node).state", "}"]
        }
        let exists = { (node: String) in FileManager.default.fileExists(atPath: "\(scratch.directory)/\(node).state") }
        let n1 = try pair.halod("n1", config("n1", priority: 150, scratch: scratch, resources: [ocf("n1"), resource("a", node: "n1", scratch: scratch)]))
        #expect(awaitLines(scratch, "n1", ["n1 a start"]), "\(n1.log)")
        #expect(exists("n1"), "Dummy started before a")
        let n2 = try pair.halod("n2", config("n2", priority: 100, scratch: scratch, resources: [ocf("n2"), resource("a", node: "n2", scratch: scratch)]))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))
        #expect(!exists("n2"))
        n1.signal(SIGTERM)
        #expect(awaitLines(scratch, "n2", ["n2 a start"]), "\(pair.logs(n1, n2))")
        #expect(exists("n2"))
        #expect(n1.awaitLog("group storage stopped", seconds: 5), "\(n1.log)")
        #expect(!exists("n1"), "Dummy stopped on the old master")
        #expect(scratch.lines(of: "n1") == ["n1 a start", "n1 a stop"])
    }
}
