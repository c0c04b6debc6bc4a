/// Outputs of a virtual router, in the order the data plane must perform them.
/// On becoming master this follows keepalived: advert, addresses, announcements,
/// then the state change (which runs the notify hooks).
public enum RouterAction: Hashable, Sendable, CustomStringConvertible {
    /// Encode and send. A priority-0 advert (leaving, RFC 5798 §6.4.3) is one of these
    /// with `priority == 0`.
    case sendAdvertisement(Advertisement)
    case addVirtualAddresses
    case removeVirtualAddresses
    /// Gratuitous ARP / unsolicited neighbour advertisements for every virtual address.
    case announceVirtualAddresses(AnnounceReason)
    case scheduleTimer(RouterTimer, at: VRRPInstant)
    case cancelTimer(RouterTimer)
    case stateChanged(from: RouterState, to: RouterState, reason: RouterStateChangeReason)

    public enum AnnounceReason: Hashable, Sendable, CustomStringConvertible {
        case becameMaster
        /// We stay master after hearing another master (split-brain heal, a lower
        /// priority advert, a peer's priority 0): clients may hold the other
        /// node's MAC, so re-announce (the lab's 7.5 s outage, keepalived 2.2.7).
        case stayedMasterAfterConflict

        public var description: String {
            switch self { case .becameMaster: "became master"; case .stayedMasterAfterConflict: "stayed master after conflict" }
        }
    }

    public var description: String {
        switch self {
        case .sendAdvertisement(let advert): "send advert prio \(advert.priority)"
        case .addVirtualAddresses: "add VIPs"
        case .removeVirtualAddresses: "remove VIPs"
        case .announceVirtualAddresses(let reason): "announce VIPs (\(reason))"
        case .scheduleTimer(let timer, let deadline): "schedule \(timer) at \(deadline)"
        case .cancelTimer(let timer): "cancel \(timer)"
        case .stateChanged(let from, let to, let reason): "\(from) -> \(to) (\(reason))"
        }
    }
}
