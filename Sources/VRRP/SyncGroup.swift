/// keepalived's `vrrp_sync_group` as a pure coordinator over its members' routers:
/// members go Master together only when every one of them wants to, a member
/// leaving Master pulls the others to Backup, and a member in Fault pulls the
/// others into Fault until it clears (keepalived vrrp_sync.c).
///
/// Members' master-down expiries do not promote them on their own: each records
/// that it wants Master (`VirtualRouter.wantsMaster`) and the group promotes them
/// all once every member is either Master or waiting.
public struct SyncGroup: Sendable {
    public internal(set) var members: [VirtualRouter]

    public init(members: [RouterConfiguration]) {
        self.members = members.map {
            var router = VirtualRouter(configuration: $0)
            router.requiresGroupConsent = true
            return router
        }
    }

    /// An action for one member (index into `members`).
    public struct MemberAction: Hashable, Sendable, CustomStringConvertible {
        public var member: Int
        public var action: RouterAction
        public var description: String { "[\(member)] \(action)" }
    }

    /// An event for one member (an advert on its VRID, one of its timers, its trackers).
    public mutating func handle(_ event: RouterEvent, member: Int, at now: VRRPInstant) -> [MemberAction] {
        var actions: [MemberAction] = []
        handle(event, member: member, at: now, into: &actions)
        return actions
    }

    /// Appends the event's actions to `actions` (a buffer the data plane reuses).
    public mutating func handle(_ event: RouterEvent, member: Int, at now: VRRPInstant, into actions: inout [MemberAction]) {
        deliver(event, to: member, at: now, &actions)
        settle(at: now, &actions)
    }

    /// An event for every member: startup, shutdown, give-up, rejoin.
    public mutating func handleForAll(_ event: RouterEvent, at now: VRRPInstant) -> [MemberAction] {
        var actions: [MemberAction] = []
        handleForAll(event, at: now, into: &actions)
        return actions
    }

    public mutating func handleForAll(_ event: RouterEvent, at now: VRRPInstant, into actions: inout [MemberAction]) {
        for member in members.indices { deliver(event, to: member, at: now, &actions) }
        settle(at: now, &actions)
    }

    private mutating func deliver(_ event: RouterEvent, to member: Int, at now: VRRPInstant, _ actions: inout [MemberAction]) {
        let produced = members[member].handle(event, at: now)
        actions.append(contentsOf: produced.map { MemberAction(member: member, action: $0) })
        react(to: produced, from: member, at: now, &actions)
    }

    /// Propagates one member's change to the others: faults first (a member going
    /// to Fault pulls the others into Fault, not Backup), then leaving Master.
    private mutating func react(to produced: [RouterAction], from member: Int, at now: VRRPInstant, _ actions: inout [MemberAction]) {
        updatePeerFaults(at: now, &actions)
        for case .stateChanged(let from, let to, _) in produced where from == .master && to != .master && to != .fault {
            // A planned hand-off takes the whole group along, make-before-break;
            // any other exit from Master pulls the others straight to Backup.
            let followUp: RouterEvent = switch (to, members[member].handoffPurpose) {
            case (.handingOff, .shutdown): .shutdown
            case (.handingOff, _): .giveUp
            default: .syncGroup(.peerLeftMaster)
            }
            for other in members.indices where other != member && members[other].state == .master {
                deliver(followUp, to: other, at: now, &actions)
            }
        }
    }

    /// Each member is peer-faulted while any other member has its own fault.
    private mutating func updatePeerFaults(at now: VRRPInstant, _ actions: inout [MemberAction]) {
        for member in members.indices {
            let othersFaulted = members.indices.contains { $0 != member && members[$0].isFaulted }
            if members[member].isPeerFaulted != othersFaulted {
                deliver(.syncGroup(.peerFault(othersFaulted)), to: member, at: now, &actions)
            }
        }
    }

    /// Promotes the waiting members once all want Master.
    private mutating func settle(at now: VRRPInstant, _ actions: inout [MemberAction]) {
        let waiting = members.indices.filter { members[$0].state == .backup && members[$0].wantsMaster }
        guard !waiting.isEmpty,
              members.allSatisfy({ $0.state == .master || ($0.state == .backup && $0.wantsMaster) }) else { return }
        for member in waiting { deliver(.syncGroup(.agreeMaster), to: member, at: now, &actions) }
    }
}
