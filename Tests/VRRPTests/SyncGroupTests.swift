import HaloNet
import Testing
@testable import VRRP

@Suite struct SyncGroupTests {
    func group() -> SyncGroup {
        var second = routerConfiguration(priority: 100)
        second.virtualRouterID = 52
        return SyncGroup(members: [routerConfiguration(priority: 100), second])
    }

    func transitions(_ actions: [SyncGroup.MemberAction]) -> [String] {
        actions.compactMap { if case .stateChanged(_, let to, _) = $0.action { "\($0.member):\(to)" } else { nil } }
    }

    func advert52(priority: UInt8) -> Advertisement {
        var ad = advert(priority: priority)
        ad.virtualRouterID = 52
        return ad
    }

    /// Both members started at 0; each master-down timer runs out at 3.609375 s.
    func bothWaiting() -> SyncGroup {
        var g = group()
        _ = g.handleForAll(.startup, at: .zero)
        return g
    }

    @Test func membersBecomeMasterOnlyTogether() {
        var g = bothWaiting()
        let first = g.handle(.timerFired(.masterDown), member: 0, at: ns(3_609_375_000))
        #expect(transitions(first).isEmpty)
        #expect(g.members[0].wantsMaster && g.members[0].state == .backup)
        let second = g.handle(.timerFired(.masterDown), member: 1, at: ns(3_609_375_001))
        #expect(transitions(second) == ["1:MASTER", "0:MASTER"] || transitions(second) == ["0:MASTER", "1:MASTER"])
        #expect(second.filter { $0.action == .addVirtualAddresses }.count == 2)
    }

    @Test func aMemberHearingAMasterWithdrawsItsWish() {
        var g = bothWaiting()
        _ = g.handle(.timerFired(.masterDown), member: 0, at: ns(3_609_375_000))
        _ = g.handle(.advertReceived(advert(priority: 150), from: peerAddress), member: 0, at: ms(3_700))
        #expect(!g.members[0].wantsMaster)
        // Member 1's expiry alone promotes nobody.
        #expect(transitions(g.handle(.timerFired(.masterDown), member: 1, at: ms(3_800))).isEmpty)
    }

    @Test func oneMemberYieldingPullsTheOthers() {
        var g = bothWaiting()
        _ = g.handle(.timerFired(.masterDown), member: 0, at: ns(3_609_375_000))
        _ = g.handle(.timerFired(.masterDown), member: 1, at: ns(3_609_375_000))
        let actions = g.handle(.advertReceived(advert52(priority: 200), from: peerAddress), member: 1, at: ms(5_000))
        #expect(transitions(actions) == ["1:BACKUP", "0:BACKUP"])
        #expect(actions.filter { $0.action == .removeVirtualAddresses }.count == 2)
    }

    @Test func oneMemberFaultPullsTheOthersIntoFault() {
        var g = bothWaiting()
        _ = g.handle(.timerFired(.masterDown), member: 0, at: ns(3_609_375_000))
        _ = g.handle(.timerFired(.masterDown), member: 1, at: ns(3_609_375_000))
        let actions = g.handle(.faultRaised, member: 0, at: ms(5_000))
        #expect(transitions(actions) == ["0:FAULT", "1:FAULT"])
        // Both masters tell their backups to take over quickly.
        #expect(actions.filter { if case .sendAdvertisement(let ad) = $0.action { ad.priority == 0 } else { false } }.count == 2)
        let cleared = g.handle(.faultCleared, member: 0, at: ms(6_000))
        #expect(Set(transitions(cleared)) == ["0:BACKUP", "1:BACKUP"])
    }

    @Test func faultedPeerKeepsTheGroupInFaultUntilItClears() {
        var g = bothWaiting()
        _ = g.handle(.faultRaised, member: 0, at: ms(1_000))
        _ = g.handle(.faultRaised, member: 1, at: ms(1_100))
        #expect(transitions(g.handle(.faultCleared, member: 0, at: ms(2_000))).isEmpty)
        #expect(Set(transitions(g.handle(.faultCleared, member: 1, at: ms(3_000)))) == ["0:BACKUP", "1:BACKUP"])
    }

    @Test func oneMemberGivingUpHandsOffTheWholeGroup() {
        var g = bothWaiting()
        _ = g.handle(.timerFired(.masterDown), member: 0, at: ns(3_609_375_000))
        _ = g.handle(.timerFired(.masterDown), member: 1, at: ns(3_609_375_000))
        let actions = g.handle(.giveUp, member: 0, at: ms(5_000))
        #expect(transitions(actions) == ["0:HANDOFF", "1:HANDOFF"])
        // Make-before-break for both: nothing removed yet.
        #expect(!actions.contains { $0.action == .removeVirtualAddresses })
        let released = g.handle(.advertReceived(advert52(priority: 90), from: peerAddress), member: 1, at: ms(5_300))
        #expect(transitions(released) == ["1:BACKUP"])
        #expect(g.members[0].state == .handingOff)
    }
}
