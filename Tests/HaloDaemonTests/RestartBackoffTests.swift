@testable import HaloDaemon
import Testing

/// The wait before `notify_fifo_script` is started again.
@Suite struct RestartBackoffTests {
    static let second: Int64 = 1_000_000_000

    @Test func doublesFromOneSecondUpToThirty() {
        var backoff = RestartBackoff()
        let delays = (0..<8).map { _ in backoff.delay(afterRunning: 0) / Self.second }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30, 30])
    }

    @Test func aLongRunStartsOverFromOneSecond() {
        var backoff = RestartBackoff()
        for _ in 0..<4 { _ = backoff.delay(afterRunning: Self.second) }
        #expect(backoff.delay(afterRunning: 29 * Self.second) == 16 * Self.second)
        #expect(backoff.delay(afterRunning: 30 * Self.second) == Self.second)
        #expect(backoff.delay(afterRunning: 0) == 2 * Self.second)
    }
}
