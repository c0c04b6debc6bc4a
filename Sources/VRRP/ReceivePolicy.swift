import HaloNet

/// How adverts reach an instance, which decides the TTL and source checks.
public enum AdvertDelivery: Hashable, Sendable {
    /// To 224.0.0.18 / ff02::12; TTL / hop limit must be 255 (RFC 5798 §7.1).
    case multicast
    /// To configured peers (keepalived's `unicast_peer`). Unicast adverts may be
    /// routed, so the TTL is not checked; with `checkSource` (keepalived's
    /// `check_unicast_src`) the source must be one of `peers`.
    case unicast(peers: Set<IPAddress>, checkSource: Bool)
}

/// What one VRRP instance expects of the adverts it receives: the receive-side
/// slice of its configuration.
public struct ReceiveExpectation: Hashable, Sendable {
    public var virtualRouterID: UInt8
    public var version: VRRPVersion
    /// v2 only; ignored for v3.
    public var authentication: Authentication
    /// The configured interval in centiseconds: a v2 mismatch drops, a v3 one warns.
    public var advertIntervalCentiseconds: UInt16
    /// The configured VIPs, compared with the advert's list (warnings only).
    public var virtualAddresses: [IPAddress]
    public var delivery: AdvertDelivery
    public var checksum: ChecksumMode
    /// Priority 255: this router owns the addresses.
    public var isAddressOwner: Bool
    /// With `isAddressOwner`, drop every advert as RFC 5798 §7.1 says. keepalived
    /// only does so with `owner_ignore_adverts`; by default it processes them,
    /// which is how two misconfigured owners settle on one master.
    public var ownerIgnoresAdverts: Bool

    public init(
        virtualRouterID: UInt8, version: VRRPVersion, authentication: Authentication = .none,
        advertIntervalCentiseconds: UInt16, virtualAddresses: [IPAddress], delivery: AdvertDelivery = .multicast,
        checksum: ChecksumMode = .pseudoHeader, isAddressOwner: Bool = false, ownerIgnoresAdverts: Bool = false
    ) {
        self.virtualRouterID = virtualRouterID
        self.version = version
        self.authentication = authentication
        self.advertIntervalCentiseconds = advertIntervalCentiseconds
        self.virtualAddresses = virtualAddresses
        self.delivery = delivery
        self.checksum = checksum
        self.isAddressOwner = isAddressOwner
        self.ownerIgnoresAdverts = ownerIgnoresAdverts
    }
}

/// The receive-side configuration of one socket, that is one interface and one
/// family: the instances running there, keyed by VRID, and the addresses that
/// are ours (an advert from one of them is our own, looped back). For IPv6
/// include the interface's link-local address: adverts are sent from it.
public struct ReceivePolicy: Hashable, Sendable {
    public var family: AddressFamily
    public var ownAddresses: Set<IPAddress>
    public var instances: [UInt8: ReceiveExpectation]

    /// Later instances with a VRID already present replace earlier ones; the
    /// config check rejects duplicate VRIDs per interface and family.
    public init(family: AddressFamily, ownAddresses: Set<IPAddress>, instances: [ReceiveExpectation]) {
        self.family = family
        self.ownAddresses = ownAddresses
        self.instances = Dictionary(instances.map { ($0.virtualRouterID, $0) }, uniquingKeysWith: { $1 })
    }
}

/// Something odd about an advert that keepalived logs and counts but still acts on.
public enum ReceiveWarning: Hashable, Sendable, CustomStringConvertible {
    /// The advert lists a different number of addresses than we have configured.
    case addressCountMismatch(expected: Int, received: Int)
    /// Same number of addresses, but not the same set.
    case addressListMismatch
    /// v3: the master advertises another interval; the state machine adopts it as
    /// Master_Adver_Interval (RFC 5798 §6.4.2).
    case advertIntervalMismatch(expectedCentiseconds: UInt16, receivedCentiseconds: UInt16)
    /// v3 unicast: the checksum verified only with the multicast group in the
    /// pseudo-header. The sender is keepalived ≤ 1.3.6; keepalived switches its
    /// own sending to that form (`ChecksumMode.pseudoHeaderWithMulticastGroup`).
    case oldUnicastChecksum

    /// Stable metric names, one per kind of warning.
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        case addressCountMismatch = "address_count_mismatch"
        case addressListMismatch = "address_list_mismatch"
        case advertIntervalMismatch = "advert_interval_mismatch"
        case oldUnicastChecksum = "old_unicast_checksum"
    }

    public var kind: Kind {
        switch self {
        case .addressCountMismatch: .addressCountMismatch
        case .addressListMismatch: .addressListMismatch
        case .advertIntervalMismatch: .advertIntervalMismatch
        case .oldUnicastChecksum: .oldUnicastChecksum
        }
    }

    public var description: String {
        switch self {
        case .addressCountMismatch(let expected, let received):
            "advert lists \(received) addresses, \(expected) configured"
        case .addressListMismatch: "advert lists other addresses than configured"
        case .advertIntervalMismatch(let expected, let received):
            "advert interval \(received) cs, \(expected) cs configured"
        case .oldUnicastChecksum: "checksum uses the multicast group (keepalived <= 1.3.6 unicast)"
        }
    }
}

/// An advert that passed every check, for the state machine.
public struct ReceivedAdvertisement: Hashable, Sendable {
    public var advertisement: Advertisement
    /// The sender's primary address, which breaks priority ties (RFC 5798 §6.4.3).
    public var source: IPAddress
    public var warnings: [ReceiveWarning]

    public init(advertisement: Advertisement, source: IPAddress, warnings: [ReceiveWarning] = []) {
        self.advertisement = advertisement
        self.source = source
        self.warnings = warnings
    }
}

/// The verdict on one received packet.
public enum ReceiveOutcome: Hashable, Sendable {
    case accepted(ReceivedAdvertisement)
    /// `virtualRouterID` is the instance the drop is counted against, when the
    /// packet got far enough to name one we run.
    case dropped(DropReason, virtualRouterID: UInt8?)

    public var dropReason: DropReason? {
        if case .dropped(let reason, _) = self { reason } else { nil }
    }

    public var received: ReceivedAdvertisement? {
        if case .accepted(let advert) = self { advert } else { nil }
    }
}
