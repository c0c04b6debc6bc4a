import Testing
@testable import VRRP

@Suite struct RouterMasterTests {
    // masterRouter(priority 100, v2, 1 s) is promoted at 3.609375 s.

    @Test func yieldsToHigherPriority() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        let actions = router.handle(.advertReceived(advert(priority: 150), from: peerAddress), at: ms(5_000))
        #expect(actions == [
            .sendAdvertisement(advert(priority: 100)),
            .removeVirtualAddresses,
            .cancelTimer(.advert),
            .scheduleTimer(.masterDown, at: ns(8_609_375_000)),
            .stateChanged(from: .master, to: .backup, reason: .yielded(to: peerAddress, priority: 150)),
        ])
    }

    @Test func yieldsSilentlyWithoutHigherPrioSendAdvert() {
        var configuration = routerConfiguration(priority: 100)
        configuration.advertiseBeforeYielding = false
        var (router, _) = masterRouter(configuration)
        let actions = router.handle(.advertReceived(advert(priority: 150), from: peerAddress), at: ms(5_000))
        #expect(actions.sentPriorities.isEmpty)
        #expect(actions.stateChanges == [.backup])
    }

    @Test func equalPriorityFromGreaterAddressWins() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100, address: lowAddress))
        let actions = router.handle(.advertReceived(advert(priority: 100), from: highAddress), at: ms(5_000))
        #expect(actions.stateChanges == [.backup])
    }

    @Test func equalPriorityFromLowerAddressLoses() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100, address: highAddress))
        let actions = router.handle(.advertReceived(advert(priority: 100), from: lowAddress), at: ms(5_000))
        #expect(actions == [
            .sendAdvertisement(advert(priority: 100)),
            .scheduleTimer(.advert, at: ms(6_000)),
            .announceVirtualAddresses(.stayedMasterAfterConflict),
        ])
        #expect(router.state == .master)
    }

    @Test func lowerPriorityGetsAnAdvertAndAnAnnouncement() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        let actions = router.handle(.advertReceived(advert(priority: 80), from: peerAddress), at: ms(5_000))
        #expect(actions == [
            .sendAdvertisement(advert(priority: 100)),
            .scheduleTimer(.advert, at: ms(6_000)),
            .announceVirtualAddresses(.stayedMasterAfterConflict),
        ])
    }

    @Test func lowerPrioNoAdvertStillReannounces() {
        // Split-brain requirement: whether or not we answer, clients must learn our MAC.
        var (router, _) = masterRouter(routerConfiguration(priority: 100, advertiseOnLowerPriority: false))
        let actions = router.handle(.advertReceived(advert(priority: 80), from: peerAddress), at: ms(5_000))
        #expect(actions == [.announceVirtualAddresses(.stayedMasterAfterConflict)])
    }

    @Test func priorityZeroIsAnsweredAtOnce() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100))
        let actions = router.handle(.advertReceived(advert(priority: 0), from: peerAddress), at: ms(5_000))
        #expect(actions.sentPriorities == [100])
        #expect(actions.scheduled(.advert) == ms(6_000))
        #expect(actions.contains(.announceVirtualAddresses(.stayedMasterAfterConflict)))
        #expect(router.state == .master)
    }

    @Test func v3MasterYieldingLearnsTheInterval() {
        var (router, _) = masterRouter(routerConfiguration(priority: 100, version: .v3, interval: 100))
        // down = 3 × 2 s + 156 × 2 s / 256 = 7.21875 s after 10 s.
        let actions = router.handle(.advertReceived(advert(priority: 200, version: .v3, interval: 200), from: peerAddress), at: ms(10_000))
        #expect(actions.scheduled(.masterDown) == ns(17_218_750_000))
    }

    @Test func twoOwnersLowerAddressYields() {
        var router = VirtualRouter(configuration: routerConfiguration(priority: 255, address: lowAddress))
        _ = router.handle(.startup, at: .zero)
        let actions = router.handle(.advertReceived(advert(priority: 255), from: highAddress), at: ms(100))
        #expect(actions.stateChanges == [.backup])
        // Owners never move with trackers.
        _ = router.handle(.trackerWeightChanged(-100), at: ms(200))
        #expect(router.effectivePriority == 255)
    }

    @Test func loweredPriorityIsAdvertisedOnTheNextAdvert() {
        var (router, promoted) = masterRouter(routerConfiguration(priority: 100))
        _ = router.handle(.trackerWeightChanged(-30), at: promoted + .milliseconds(100))
        let actions = router.handle(.timerFired(.advert), at: promoted + .seconds(1))
        #expect(actions.sentPriorities == [70])
    }
}
