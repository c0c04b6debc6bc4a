import HaloLinux
import VRRP

/// A router group (one instance, or a sync group's members) and the runtimes
/// that carry out its actions.
final class GroupRuntime {
    let name: String
    var group: RouterGroup
    var members: [InstanceRuntime] = []
    unowned let engine: Engine

    init(name: String, group: RouterGroup, engine: Engine) {
        self.name = name
        self.group = group
        self.engine = engine
    }

    private var now: VRRPInstant { VRRPInstant(nanoseconds: MonotonicClock.nanoseconds()) }

    func handle(_ event: RouterEvent, member: Int) {
        perform(group.handle(event, member: member, at: now))
    }

    func handleForAll(_ event: RouterEvent) {
        perform(group.handleForAll(event, at: now))
    }

    private func perform(_ actions: [MemberAction]) {
        for memberAction in actions { members[memberAction.member].perform(memberAction.action) }
    }

    /// Feeds a member's link trackers into its router: fault first, then weight.
    func trackersChanged(member: Int) {
        let runtime = members[member]
        let router = group.router(member)
        let weight = runtime.linkWeight
        if weight != router.trackerWeight { handle(.trackerWeightChanged(weight), member: member) }
        let fault = runtime.linkFault
        if fault != router.isFaulted { handle(fault ? .faultRaised : .faultCleared, member: member) }
    }

    /// True once every member is back in Initialize after a shutdown.
    var isStopped: Bool { group.routers.allSatisfy { $0.state == .initialize } }
}
