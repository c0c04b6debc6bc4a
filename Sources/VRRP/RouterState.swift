import HaloNet

/// The states of one virtual router: RFC 5798's three, keepalived's Fault, and
/// Halo's hand-off (a master that has announced it is leaving but still holds its
/// addresses until its successor is heard).
public enum RouterState: Hashable, Sendable, CustomStringConvertible {
    case initialize
    case backup
    case master
    case fault
    case handingOff

    public var description: String {
        switch self {
        case .initialize: "INIT"
        case .backup: "BACKUP"
        case .master: "MASTER"
        case .fault: "FAULT"
        case .handingOff: "HANDOFF"
        }
    }

    /// Whether the virtual addresses are configured on this node in this state.
    public var holdsVirtualAddresses: Bool { self == .master || self == .handingOff }
}

/// Why a state change happened: logged, and passed to notify hooks.
public enum RouterStateChangeReason: Hashable, Sendable, CustomStringConvertible {
    /// Every non-owner instance starts in Backup, as keepalived does.
    case startup
    /// Priority 255: master at once (RFC 5798 §6.4.1).
    case addressOwner
    /// No advert accepted within the master-down interval (or Skew_Time after a priority-0 advert).
    case masterDownTimerExpired
    /// A master heard a higher priority, or an equal one from a greater address.
    case yielded(to: IPAddress, priority: UInt8)
    case faultRaised
    case faultCleared
    /// Planned give-up: shutdown or operator request.
    case handoffStarted(HandoffPurpose)
    /// The successor's first advert arrived.
    case successorHeard(IPAddress)
    case handoffBoundElapsed
    case stopped
    /// Sync group: another member left Master, a member entered Fault, or all members agreed on Master.
    case syncGroupPeerLeftMaster
    case syncGroupFault
    case syncGroupAgreedMaster
    case rejoined

    public var description: String {
        switch self {
        case .startup: "startup"
        case .addressOwner: "address owner"
        case .masterDownTimerExpired: "master down timer expired"
        case .yielded(let address, let priority): "yielded to \(address) (priority \(priority))"
        case .faultRaised: "fault raised"
        case .faultCleared: "fault cleared"
        case .handoffStarted(let purpose): "hand-off started (\(purpose))"
        case .successorHeard(let address): "successor \(address) heard"
        case .handoffBoundElapsed: "hand-off bound elapsed"
        case .stopped: "stopped"
        case .syncGroupPeerLeftMaster: "sync group peer left master"
        case .syncGroupFault: "sync group fault"
        case .syncGroupAgreedMaster: "sync group agreed on master"
        case .rejoined: "rejoined"
        }
    }
}
