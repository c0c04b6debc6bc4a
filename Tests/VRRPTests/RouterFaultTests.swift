import Testing
@testable import VRRP

@Suite struct RouterFaultTests {
    @Test func masterFaultSendsPriorityZeroAndReleases() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        let actions = router.handle(.faultRaised, at: ms(5_000))
        #expect(actions == [
            .sendAdvertisement(advert(priority: 0)),
            .removeVirtualAddresses,
            .cancelTimer(.advert),
            .stateChanged(from: .master, to: .fault, reason: .faultRaised),
        ])
        // Adverts and stale timers do nothing in Fault.
        #expect(router.handle(.advertReceived(advert(priority: 50), from: peerAddress), at: ms(6_000)).isEmpty)
        #expect(router.handle(.timerFired(.advert), at: ms(9_000)).isEmpty)
        // Cleared: Backup with a full master-down wait from now.
        let cleared = router.handle(.faultCleared, at: ms(7_000))
        #expect(cleared == [
            .scheduleTimer(.masterDown, at: ns(10_609_375_000)),
            .stateChanged(from: .fault, to: .backup, reason: .faultCleared),
        ])
    }

    @Test func backupFaultSendsNothing() {
        var router = VirtualRouter(configuration: routerConfiguration())
        _ = router.handle(.startup, at: .zero)
        let actions = router.handle(.faultRaised, at: ms(1_000))
        #expect(actions == [.cancelTimer(.masterDown), .stateChanged(from: .backup, to: .fault, reason: .faultRaised)])
        #expect(router.handle(.faultRaised, at: ms(1_500)).isEmpty)
    }

    @Test func startingWhileFaultedGoesStraightToFault() {
        var router = VirtualRouter(configuration: routerConfiguration())
        #expect(router.handle(.faultRaised, at: .zero).isEmpty)
        #expect(router.handle(.startup, at: ms(10)) == [.stateChanged(from: .initialize, to: .fault, reason: .faultRaised)])
    }

    @Test func ownerLeavesFaultAsMaster() {
        var router = VirtualRouter(configuration: routerConfiguration(priority: 255))
        _ = router.handle(.startup, at: .zero)
        _ = router.handle(.faultRaised, at: ms(1_000))
        #expect(router.handle(.faultCleared, at: ms(2_000)).stateChanges == [.master])
    }

    @Test func faultDuringHandoffReleasesAtOnce() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        _ = router.handle(.giveUp, at: ms(5_000))
        let actions = router.handle(.faultRaised, at: ms(5_100))
        // Priority 0 was already sent when the hand-off began.
        #expect(actions.sentPriorities.isEmpty)
        #expect(actions.contains(.removeVirtualAddresses))
        #expect(actions.stateChanges == [.fault])
    }
}
