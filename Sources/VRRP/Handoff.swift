/// Why a master hands its addresses over (make-before-break): the outgoing master
/// sends priority 0, keeps its addresses until the successor's first advert or the
/// hand-off bound, then removes them. What happens after depends on the purpose.
public enum HandoffPurpose: Hashable, Sendable, CustomStringConvertible {
    /// The daemon is stopping: afterwards the router is in Initialize.
    case shutdown
    /// The operator asked for a planned failover: afterwards the router stays a
    /// withdrawn Backup (it never takes over) until `rejoin`.
    case giveUp

    public var description: String {
        switch self { case .shutdown: "shutdown"; case .giveUp: "give-up" }
    }
}
