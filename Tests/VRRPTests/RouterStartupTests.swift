import Testing
@testable import VRRP

@Suite struct RouterStartupTests {
    @Test func backupWaitsTheFullMasterDownInterval() {
        var router = VirtualRouter(configuration: routerConfiguration(priority: 100))
        let actions = router.handle(.startup, at: ms(1_000))
        // 1 s + 3 × 1 s + (156 / 256) s.
        #expect(actions == [
            .scheduleTimer(.masterDown, at: ns(4_609_375_000)),
            .stateChanged(from: .initialize, to: .backup, reason: .startup),
        ])
        let promoted = router.handle(.timerFired(.masterDown), at: ns(4_609_375_000))
        #expect(promoted == [
            .sendAdvertisement(advert(priority: 100)),
            .addVirtualAddresses,
            .announceVirtualAddresses(.becameMaster),
            .scheduleTimer(.advert, at: ns(5_609_375_000)),
            .stateChanged(from: .backup, to: .master, reason: .masterDownTimerExpired),
        ])
    }

    @Test func ownerBecomesMasterAtOnce() {
        var router = VirtualRouter(configuration: routerConfiguration(priority: 255))
        let actions = router.handle(.startup, at: ms(2_000))
        #expect(actions == [
            .sendAdvertisement(advert(priority: 255)),
            .addVirtualAddresses,
            .announceVirtualAddresses(.becameMaster),
            .scheduleTimer(.advert, at: ms(3_000)),
            .stateChanged(from: .initialize, to: .master, reason: .addressOwner),
        ])
    }

    @Test func stateMasterBelowOwnerWaitsOneIntervalPlusMinimumSkew() {
        var router = VirtualRouter(configuration: routerConfiguration(priority: 100, initialState: .master))
        let actions = router.handle(.startup, at: .zero)
        // 1 s + 1/256 s.
        #expect(actions.scheduled(.masterDown) == ns(1_003_906_250))
        #expect(actions.stateChanges == [.backup])

        var v3 = VirtualRouter(configuration: routerConfiguration(priority: 100, version: .v3, interval: 10, initialState: .master))
        // 100 ms + 100 ms / 256.
        #expect(v3.handle(.startup, at: .zero).scheduled(.masterDown) == ns(100_390_625))
    }

    @Test func stateMasterStillHearsALiveMasterFirst() {
        var router = VirtualRouter(configuration: routerConfiguration(priority: 100, initialState: .master))
        _ = router.handle(.startup, at: .zero)
        // The live master's advert within the first interval resets the wait to the full interval.
        let actions = router.handle(.advertReceived(advert(priority: 150), from: peerAddress), at: ms(400))
        #expect(actions.scheduled(.masterDown) == ns(4_009_375_000))
        #expect(router.state == .backup)
    }

    @Test func startupIsIgnoredOnceStarted() {
        var router = VirtualRouter(configuration: routerConfiguration())
        _ = router.handle(.startup, at: .zero)
        #expect(router.handle(.startup, at: ms(10)).isEmpty)
    }

    @Test func shutdownFromBackupStopsAtOnce() {
        var router = VirtualRouter(configuration: routerConfiguration())
        _ = router.handle(.startup, at: .zero)
        let actions = router.handle(.shutdown, at: ms(500))
        #expect(actions == [.cancelTimer(.masterDown), .stateChanged(from: .backup, to: .initialize, reason: .stopped)])
        // A restart is a fresh start.
        #expect(router.handle(.startup, at: ms(600)).scheduled(.masterDown) == ns(4_209_375_000))
    }

    @Test func eventsBeforeStartupChangeNothing() {
        var router = VirtualRouter(configuration: routerConfiguration())
        #expect(router.handle(.advertReceived(advert(priority: 50), from: peerAddress), at: .zero).isEmpty)
        #expect(router.handle(.timerFired(.masterDown), at: ms(99_000)).isEmpty)
        #expect(router.handle(.shutdown, at: .zero).isEmpty)
        #expect(router.state == .initialize)
    }
}
