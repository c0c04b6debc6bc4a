import HaloResources
import Testing

/// Every path of the planner, driven by hand: what it asks for after each event.
@Suite struct GroupPlannerTests {
    typealias C = GroupCommand

    private func planner(_ names: [String] = ["a", "b", "c"], vipIndex: Int = 0, threshold: Int = 3,
                         failureTimeout: Int64 = 0, retries: Int = 2, fences: Bool = false) -> GroupPlanner {
        GroupPlanner(.init(resourceNames: names, vipIndex: vipIndex, migrationThreshold: threshold,
                           failureTimeoutNanoseconds: failureTimeout, stopRetries: retries, fences: fences))
    }

    private func ok(_ index: Int, _ action: AgentAction) -> GroupEvent {
        .finished(resource: index, action: action, result: .success)
    }

    /// Promotes and completes every start and probe: returns the commands seen, in order.
    private func startAll(_ planner: inout GroupPlanner) -> [C] {
        var seen = planner.handle(.promote)
        var pending = seen
        while let command = pending.first {
            pending.removeFirst()
            if case .run(let index, let action) = command {
                let next = planner.handle(ok(index, action))
                seen += next
                pending += next
            }
        }
        return seen
    }

    /// Completes every run command with success until the planner is idle.
    private func drain(_ planner: inout GroupPlanner, _ first: [C]) -> [C] {
        var seen = first
        var pending = first
        while let command = pending.first {
            pending.removeFirst()
            if case .run(let index, let action) = command {
                let next = planner.handle(ok(index, action))
                seen += next
                pending += next
            }
        }
        return seen
    }

