@testable import HaloDaemon
import Testing

/// keepalived's rise/fall counter for a `vrrp_script`.
@Suite struct ScriptHealthTests {
    /// Feeds results in order; returns the status after each.
    private func statuses(rise: Int, fall: Int, initiallyFailed: Bool = false, _ results: [Bool]) -> [ScriptHealth.Status] {
        var health = ScriptHealth(rise: rise, fall: fall, initiallyFailed: initiallyFailed)
        return results.map { success in
            _ = health.record(success: success)
            return health.status
        }
    }

    @Test func startsUnknownAtRiseMinusOneSoOneSuccessMakesItUp() {
        #expect(ScriptHealth(rise: 3, fall: 2, initiallyFailed: false).status == .unknown)
        #expect(statuses(rise: 3, fall: 2, [true]) == [.up])
        #expect(statuses(rise: 1, fall: 1, [true]) == [.up])
    }

    @Test func theFirstFailureFromTheStartMakesItDown() {
        #expect(statuses(rise: 3, fall: 5, [false]) == [.down])
    }

    @Test func upNeedsFallFailuresInARowToGoDown() {
        #expect(statuses(rise: 2, fall: 3, [true, false, false, false]) == [.up, .up, .up, .down])
        // A success in between refills the counter.
        #expect(statuses(rise: 2, fall: 3, [true, false, false, true, false, false, false])
            == [.up, .up, .up, .up, .up, .up, .down])
    }

    @Test func downNeedsRiseSuccessesInARowToComeUp() {
        #expect(statuses(rise: 3, fall: 1, [true, false, true, true, true]) == [.up, .down, .down, .down, .up])
        // A failure in between empties the counter.
        #expect(statuses(rise: 3, fall: 1, [false, true, true, false, true, true, true])
            == [.down, .down, .down, .down, .down, .down, .up])
    }

    @Test func initFailStartsDownAndNeedsAllRiseSuccesses() {
        #expect(ScriptHealth(rise: 3, fall: 2, initiallyFailed: true).status == .down)
        #expect(statuses(rise: 3, fall: 2, initiallyFailed: true, [true, true, true]) == [.down, .down, .up])
        #expect(statuses(rise: 1, fall: 2, initiallyFailed: true, [true]) == [.up])
    }

    @Test func recordSaysWhetherTheStatusChanged() {
        var health = ScriptHealth(rise: 1, fall: 2, initiallyFailed: false)
        let changes = [true, true, false, false, false].map { health.record(success: $0) }
        #expect(changes == [true, false, false, true, false])
    }

    @Test func riseAndFallBelowOneCountAsOne() {
        let health = ScriptHealth(rise: 0, fall: -2, initiallyFailed: false)
        #expect(health.rise == 1 && health.fall == 1)
        #expect(statuses(rise: 0, fall: 0, [true, false, true]) == [.up, .down, .up])
    }
}
