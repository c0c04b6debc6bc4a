/// Configuration reload: a router keeps its state, timers and the master it
/// heard, and runs on with new settings (priority, interval, preemption, the
/// addresses it advertises). What identifies it on the wire (VRID, version,
/// primary address, authentication) is the caller's to keep the same: a change
/// there is a new router, not a reconfigured one.
extension VirtualRouter {
    public mutating func reconfigure(_ new: RouterConfiguration) {
        configuration = new
        effectivePriority = Priority.effective(base: new.basePriority, trackerWeight: trackerWeight)
        // A v3 backup keeps the interval it learned from the master; everyone else uses their own.
        if new.version == .v2 || state != .backup { masterAdvertInterval = new.advertInterval }
        // Adverts and the election use the new values from their next use on; nothing is due now.
    }
}

extension SyncGroup {
    public mutating func reconfigure(member: Int, _ new: RouterConfiguration) {
        members[member].reconfigure(new)
    }
}