    @Test func startsLeftToRightEachProbedWithVIPsFirst() {
        var p = planner()
        #expect(startAll(&p) == [
            .addVIPs, .run(resource: 0, action: .start), .run(resource: 0, action: .probe),
            .run(resource: 1, action: .start), .run(resource: 1, action: .probe),
            .run(resource: 2, action: .start), .run(resource: 2, action: .probe), .groupStarted,
        ])
        #expect(p.records.map(\.state) == [.started, .started, .started])
        #expect(p.isStarted && p.holdsVIPs)
    }

    @Test(arguments: [(1, 2), (3, 6)])
    func vipPositionInTheStartOrder(vipIndex: Int, expectedPosition: Int) {
        var p = planner(vipIndex: vipIndex)
        let commands = startAll(&p)
        #expect(commands.firstIndex(of: .addVIPs) == expectedPosition)
        #expect(commands.last == .groupStarted)
    }

    @Test func stopsRightToLeftAndReleasesVIPsAtTheirPosition() {
        var p = planner(vipIndex: 2)
        _ = startAll(&p)
        #expect(drain(&p, p.handle(.demote)) == [
            .run(resource: 2, action: .stop), .removeVIPs, .run(resource: 1, action: .stop),
            .run(resource: 0, action: .stop), .groupStopped,
        ])
        #expect(p.records.map(\.state) == [.stopped, .stopped, .stopped])
        #expect(!p.holdsVIPs)
    }

    @Test func demoteWithNothingRunningStillReportsStopped() {
        var p = planner()
        #expect(p.handle(.demote) == [.groupStopped])
        #expect(p.handle(.demote) == [.groupStopped])
    }

    @Test func failedStartRollsBackInReverseThenFailsOver() {
        var p = planner()
        _ = p.handle(.promote)
        _ = p.handle(ok(0, .start))
        _ = p.handle(ok(0, .probe))
        let failed = p.handle(.finished(resource: 1, action: .start, result: .failed(reason: "exit 1", hard: false)))
        #expect(failed == [.run(resource: 1, action: .stop)])
        #expect(p.handle(ok(1, .stop)) == [.run(resource: 0, action: .stop)])
        #expect(p.handle(ok(0, .stop)) == [.removeVIPs, .failOver(reason: "start of b failed: failure: exit 1")])
        #expect(p.refusesPromotion != nil)
        #expect(p.records[1].lastError == "start: failure: exit 1")
        #expect(p.records[1].totalFailures == 1)
        // Promotion is refused until cleanup; the fault is asked for again.
        #expect(p.handle(.promote) == [.failOver(reason: "start of b failed: failure: exit 1")])
        #expect(p.handle(.demote) == [.groupStopped])
        _ = p.handle(.cleanup)
        #expect(p.handle(.promote) == [.addVIPs, .run(resource: 0, action: .start)])
    }

    @Test(arguments: [AgentResult.notRunning, .failed(reason: "x", hard: false), .timedOut])
    func startNotConfirmedByItsProbeIsAFailedStart(probe: AgentResult) {
        var p = planner(["a"])
        _ = p.handle(.promote)
        #expect(p.handle(ok(0, .start)) == [.run(resource: 0, action: .probe)])
        #expect(p.handle(.finished(resource: 0, action: .probe, result: probe)) == [.run(resource: 0, action: .stop)])
        let end = p.handle(ok(0, .stop))
        #expect(end.first == .removeVIPs)
        guard case .failOver(let reason) = end.last else { Issue.record("no fail over: \(end)"); return }
        #expect(reason.hasPrefix("a is not running after its start"))
    }

    @Test func startTimeoutIsAFailedStart() {
        var p = planner(["a", "b"])
        _ = p.handle(.promote)
        #expect(p.handle(.finished(resource: 0, action: .start, result: .timedOut)) == [.run(resource: 0, action: .stop)])
        #expect(p.handle(ok(0, .stop)) == [.removeVIPs, .failOver(reason: "start of a failed: timed out")])
    }

    @Test func monitorFailureRestartsInPlaceWithWhatFollowsThenFailsOverAtTheThreshold() {
        var p = planner(threshold: 2)
        _ = startAll(&p)
        #expect(p.handle(.monitorDue(resource: 1)) == [.run(resource: 1, action: .monitor)])
        // First failure: stop c then b (b's dependents first), start b then c; the VIPs stay.
        let restart = p.handle(.finished(resource: 1, action: .monitor, result: .notRunning), now: 1_000)
        #expect(restart == [.run(resource: 2, action: .stop)])
        #expect(drain(&p, restart) == [
            .run(resource: 2, action: .stop), .run(resource: 1, action: .stop),
            .run(resource: 1, action: .start), .run(resource: 1, action: .probe),
            .run(resource: 2, action: .start), .run(resource: 2, action: .probe),
        ])
        #expect(p.records[1].failCount == 1 && p.holdsVIPs && p.isStarted)
        // Second failure reaches migration_threshold 2: everything stops in reverse, then fail over.
        _ = p.handle(.monitorDue(resource: 1))
        let over = p.handle(.finished(resource: 1, action: .monitor, result: .failed(reason: "exit 1", hard: false)), now: 2_000)
        let all = drain(&p, over)
        #expect(all.prefix(4) == [.run(resource: 2, action: .stop), .run(resource: 1, action: .stop),
                                  .run(resource: 0, action: .stop), .removeVIPs])
        #expect(all.last == .failOver(reason: "b failed 2 times (migration_threshold 2), last: failure: exit 1"))
        #expect(p.records[1].totalFailures == 2)
    }

    @Test func failuresOlderThanFailureTimeoutAreForgotten() {
        var p = planner(["a"], threshold: 2, failureTimeout: 100)
        _ = startAll(&p)
        for time in [Int64(0), 150, 300] {
            _ = p.handle(.monitorDue(resource: 0))
            let restart = p.handle(.finished(resource: 0, action: .monitor, result: .notRunning), now: time)
            #expect(restart == [.run(resource: 0, action: .stop)], "failure at \(time) restarts in place")
            _ = drain(&p, restart)
            #expect(p.records[0].failCount == 1)
        }
        #expect(p.records[0].totalFailures == 3)
    }

    @Test(arguments: [AgentResult.fatal(reason: "exit 6"), .failed(reason: "exit 5", hard: true)])
    func hardOrFatalMonitorFailureFailsOverAtOnce(result: AgentResult) {
        var p = planner(["a"], threshold: 5)
        _ = startAll(&p)
        _ = p.handle(.monitorDue(resource: 0))
        #expect(p.handle(.finished(resource: 0, action: .monitor, result: result)) == [.run(resource: 0, action: .stop)])
        #expect(p.handle(ok(0, .stop)) == [.removeVIPs, .failOver(reason: "a monitor: \(result)")])
    }

    @Test func monitorIsOnlyAskedForWhenIdleAndStarted() {
        var p = planner(["a", "b"])
        #expect(p.handle(.monitorDue(resource: 0)) == [])
        _ = p.handle(.promote)
        #expect(p.handle(.monitorDue(resource: 0)) == [], "a start is in flight")
        _ = drain(&p, [.run(resource: 0, action: .start)])
        #expect(p.handle(.monitorDue(resource: 0)) == [.run(resource: 0, action: .monitor)])
        #expect(p.handle(.monitorDue(resource: 1)) == [], "the monitor of a is in flight")
        #expect(p.handle(ok(0, .monitor)) == [])
    }

    @Test func stopFailureIsRetriedThenBlocksAndReleasesTheVIPs() {
        var p = planner(vipIndex: 1, retries: 1)
        _ = startAll(&p)
        _ = p.handle(.demote)
        _ = p.handle(ok(2, .stop))
        let fail = GroupEvent.finished(resource: 1, action: .stop, result: .timedOut)
        #expect(p.handle(fail) == [.run(resource: 1, action: .stop)], "one retry")
        #expect(p.handle(fail) == [.failOver(reason: "stop of b failed: blocked"), .removeVIPs])
        #expect(p.records.map(\.state) == [.started, .blocked, .stopped], "a stays: b stands on it")
        #expect(p.refusesPromotion == "stop of b failed: blocked")
        #expect(p.handle(.promote) == [.failOver(reason: "stop of b failed: blocked")])
        #expect(p.handle(.demote) == [], "nothing to do: b is left alone")
        #expect(p.handle(.cleanup) == [.run(resource: 1, action: .stop)], "cleanup retries the stop, then goes on down")
        #expect(p.handle(ok(1, .stop)) == [.run(resource: 0, action: .stop)])
        #expect(p.handle(ok(0, .stop)) == [.groupStopped])
        #expect(p.refusesPromotion == nil)
    }

    @Test func stopFailureFencesThenCarriesOn() {
        var p = planner(["a", "b"], retries: 0, fences: true)
        _ = startAll(&p)
        _ = p.handle(.demote)
        #expect(p.handle(.finished(resource: 1, action: .stop, result: .failed(reason: "exit 1", hard: false))) == [.fence(resource: 1)])
        #expect(p.records[1].state == .fencing)
        #expect(p.handle(.fenceFinished(resource: 1, succeeded: true)) == [.run(resource: 0, action: .stop)])
        #expect(p.handle(ok(0, .stop)) == [.removeVIPs, .groupStopped])
    }

    @Test func failedFencingBlocks() {
        var p = planner(["a"], retries: 0, fences: true)
        _ = startAll(&p)
        _ = p.handle(.demote)
        _ = p.handle(.finished(resource: 0, action: .stop, result: .timedOut))
        #expect(p.handle(.fenceFinished(resource: 0, succeeded: false)) == [.failOver(reason: "stop of a failed: blocked"), .removeVIPs])
        #expect(p.records[0].lastError == "fencing failed")
    }

    @Test func probesAtDaemonStartAdoptWhatRuns() {
        var p = planner()
        #expect(p.handle(.probeAll) == [.run(resource: 0, action: .probe)])
        #expect(p.handle(ok(0, .probe)) == [.run(resource: 1, action: .probe)])
        #expect(p.handle(.finished(resource: 1, action: .probe, result: .notRunning)) == [.run(resource: 2, action: .probe)])
        #expect(p.handle(.finished(resource: 2, action: .probe, result: .failed(reason: "exit 1", hard: false))) == [])
        #expect(p.records.map(\.state) == [.started, .stopped, .started])
        // Undecided: nothing is stopped or started until the instance says.
        #expect(p.handle(.monitorDue(resource: 0)) == [])
        // Promotion starts only b: a runs already, c is kept as running (its monitor will judge it).
        #expect(drain(&p, p.handle(.promote)) == [.addVIPs, .run(resource: 1, action: .start), .run(resource: 1, action: .probe), .groupStarted])
    }

    @Test func demoteDuringStartStopsOnceTheStartEnds() {
        var p = planner(["a", "b"])
        _ = p.handle(.promote)
        #expect(p.handle(.demote) == [], "the start of a is in flight")
        #expect(p.handle(ok(0, .start)) == [.run(resource: 0, action: .stop)], "no probe: it is not wanted any more")
        #expect(p.handle(ok(0, .stop)) == [.removeVIPs, .groupStopped])
    }

    @Test func promoteDuringStopStartsAgainOnceTheStopEnds() {
        var p = planner(["a"])
        _ = startAll(&p)
        #expect(p.handle(.demote) == [.run(resource: 0, action: .stop)])
        #expect(p.handle(.promote) == [])
        #expect(p.handle(ok(0, .stop)) == [.run(resource: 0, action: .start)])
    }

    @Test func staleResultsAreIgnored() {
        var p = planner(["a", "b"])
        _ = p.handle(.promote)
        #expect(p.handle(ok(1, .start)) == [])
        #expect(p.handle(.fenceFinished(resource: 0, succeeded: true)) == [])
        #expect(p.records[1].state == .stopped || p.records[1].state == .unknown)
    }

    @Test func stopSayingNotRunningCountsAsStopped() {
        var p = planner(["a"])
        _ = startAll(&p)
        _ = p.handle(.demote)
        #expect(p.handle(.finished(resource: 0, action: .stop, result: .notRunning)) == [.removeVIPs, .groupStopped])
    }

    @Test func durationsAreKept() {
        var p = planner(["a"])
        p.recordDuration(resource: 0, action: .start, nanoseconds: 42)
        #expect(p.records[0].lastDuration[.start] == 42)
    }
}

