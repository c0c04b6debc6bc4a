import Foundation
import HaloLinux
import HaloResources
import Testing

/// The planner driven for real: exec resources (shell commands appending to a
/// file) run through the process runner, with real timeouts.
@Suite(.serialized) struct GroupDriverTests {
    @Test func startsInOrderStopsInReverseWithTheVIPsWhereAsked() throws {
        let harness = try DriverHarness()
        defer { harness.stop() }
        let resources = ["a", "b", "c"].map { harness.shellResource($0) }
        try harness.start(resources: resources, settings: .init(resourceNames: ["a", "b", "c"], vipIndex: 2))
        harness.send(.promote)
        #expect(harness.wait { $0.events.contains("started") })
        #expect(harness.order == ["a start", "b start", "c start"])
        #expect(harness.events == ["add VIPs", "started"])
        harness.send(.demote)
        #expect(harness.wait { $0.events.contains("stopped") })
        #expect(harness.order == ["a start", "b start", "c start", "c stop", "b stop", "a stop"])
        #expect(harness.events == ["add VIPs", "started", "remove VIPs", "stopped"])
        // The manager's own time between one agent's exit and the next one's start.
        let overheads = harness.planner().records.isEmpty ? [] : harnessOverheads(harness)
        #expect(!overheads.isEmpty)
        // The median: a loaded CI host (every suite in parallel on 2 cores) can stall one step.
        let median = overheads.sorted()[overheads.count / 2]
        #expect(median < 5_000_000, "manager overhead per step: \(overheads) ns")
    }

    private func harnessOverheads(_ harness: DriverHarness) -> [Int64] {
        let result = Box<[Int64]>([])
        _ = harness.wait { result.value = $0.driver.stepOverheadsNanoseconds; return true }
        return result.value
    }

    @Test func failedStartInTheMiddleRollsBackInReverseThenFailsOver() throws {
        let harness = try DriverHarness()
        defer { harness.stop() }
        let resources = [harness.shellResource("a"), harness.shellResource("b", start: "echo 'b start' >> \(harness.logPath); exit 1;"),
                         harness.shellResource("c")]
        try harness.start(resources: resources, settings: .init(resourceNames: ["a", "b", "c"]))
        harness.send(.promote)
        #expect(harness.wait { $0.events.contains { $0.hasPrefix("fail over") } })
        #expect(harness.order == ["a start", "b start", "b stop", "a stop"])
        #expect(harness.events == ["add VIPs", "remove VIPs", "fail over: start of b failed: failure: exit 1"])
        #expect(harness.planner().records[1].lastError == "start: failure: exit 1")
    }

    @Test func monitorFailureRestartsInPlaceThenFailsOverAtTheThreshold() throws {
        let harness = try DriverHarness()
        defer { harness.stop() }
        let resources = ["a", "b"].map { harness.shellResource($0) }
        try harness.start(resources: resources, settings: .init(resourceNames: ["a", "b"], migrationThreshold: 2),
                          timing: .init(start: 5000, stop: 5000, monitor: 5000, interval: 100))
        harness.send(.promote)
        #expect(harness.wait { $0.events.contains("started") })
        // b's process "dies": the monitor sees it gone and restarts it in place.
        try FileManager.default.removeItem(atPath: harness.directory + "/b.up")
        // Restarted and confirmed by its probe (not just its start logged) before it dies again.
        #expect(harness.wait { $0.order.count == 4 && $0.driver.planner.records[1].state == .started && $0.driver.planner.inFlight == nil })
        #expect(harness.order == ["a start", "b start", "b stop", "b start"])
        #expect(harness.events == ["add VIPs", "started"], "no fail over yet; the VIPs stay")
        try FileManager.default.removeItem(atPath: harness.directory + "/b.up")
        #expect(harness.wait { $0.events.contains { $0.hasPrefix("fail over") } })
        #expect(harness.order == ["a start", "b start", "b stop", "b start", "b stop", "a stop"])
        #expect(harness.events.last == "fail over: b failed 2 times (migration_threshold 2), last: not running")
        #expect(harness.planner().records[1].totalFailures == 2)
    }

    @Test(arguments: [false, true])
    func hungStopHitsItsTimeoutThenThePolicyApplies(fences: Bool) throws {
        let harness = try DriverHarness()
        defer { harness.stop() }
        let resources = [harness.shellResource("a"), harness.shellResource("b", stop: "echo 'b stop' >> \(harness.logPath); sleep 30;")]
        try harness.start(resources: resources,
                          settings: .init(resourceNames: ["a", "b"], stopRetries: 1, fences: fences),
                          timing: .init(start: 5000, stop: 300, monitor: 5000, interval: 60_000))
        harness.send(.promote)
        #expect(harness.wait { $0.events.contains("started") })
        let began = Date()
        harness.send(.demote)
        if fences {
            #expect(harness.wait { $0.events.contains("stopped") })
            #expect(harness.events == ["add VIPs", "started", "fence b", "remove VIPs", "stopped"])
            #expect(harness.order == ["a start", "b start", "b stop", "b stop", "a stop"])
        } else {
            #expect(harness.wait { $0.events.contains { $0.hasPrefix("fail over") } })
            #expect(harness.events == ["add VIPs", "started", "fail over: stop of b failed: blocked", "remove VIPs"])
            #expect(harness.order == ["a start", "b start", "b stop", "b stop"], "a stays: b stands on it")
            #expect(harness.planner().records.map(\.state) == [.started, .blocked])
        }
        // Two attempts of 0.3 s each (plus the kill grace of a shell that exits on SIGTERM).
        #expect(Date().timeIntervalSince(began) < 5)
        #expect(harness.planner().records[1].lastError == "stop: timed out")
    }

    @Test func probesAdoptRunningResourcesInsteadOfStartingThemTwice() throws {
        let harness = try DriverHarness()
        defer { harness.stop() }
        let resources = ["a", "b"].map { harness.shellResource($0) }
        FileManager.default.createFile(atPath: harness.directory + "/a.up", contents: nil)
        try harness.start(resources: resources, settings: .init(resourceNames: ["a", "b"]))
        harness.send(.probeAll)
        #expect(harness.wait { $0.driver.planner.records.map(\.state) == [.started, .stopped] })
        harness.send(.promote)
        #expect(harness.wait { $0.events.contains("started") })
        #expect(harness.order == ["b start"])
    }
}
