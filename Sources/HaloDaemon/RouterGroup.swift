import VRRP

/// A standalone instance or a `vrrp_sync_group`, behind one interface, so the
/// engine drives both the same way: events for a member in, member actions out.
enum RouterGroup: Sendable {
    case single(VirtualRouter)
    case sync(SyncGroup)

    init(members: [RouterConfiguration]) {
        if members.count == 1 {
            self = .single(VirtualRouter(configuration: members[0]))
        } else {
            self = .sync(SyncGroup(members: members))
        }
    }

    mutating func handle(_ event: RouterEvent, member: Int, at now: VRRPInstant) -> [MemberAction] {
        switch self {
        case .single(var router):
            let actions = router.handle(event, at: now)
            self = .single(router)
            return actions.map { MemberAction(member: 0, action: $0) }
        case .sync(var group):
            let actions = group.handle(event, member: member, at: now)
            self = .sync(group)
            return actions.map { MemberAction(member: $0.member, action: $0.action) }
        }
    }

    mutating func handleForAll(_ event: RouterEvent, at now: VRRPInstant) -> [MemberAction] {
        switch self {
        case .single: return handle(event, member: 0, at: now)
        case .sync(var group):
            let actions = group.handleForAll(event, at: now)
            self = .sync(group)
            return actions.map { MemberAction(member: $0.member, action: $0.action) }
        }
    }

    func router(_ member: Int) -> VirtualRouter {
        switch self {
        case .single(let router): router
        case .sync(let group): group.members[member]
        }
    }

    var routers: [VirtualRouter] {
        switch self {
        case .single(let router): [router]
        case .sync(let group): group.members
        }
    }
}

/// An action for one member of a router group (index into its members).
struct MemberAction {
    var member: Int
    var action: RouterAction
}