/// The operator's requests: restart in place, cleanup of one resource, and the phase shown by status.
extension GroupPlannerTests {
    @Test func restartInPlaceStopsWhatStandsOnItThenStartsInOrderKeepingTheVIPs() {
        var p = planner()
        _ = startAll(&p)
        let first = p.handle(.restart(resource: 1))
        #expect(first == [.run(resource: 2, action: .stop)], "c stands on b: it stops first")
        #expect(drain(&p, first) == [
            .run(resource: 2, action: .stop), .run(resource: 1, action: .stop),
            .run(resource: 1, action: .start), .run(resource: 1, action: .probe),
            .run(resource: 2, action: .start), .run(resource: 2, action: .probe),
        ], "a untouched, no VIP change, no second groupStarted")
        #expect(p.records.map(\.state) == [.started, .started, .started])
        #expect(p.isStarted && p.holdsVIPs && p.phase == .running)
    }

    @Test func restartOfTheTopResourceTouchesOnlyIt() {
        var p = planner()
        _ = startAll(&p)
        #expect(drain(&p, p.handle(.restart(resource: 2))) == [
            .run(resource: 2, action: .stop), .run(resource: 2, action: .start), .run(resource: 2, action: .probe),
        ])
    }

    @Test func restartIsIgnoredUnlessTheGroupRuns() {
        var p = planner()
        #expect(p.handle(.restart(resource: 0)) == [], "not promoted")
        _ = p.handle(.promote)
        #expect(p.handle(.restart(resource: 0)) == [], "still starting: a is in flight")
        #expect(p.phase == .starting)
        _ = drain(&p, p.handle(ok(0, .start)))
        #expect(p.phase == .running)
        _ = drain(&p, p.handle(.demote))
        #expect(p.handle(.restart(resource: 0)) == [], "stopped")
        #expect(p.phase == .stopped)
    }

    @Test func resourceCleanupLiftsTheRefusalOnceNoFailureIsLeft() {
        var p = planner()
        _ = p.handle(.promote)
        _ = p.handle(ok(0, .start))
        _ = p.handle(ok(0, .probe))
        let failed = p.handle(.finished(resource: 1, action: .start, result: .failed(reason: "exit 1", hard: false)))
        _ = drain(&p, failed)
        // The fault it raised takes the router out of MASTER: the daemon demotes.
        #expect(p.handle(.demote) == [.groupStopped])
        #expect(p.phase == .failed)
        _ = p.handle(.cleanupResource(0))
        #expect(p.refusesPromotion != nil, "a had no failure; b's is still there")
        _ = p.handle(.cleanupResource(1))
        #expect(p.refusesPromotion == nil)
        #expect(p.records[1].lastError == nil && !p.records[1].hasFailure)
        #expect(p.records[1].totalFailures == 1, "the lifetime count stays")
        #expect(p.phase == .stopped)
        #expect(p.handle(.promote) == [.addVIPs, .run(resource: 0, action: .start)])
    }

    @Test func cleanupResetsTheFailCountOfAMonitorFailure() {
        var p = planner(threshold: 3)
        _ = startAll(&p)
        #expect(p.handle(.monitorDue(resource: 0)) == [.run(resource: 0, action: .monitor)])
        _ = drain(&p, p.handle(.finished(resource: 0, action: .monitor, result: .notRunning), now: 5))
        #expect(p.records[0].failCount == 1 && p.records[0].lastError == "monitor: not running")
        _ = p.handle(.cleanup)
        #expect(p.records[0].failCount == 0 && p.records[0].lastError == nil)
        #expect(p.phase == .running)
    }

    @Test func phaseOfABlockedGroup() {
        var p = planner(["a", "b"], retries: 0)
        _ = startAll(&p)
        _ = p.handle(.demote)
        #expect(p.phase == .stopping)
        _ = p.handle(.finished(resource: 1, action: .stop, result: .timedOut))
        #expect(p.phase == .blocked)
    }

    @Test func recordsWhenEachActionLastFinished() {
        var p = planner(["a"])
        p.recordDuration(resource: 0, action: .monitor, nanoseconds: 7, finishedAt: 1_000)
        #expect(p.records[0].lastDuration[.monitor] == 7 && p.records[0].lastFinished[.monitor] == 1_000)
    }
}
