import Foundation
import HaloLinux
import HaloResources
import Testing

/// Stop retries are paced: a stop that fails at once is tried again only
/// after the driver's pause (1 s), not in a tight loop that would use up the
/// retries before whatever blocked the stop (a busy mount) can clear.
@Suite(.serialized) struct StopRetryPacingTests {
    @Test func failedStopsAreRetriedOneSecondApart() throws {
        let harness = try DriverHarness()
        defer { harness.stop() }
        let stamps = "\(harness.directory)/stop-times"
        let resources = [harness.shellResource("a", stop: "date +%s.%N >> \(stamps); exit 1;")]
        try harness.start(resources: resources, settings: .init(resourceNames: ["a"], stopRetries: 2, fences: false))
        harness.send(.promote)
        #expect(harness.wait { $0.events.contains("started") })
        harness.send(.demote)
        #expect(harness.wait(seconds: 20) { $0.events.contains { $0.hasPrefix("fail over") } })
        let times = ((try? String(contentsOfFile: stamps, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Double($0) }
        #expect(times.count == 3, "one stop and two retries: \(times)")
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 0.95 }, "gaps between attempts: \(gaps)")
        #expect(harness.events.last == "remove VIPs" || harness.events.contains("fail over: stop of a failed: blocked"), "\(harness.events)")
    }

    @Test func aStopThatSucceedsOnRetryIsNotBlocked() throws {
        let harness = try DriverHarness()
        defer { harness.stop() }
        // Fails the first time only (the marker file says it already failed once).
        let marker = "\(harness.directory)/failed-once"
        let resources = [harness.shellResource("a", stop: "if [ ! -e \(marker) ]; then touch \(marker); exit 1; fi;")]
        try harness.start(resources: resources, settings: .init(resourceNames: ["a"], stopRetries: 2, fences: false))
        harness.send(.promote)
        #expect(harness.wait { $0.events.contains("started") })
        let began = Date()
        harness.send(.demote)
        #expect(harness.wait(seconds: 20) { $0.events.contains("stopped") })
        #expect(Date().timeIntervalSince(began) >= 0.95, "the retry came before its pause")
        #expect(harness.order == ["a start", "a stop"])
        #expect(!harness.events.contains { $0.hasPrefix("fail over") }, "\(harness.events)")
    }
}
