/// The named timers a router owns. Each has at most one deadline; scheduling
/// one again replaces it. The data plane fires `.timerFired(name)` at or after the
/// deadline; a firing that no longer matches an armed deadline is ignored, so a
/// late or stale firing is harmless.
public enum RouterTimer: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Master: time to send the next advert. Hand-off: time to repeat priority 0.
    case advert
    /// Backup: Master_Down_Interval (or Skew_Time after priority 0) with no accepted advert.
    case masterDown
    /// Backup with `preempt_delay`: until it fires, lower-priority adverts are still accepted.
    case preemptDelay
    /// Hand-off: the latest moment to remove the addresses without a successor heard.
    case handoffBound

    public var description: String {
        switch self {
        case .advert: "advert"
        case .masterDown: "master-down"
        case .preemptDelay: "preempt-delay"
        case .handoffBound: "hand-off-bound"
        }
    }
}
