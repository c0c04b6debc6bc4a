import Testing
@testable import VRRP

@Suite struct HandoffTests {
    @Test func giveUpKeepsAddressesUntilTheSuccessorIsHeard() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        let start = router.handle(.giveUp, at: ms(10_000))
        #expect(start == [
            .sendAdvertisement(advert(priority: 0)),
            .scheduleTimer(.advert, at: ms(11_000)),
            .scheduleTimer(.handoffBound, at: ms(13_000)),
            .stateChanged(from: .master, to: .handingOff, reason: .handoffStarted(.giveUp)),
        ])
        #expect(!start.contains(.removeVirtualAddresses))
        // Another leaver's priority 0 is not a successor.
        #expect(router.handle(.advertReceived(advert(priority: 0), from: peerAddress), at: ms(10_100)).isEmpty)
        let done = router.handle(.advertReceived(advert(priority: 90), from: peerAddress), at: ms(10_648))
        #expect(done == [
            .removeVirtualAddresses,
            .cancelTimer(.advert),
            .cancelTimer(.handoffBound),
            .stateChanged(from: .handingOff, to: .backup, reason: .successorHeard(peerAddress)),
        ])
        #expect(router.isWithdrawn)
    }

    @Test func withdrawnBackupStaysOutUntilRejoin() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        _ = router.handle(.giveUp, at: ms(10_000))
        _ = router.handle(.advertReceived(advert(priority: 90), from: peerAddress), at: ms(10_500))
        // Lower priority is not preempted and no timer runs while withdrawn.
        #expect(router.handle(.advertReceived(advert(priority: 90), from: peerAddress), at: ms(11_500)).isEmpty)
        #expect(router.handle(.advertReceived(advert(priority: 0), from: peerAddress), at: ms(12_000)).isEmpty)
        #expect(router.deadline(of: .masterDown) == nil)
        #expect(router.handle(.rejoin, at: ms(20_000)) == [.scheduleTimer(.masterDown, at: ns(23_609_375_000))])
        #expect(router.handle(.rejoin, at: ms(20_001)).isEmpty)
    }

    @Test func boundElapsesWithoutSuccessorRepeatingPriorityZero() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        _ = router.handle(.giveUp, at: ms(10_000))
        // Priority 0 is repeated each interval until the bound (3 × 1 s).
        #expect(router.handle(.timerFired(.advert), at: ms(11_000)).sentPriorities == [0])
        #expect(router.handle(.timerFired(.advert), at: ms(12_000)).sentPriorities == [0])
        let done = router.handle(.timerFired(.handoffBound), at: ms(13_000))
        #expect(done == [
            .removeVirtualAddresses,
            .cancelTimer(.advert),
            .stateChanged(from: .handingOff, to: .backup, reason: .handoffBoundElapsed),
        ])
    }

    @Test func configuredBound() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100, handoffBound: .milliseconds(500)))
        #expect(router.handle(.giveUp, at: ms(10_000)).scheduled(.handoffBound) == ms(10_500))
    }

    @Test func shutdownHandsOffThenStops() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        #expect(router.handle(.shutdown, at: ms(10_000)).stateChanges == [.handingOff])
        #expect(router.handoffPurpose == .shutdown)
        let done = router.handle(.advertReceived(advert(priority: 90), from: peerAddress), at: ms(10_700))
        #expect(done.stateChanges == [.initialize])
        #expect(done.contains(.removeVirtualAddresses))
    }

    @Test func shutdownDuringGiveUpEndsInInitialize() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        _ = router.handle(.giveUp, at: ms(10_000))
        #expect(router.handle(.shutdown, at: ms(10_100)).isEmpty)
        #expect(router.handle(.timerFired(.handoffBound), at: ms(13_000)).stateChanges == [.initialize])
    }

    /// Two routers wired by hand: A (100) gives up at 10 s; B (90) hears priority 0,
    /// waits Skew_Time (166/256 s) and takes over at 10.6484375 s; A releases when
    /// B's first advert arrives. Both hold the addresses only in between.
    @Test func twoRouterPlannedFailoverTimeline() {
        var (a, _) = masterRouter(routerConfiguration(priority: 100, address: highAddress))
        var b = VirtualRouter(configuration: routerConfiguration(priority: 90, address: lowAddress))
        _ = b.handle(.startup, at: .zero)
        _ = b.handle(.advertReceived(advert(priority: 100), from: highAddress), at: ms(9_609))

        let leaving = a.handle(.giveUp, at: ms(10_000))
        let zero = leaving.compactMap { if case .sendAdvertisement(let ad) = $0 { ad } else { nil } }[0]
        let armed = b.handle(.advertReceived(zero, from: highAddress), at: ms(10_000))
        #expect(armed.scheduled(.masterDown) == ns(10_648_437_500))
        let takeover = b.handle(.timerFired(.masterDown), at: ns(10_648_437_500))
        #expect(takeover.contains(.addVirtualAddresses))
        #expect(a.state.holdsVirtualAddresses && b.state.holdsVirtualAddresses)
        let first = takeover.compactMap { if case .sendAdvertisement(let ad) = $0 { ad } else { nil } }[0]
        let released = a.handle(.advertReceived(first, from: lowAddress), at: ns(10_648_437_500))
        #expect(released.contains(.removeVirtualAddresses))
        #expect(!a.state.holdsVirtualAddresses && b.state == .master)
    }

    @Test func giveUpFromBackupWithdrawsWithoutStateChange() {
        var router = VirtualRouter(configuration: routerConfiguration())
        _ = router.handle(.startup, at: .zero)
        #expect(router.handle(.giveUp, at: ms(1_000)) == [.cancelTimer(.masterDown)])
        #expect(router.isWithdrawn && router.state == .backup)
    }
}
