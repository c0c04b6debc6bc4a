import HaloLinux
import VRRP

/// A router group (one instance, or a sync group's members) and the runtimes
/// that carry out its actions.
final class GroupRuntime {
    // What every event touches first (see InstanceRuntime: cache lines are the cost).
    unowned let engine: Engine
    var members: [InstanceRuntime] = []
    /// The resource_group following this router group, if any (it owns the VIPs).
    var resources: ResourceGroupRuntime?
    /// A `vrrp_sync_group` (notified as GROUP), not a standalone instance.
    var syncGroupNotify: NotifySpec?
    /// One action buffer reused event after event (see `performActions`).
    private var spareActions = GroupActions()
    var group: RouterGroup
    let name: String
    private var notifiedGroupState: String?

    init(name: String, group: RouterGroup, engine: Engine, syncGroupNotify: NotifySpec? = nil) {
        self.name = name
        self.group = group
        self.engine = engine
        self.syncGroupNotify = syncGroupNotify
    }

    private var now: VRRPInstant { VRRPInstant(nanoseconds: MonotonicClock.nanoseconds()) }

    /// `instant`: when the event happened, if the caller already read the clock (a timer's firing).
    func handle(_ event: RouterEvent, member: Int, at instant: VRRPInstant? = nil) {
        if case .advertReceived(let advert, let source) = event {
            members[member].lastAdvertHeard = (source, advert.priority, MonotonicClock.nanoseconds())
            engine.operatorControl?.advertHeard(self, priority: advert.priority)
        }
        let now = instant ?? now
        performActions { group.handle(event, member: member, at: now, into: &$0) }
    }

    func handleForAll(_ event: RouterEvent) {
        let now = now
        performActions { group.handleForAll(event, at: now, into: &$0) }
    }

    /// Lets `produce` fill the spare action buffer, performs what it holds, and keeps
    /// the buffer for the next event (a nested event finds no spare and uses its own).
    private func performActions(_ produce: (inout GroupActions) -> Void) {
        var actions = spareActions
        spareActions = GroupActions()
        actions.removeAll()
        produce(&actions)
        perform(actions)
        spareActions = actions
    }

    private func perform(_ actions: GroupActions) {
        var changedState = false
        actions.forEach { member, action in
            if case .stateChanged = action { changedState = true }
            members[member].perform(action)
        }
        // A group settles, stops or finishes retiring only by a state change (its resources
        // report their own stop); a steady master's adverts need not look at the engine.
        guard changedState else { return }
        notifyGroupIfSettled()
        engine.groupActionsPerformed()
    }

    /// A sync group notifies as GROUP once all its members share a new state.
    private func notifyGroupIfSettled() {
        guard let notify = syncGroupNotify else { return }
        let states = Set(members.map(\.state))
        guard states.count == 1, let state = states.first, let word = engine.notifyWord(for: state, retiring: onRetired != nil),
              word != notifiedGroupState else { return }
        notifiedGroupState = word
        engine.notifier?.stateChanged(.group, name: name, notify: notify, state: word, priority: 0)
    }

    /// Feeds a member's trackers (links, scripts, files) into its router: weight,
    /// then fault; logs the effective priority change with its cause.
    func trackersChanged(member: Int, cause: String) {
        let runtime = members[member]
        let before = group.router(member)
        let weight = runtime.trackerWeight
        if weight != before.trackerWeight { handle(.trackerWeightChanged(weight), member: member) }
        let fault = runtime.trackerFault
        if fault != group.router(member).isFaulted { handle(fault ? .faultRaised : .faultCleared, member: member) }
        let after = group.router(member)
        var change: String?
        if after.effectivePriority != before.effectivePriority {
            change = "effective priority \(before.effectivePriority) -> \(after.effectivePriority) (tracker weight \(weight))"
        }
        if after.isFaulted != before.isFaulted {
            change = (change.map { $0 + ", " } ?? "") + (after.isFaulted ? "fault raised" : "fault cleared")
        }
        guard let change else { return }
        runtime.lastPriorityChange = ("\(change): \(cause)", MonotonicClock.nanoseconds())
        engine.logger.info("(\(runtime.spec.name)) \(change): \(cause)")
    }

    /// Set while a reload takes this group out: called once it has stopped.
    var onRetired: (() -> Void)?

    /// Reload: a member's router runs on with new settings (same state and timers).
    func reconfigure(member: Int, _ configuration: RouterConfiguration) {
        group.reconfigure(member: member, configuration)
    }

    /// True once every member is back in Initialize after a shutdown.
    var isStopped: Bool { group.routers.allSatisfy { $0.state == .initialize } && (resources?.isStopped ?? true) }
}
