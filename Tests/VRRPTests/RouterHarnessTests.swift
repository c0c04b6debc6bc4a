import HaloNet
import Testing
@testable import VRRP

// Helpers shared by the state machine tests, plus the timer-hygiene tests.

let lowAddress = IPAddress("192.0.2.1")!
let highAddress = IPAddress("192.0.2.2")!
let peerAddress = IPAddress("192.0.2.9")!
let virtualAddress = IPAddress("192.0.2.100")!

func ms(_ value: Int64) -> VRRPInstant { VRRPInstant(nanoseconds: value * 1_000_000) }
func ns(_ value: Int64) -> VRRPInstant { VRRPInstant(nanoseconds: value) }

func routerConfiguration(
    priority: UInt8 = 100, version: VRRPVersion = .v2, interval: UInt16 = 100, address: IPAddress = lowAddress,
    initialState: RouterConfiguration.InitialState = .backup, preempt: Bool = true, preemptDelay: VRRPDuration = .zero,
    advertiseOnLowerPriority: Bool = true, handoffBound: VRRPDuration? = nil
) -> RouterConfiguration {
    RouterConfiguration(
        virtualRouterID: 51, version: version, primaryAddress: address, virtualAddresses: [virtualAddress],
        basePriority: priority, advertIntervalCentiseconds: interval, initialState: initialState, preempt: preempt,
        preemptDelay: preemptDelay, advertiseOnLowerPriority: advertiseOnLowerPriority, handoffBound: handoffBound)
}

func advert(priority: UInt8, version: VRRPVersion = .v2, interval: UInt16 = 100) -> Advertisement {
    Advertisement(version: version, virtualRouterID: 51, priority: priority, intervalCentiseconds: interval, addresses: [virtualAddress])
}

/// A router started at t=0 and promoted by its master-down timer; returns it and the promotion instant.
func masterRouter(_ configuration: RouterConfiguration) -> (VirtualRouter, VRRPInstant) {
    var router = VirtualRouter(configuration: configuration)
    _ = router.handle(.startup, at: .zero)
    let deadline = router.deadline(of: .masterDown)!
    _ = router.handle(.timerFired(.masterDown), at: deadline)
    return (router, deadline)
}

extension Array where Element == RouterAction {
    var sentPriorities: [UInt8] {
        compactMap { if case .sendAdvertisement(let advert) = $0 { advert.priority } else { nil } }
    }
    var stateChanges: [RouterState] {
        compactMap { if case .stateChanged(_, let to, _) = $0 { to } else { nil } }
    }
    func scheduled(_ timer: RouterTimer) -> VRRPInstant? {
        for case .scheduleTimer(let armed, let deadline) in self where armed == timer { return deadline }
        return nil
    }
}

@Suite struct RouterTimerHygieneTests {
    @Test func earlyOrStaleFiringsAreIgnored() {
        var router = VirtualRouter(configuration: routerConfiguration())
        _ = router.handle(.startup, at: .zero)
        // Master-down deadline at 3.609375 s (v2, priority 100).
        #expect(router.handle(.timerFired(.masterDown), at: ns(3_609_374_999)).isEmpty)
        #expect(router.handle(.timerFired(.advert), at: ms(5_000)).isEmpty)
        #expect(router.state == .backup)
        #expect(router.handle(.timerFired(.masterDown), at: ns(3_609_375_000)).stateChanges == [.master])
    }

    @Test func rescheduledTimerFiresOnlyAtItsNewDeadline() {
        var router = VirtualRouter(configuration: routerConfiguration())
        _ = router.handle(.startup, at: .zero)
        _ = router.handle(.advertReceived(advert(priority: 150), from: peerAddress), at: ms(1_000))
        // The old deadline (3.609375 s) is stale after the advert moved it to 4.609375 s.
        #expect(router.handle(.timerFired(.masterDown), at: ns(3_609_375_000)).isEmpty)
        #expect(router.deadline(of: .masterDown) == ns(4_609_375_000))
    }

    @Test func advertCadenceKeepsPhaseDespiteLateFiring() {
        var (router, promoted) = masterRouter(routerConfiguration())
        #expect(promoted == ns(3_609_375_000))
        // Fired 2 ms late: the next deadline stays on the 1 s grid.
        let actions = router.handle(.timerFired(.advert), at: ns(4_611_375_000))
        #expect(actions.sentPriorities == [100])
        #expect(actions.scheduled(.advert) == ns(5_609_375_000))
        // Fired more than one interval late: restart the cadence from now.
        let late = router.handle(.timerFired(.advert), at: ns(7_000_000_000))
        #expect(late.scheduled(.advert) == ns(8_000_000_000))
    }
}
