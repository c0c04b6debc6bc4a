import VRRP

/// A standalone instance or a `vrrp_sync_group`, behind one interface, so the
/// engine drives both the same way: events for a member in, member actions out.
///
/// Two optionals (exactly one set) rather than an enum: optional chaining
/// mutates the router where it is stored, while an enum payload would be copied
/// out and written back on every advert.
struct RouterGroup: Sendable {
    private var single: VirtualRouter?
    private var sync: SyncGroup?

    init(members: [RouterConfiguration]) {
        if members.count == 1 {
            single = VirtualRouter(configuration: members[0])
        } else {
            sync = SyncGroup(members: members)
        }
    }

    mutating func handle(_ event: RouterEvent, member: Int, at now: VRRPInstant, into actions: inout GroupActions) {
        if single != nil {
            single!.handle(event, at: now, into: &actions.ofSingle)
        } else {
            sync!.handle(event, member: member, at: now, into: &actions.ofMembers)
        }
    }

    mutating func handleForAll(_ event: RouterEvent, at now: VRRPInstant, into actions: inout GroupActions) {
        if single != nil {
            single!.handle(event, at: now, into: &actions.ofSingle)
        } else {
            sync!.handleForAll(event, at: now, into: &actions.ofMembers)
        }
    }

    /// Reload: a member's router runs on with new settings (same state and timers).
    mutating func reconfigure(member: Int, _ configuration: RouterConfiguration) {
        if single != nil {
            single!.reconfigure(configuration)
        } else {
            sync!.reconfigure(member: member, configuration)
        }
    }

    func router(_ member: Int) -> VirtualRouter {
        single ?? sync!.members[member]
    }

    var routers: [VirtualRouter] {
        single.map { [$0] } ?? sync!.members
    }
}

/// The actions of one event, each for a member of the group: a standalone
/// router's all go to member 0. Kept and reused by the group's runtime.
struct GroupActions {
    var ofSingle: [RouterAction] = []
    var ofMembers: [SyncGroup.MemberAction] = []

    var isEmpty: Bool { ofSingle.isEmpty && ofMembers.isEmpty }

    mutating func removeAll() {
        // Only when not empty: emptying an empty array with keepingCapacity allocates.
        if !ofSingle.isEmpty { ofSingle.removeAll(keepingCapacity: true) }
        if !ofMembers.isEmpty { ofMembers.removeAll(keepingCapacity: true) }
    }

    /// In order: (member index, action).
    func forEach(_ body: (Int, RouterAction) -> Void) {
        for action in ofSingle { body(0, action) }
        for memberAction in ofMembers { body(memberAction.member, memberAction.action) }
    }
}
