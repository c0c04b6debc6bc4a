import HaloNet

/// Inputs to a virtual router. Every event is handled at an instant passed alongside.
public enum RouterEvent: Hashable, Sendable {
    case startup
    /// Planned stop: a master hands off first (make-before-break).
    case shutdown
    /// An advert that passed receive validation, with its IP source address.
    case advertReceived(Advertisement, from: IPAddress)
    case timerFired(RouterTimer)
    /// The sum of tracker weights changed; effective priority = base + weight, clamped.
    case trackerWeightChanged(Int)
    case faultRaised
    case faultCleared
    /// Operator planned failover: hand off and stay out of the election until `rejoin`.
    case giveUp
    case rejoin
    /// Sent by `SyncGroup` only.
    case syncGroup(SyncGroupCommand)
}

/// What a sync group coordinator tells one member.
public enum SyncGroupCommand: Hashable, Sendable {
    /// Every member wants Master: a member waiting for consent becomes Master.
    case agreeMaster
    /// Another member left Master: a Master member goes to Backup.
    case peerLeftMaster
    /// Another member is in Fault (true) or no longer (false).
    case peerFault(Bool)
}
