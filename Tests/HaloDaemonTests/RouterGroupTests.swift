@testable import HaloDaemon
import HaloNet
import Testing
import VRRP

/// The engine's view of a standalone router or a sync group: the same actions
/// as driving the VRRP values directly, appended to a buffer the engine reuses.
@Suite struct RouterGroupTests {
    private func configuration(_ vrid: UInt8, priority: UInt8 = 100) -> RouterConfiguration {
        RouterConfiguration(virtualRouterID: vrid, primaryAddress: IPAddress("192.0.2.1")!,
                            virtualAddresses: [IPAddress("192.0.2.\(vrid)")!], basePriority: priority)
    }

    /// Startup, promotion by the master-down timer, then three adverts.
    private func events(for router: VirtualRouter) -> [(RouterEvent, VRRPInstant)] {
        var router = router
        _ = router.handle(.startup, at: .zero)
        let down = router.deadline(of: .masterDown)!
        _ = router.handle(.timerFired(.masterDown), at: down)
        var list: [(RouterEvent, VRRPInstant)] = [(.startup, .zero), (.timerFired(.masterDown), down)]
        var advert = router.deadline(of: .advert)!
        for _ in 0..<3 {
            list.append((.timerFired(.advert), advert))
            _ = router.handle(.timerFired(.advert), at: advert)
            advert = router.deadline(of: .advert)!
        }
        return list
    }

    @Test func aStandaloneRouterGivesItsActionsForMemberZero() {
        var reference = VirtualRouter(configuration: configuration(51))
        var group = RouterGroup(members: [configuration(51)])
        var buffer = GroupActions()
        for (event, now) in events(for: reference) {
            let expected = reference.handle(event, at: now)
            buffer.removeAll()
            group.handle(event, member: 0, at: now, into: &buffer)
            var got: [RouterAction] = []
            buffer.forEach { member, action in
                #expect(member == 0)
                got.append(action)
            }
            #expect(got == expected)
        }
        #expect(group.router(0).state == .master)
        #expect(group.routers.count == 1)
    }

    @Test func aSyncGroupGivesEachMembersActions() {
        let members = [configuration(51), configuration(52)]
        var reference = SyncGroup(members: members)
        var group = RouterGroup(members: members)
        var buffer = GroupActions()
        let now = VRRPInstant.zero
        let expected = reference.handleForAll(.startup, at: now)
        group.handleForAll(.startup, at: now, into: &buffer)
        var got: [(member: Int, action: RouterAction)] = []
        buffer.forEach { got.append(($0, $1)) }
        #expect(got.map(\.member) == expected.map(\.member))
        #expect(got.map(\.action) == expected.map(\.action))
        #expect(Set(got.map(\.member)) == [0, 1])
        #expect(group.routers.map(\.state) == [.backup, .backup])
    }

    @Test func emptyingTheBufferKeepsNothingOfTheLastEvent() {
        var group = RouterGroup(members: [configuration(51)])
        var buffer = GroupActions()
        group.handle(.startup, member: 0, at: .zero, into: &buffer)
        #expect(!buffer.isEmpty)
        buffer.removeAll()
        #expect(buffer.isEmpty)
        buffer.removeAll()  // emptying an empty buffer is harmless
        #expect(buffer.isEmpty)
    }
}
