import VRRP

/// A standalone instance or a `vrrp_sync_group`, behind one interface, so the
/// engine drives both the same way: events for a member in, member actions out.
///
/// Two optionals (exactly one set) rather than an enum: optional chaining
/// mutates the router where it is stored, while an enum payload would be copied
/// out and written back on every advert.
struct RouterGroup: Sendable {
    /// Whether `single` is the one set (a Bool, not `single != nil`, which reads the whole router).
    private let isSingle: Bool
    private var single: VirtualRouter?
    private var sync: SyncGroup?

    init(members: [RouterConfiguration]) {
        isSingle = members.count == 1
        if isSingle {
            single = VirtualRouter(configuration: members[0])
        } else {
            sync = SyncGroup(members: members)
        }
    }

    mutating func handle(_ event: RouterEvent, member: Int, at now: VRRPInstant, into actions: inout GroupActions) {
        if isSingle {
            single!.handle(event, at: now, into: &actions.ofSingle)
        } else {
            sync!.handle(event, member: member, at: now, into: &actions.ofMembers)
        }
    }

    mutating func handleForAll(_ event: RouterEvent, at now: VRRPInstant, into actions: inout GroupActions) {
        if isSingle {
            single!.handle(event, at: now, into: &actions.ofSingle)
        } else {
            sync!.handleForAll(event, at: now, into: &actions.ofMembers)
        }
    }

    /// Reload: a member's router runs on with new settings (same state and timers).
    mutating func reconfigure(member: Int, _ configuration: RouterConfiguration) {
        if isSingle {
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

    /// Keeps the capacity. One element at a time: an event leaves two or three, and
    /// `removeAll(keepingCapacity:)` goes through the generic range replacement (and
    /// allocates when the array was already empty).
    mutating func removeAll() {
        while !ofSingle.isEmpty { ofSingle.removeLast() }
        while !ofMembers.isEmpty { ofMembers.removeLast() }
    }

    /// In order: (member index, action).
    func forEach(_ body: (Int, RouterAction) -> Void) {
        for action in ofSingle { body(0, action) }
        for memberAction in ofMembers { body(memberAction.member, memberAction.action) }
    }
}
