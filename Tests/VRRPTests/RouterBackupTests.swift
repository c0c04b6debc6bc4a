import Testing
@testable import VRRP

@Suite struct RouterBackupTests {
    func startedBackup(_ configuration: RouterConfiguration) -> VirtualRouter {
        var router = VirtualRouter(configuration: configuration)
        _ = router.handle(.startup, at: .zero)
        return router
    }

    @Test func higherOrEqualPriorityResetsTheDownTimer() {
        var router = startedBackup(routerConfiguration(priority: 100))
        #expect(router.handle(.advertReceived(advert(priority: 150), from: peerAddress), at: ms(1_000)) == [
            .scheduleTimer(.masterDown, at: ns(4_609_375_000)),
        ])
        #expect(router.handle(.advertReceived(advert(priority: 100), from: peerAddress), at: ms(2_000)).scheduled(.masterDown) == ns(5_609_375_000))
        #expect(router.lastMasterHeard == peerAddress)
    }

    @Test func preemptIgnoresLowerPriorityAndTakesOverAtMasterDown() {
        var router = startedBackup(routerConfiguration(priority: 100))
        _ = router.handle(.advertReceived(advert(priority: 150), from: peerAddress), at: ms(1_000))
        // The master drops to 50: its adverts no longer reset the timer armed at 1 s.
        #expect(router.handle(.advertReceived(advert(priority: 50), from: peerAddress), at: ms(2_000)).isEmpty)
        #expect(router.handle(.advertReceived(advert(priority: 50), from: peerAddress), at: ms(3_000)).isEmpty)
        #expect(router.deadline(of: .masterDown) == ns(4_609_375_000))
        #expect(router.handle(.timerFired(.masterDown), at: ns(4_609_375_000)).stateChanges == [.master])
    }

    @Test func nopreemptAcceptsLowerPriority() {
        var router = startedBackup(routerConfiguration(priority: 100, preempt: false))
        let actions = router.handle(.advertReceived(advert(priority: 50), from: peerAddress), at: ms(2_000))
        #expect(actions.scheduled(.masterDown) == ns(5_609_375_000))
    }

    @Test func priorityZeroArmsSkewTime() {
        var router = startedBackup(routerConfiguration(priority: 100))
        _ = router.handle(.advertReceived(advert(priority: 150), from: peerAddress), at: ms(1_000))
        // 2 s + 156/256 s.
        #expect(router.handle(.advertReceived(advert(priority: 0), from: peerAddress), at: ms(2_000)) == [
            .scheduleTimer(.masterDown, at: ns(2_609_375_000)),
        ])
    }

    @Test func v3LearnsTheMasterAdvertInterval() {
        var router = startedBackup(routerConfiguration(priority: 100, version: .v3, interval: 100))
        // Master advertises every 50 cs: down = 3 × 0.5 s + 156 × 0.5 s / 256 = 1.8046875 s.
        let actions = router.handle(.advertReceived(advert(priority: 200, version: .v3, interval: 50), from: peerAddress), at: ms(1_000))
        #expect(router.masterAdvertInterval == .centiseconds(50))
        #expect(actions.scheduled(.masterDown) == ns(2_804_687_500))
        // Priority 0 then uses the learned interval: 156 × 0.5 s / 256 = 0.3046875 s.
        let zero = router.handle(.advertReceived(advert(priority: 0, version: .v3, interval: 50), from: peerAddress), at: ms(2_000))
        #expect(zero.scheduled(.masterDown) == ns(2_304_687_500))
    }

    @Test func v2DoesNotLearnTheInterval() {
        var router = startedBackup(routerConfiguration(priority: 100, version: .v2, interval: 100))
        _ = router.handle(.advertReceived(advert(priority: 200, interval: 200), from: peerAddress), at: ms(1_000))
        #expect(router.masterAdvertInterval == .seconds(1))
    }

    @Test func preemptDelayKeepsAcceptingLowerPriorityUntilItElapses() {
        var router = startedBackup(routerConfiguration(priority: 100, preemptDelay: .seconds(10)))
        // preempt_delay counts from startup: deadline 10 s.
        #expect(router.deadline(of: .preemptDelay) == ms(10_000))
        for second in Int64(1)...9 {
            let actions = router.handle(.advertReceived(advert(priority: 50), from: peerAddress), at: ms(second * 1_000))
            #expect(actions.scheduled(.masterDown) == ns(second * 1_000_000_000 + 3_609_375_000))
        }
        #expect(router.handle(.timerFired(.preemptDelay), at: ms(10_000)).isEmpty)
        // From now on lower priority is ignored: the deadline set at 9 s stands.
        #expect(router.handle(.advertReceived(advert(priority: 50), from: peerAddress), at: ms(10_000)).isEmpty)
        #expect(router.handle(.advertReceived(advert(priority: 50), from: peerAddress), at: ms(11_000)).isEmpty)
        #expect(router.handle(.timerFired(.masterDown), at: ns(12_609_375_000)).stateChanges == [.master])
    }

    @Test func higherPriorityRestartsThePreemptDelayOnTheNextLowerMaster() {
        var router = startedBackup(routerConfiguration(priority: 100, preemptDelay: .seconds(10)))
        #expect(router.handle(.advertReceived(advert(priority: 200), from: peerAddress), at: ms(1_000)).contains(.cancelTimer(.preemptDelay)))
        #expect(router.deadline(of: .preemptDelay) == nil)
        // A lower master appears at 20 s: the delay runs from there, to 30 s.
        let actions = router.handle(.advertReceived(advert(priority: 50), from: peerAddress), at: ms(20_000))
        #expect(actions.scheduled(.preemptDelay) == ms(30_000))
        #expect(actions.scheduled(.masterDown) == ns(23_609_375_000))
    }

    @Test func raisedPriorityPreemptsALowerMaster() {
        var router = startedBackup(routerConfiguration(priority: 100))
        _ = router.handle(.advertReceived(advert(priority: 120), from: peerAddress), at: ms(1_000))
        _ = router.handle(.trackerWeightChanged(50), at: ms(1_500))
        #expect(router.effectivePriority == 150)
        // Now 120 is lower: ignored, the timer armed at 1 s (with priority 100's skew) runs out.
        #expect(router.handle(.advertReceived(advert(priority: 120), from: peerAddress), at: ms(2_000)).isEmpty)
        #expect(router.handle(.timerFired(.masterDown), at: ns(4_609_375_000)).stateChanges == [.master])
    }
}
