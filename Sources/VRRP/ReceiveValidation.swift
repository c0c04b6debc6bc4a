import HaloNet

extension ReceivePolicy {
    /// Judges a whole IPv4 packet as an IPv4 raw socket delivers it, header included.
    public func evaluate(ipv4Packet packet: ArraySlice<UInt8>) -> ReceiveOutcome {
        guard family == .ipv4 else { return .dropped(.addressFamilyMismatch, virtualRouterID: nil) }
        let header: IPv4Header, payload: ArraySlice<UInt8>
        do {
            (header, payload) = try IPv4AdvertisementPacket.decodeHeader(packet)
        } catch {
            return .dropped(error, virtualRouterID: nil)
        }
        return evaluate(payload: payload, source: .v4(header.source), destination: .v4(header.destination),
                        hopLimit: header.timeToLive)
    }

    public func evaluate(ipv4Packet packet: [UInt8]) -> ReceiveOutcome {
        evaluate(ipv4Packet: packet[...])
    }

    /// Judges a VRRP message without its IP header, as an IPv6 raw socket delivers
    /// it; `hopLimit` comes from the IPV6_HOPLIMIT control message and
    /// `destination` from IPV6_PKTINFO.
    ///
    /// Order: the VRID picks the instance first (keepalived looks the instance up
    /// by VRID before checking anything, and its settings decide the TTL and
    /// checksum checks), then RFC 5798 §7.1's TTL, version, type, length and
    /// checksum, then the checks against the instance.
    public func evaluate(
        payload: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress, hopLimit: UInt8
    ) -> ReceiveOutcome {
        guard source.family == family, destination.family == family else {
            return .dropped(.addressFamilyMismatch, virtualRouterID: nil)
        }
        guard payload.count >= 2 else { return .dropped(.truncated, virtualRouterID: nil) }
        let virtualRouterID = payload.wireByte(at: 1)
        guard let expectation = instances[virtualRouterID] else {
            return .dropped(.unknownVRID, virtualRouterID: nil)
        }
        do throws(DropReason) {
            let (advertisement, warnings) = try expectation.check(
                payload: payload, source: source, destination: destination, hopLimit: hopLimit,
                ownAddresses: ownAddresses)
            return .accepted(ReceivedAdvertisement(advertisement: advertisement, source: source, warnings: warnings))
        } catch {
            return .dropped(error, virtualRouterID: virtualRouterID)
        }
    }

    public func evaluate(payload: [UInt8], source: IPAddress, destination: IPAddress, hopLimit: UInt8) -> ReceiveOutcome {
        evaluate(payload: payload[...], source: source, destination: destination, hopLimit: hopLimit)
    }
}

extension ReceiveExpectation {
    func check(
        payload: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress, hopLimit: UInt8,
        ownAddresses: Set<IPAddress>
    ) throws(DropReason) -> (Advertisement, [ReceiveWarning]) {
        var warnings: [ReceiveWarning] = []
        if case .multicast = delivery, hopLimit != VRRPWire.requiredHopLimit { throw .ttlNot255 }

        let advertisement = try decode(payload: payload, source: source, destination: destination, warnings: &warnings)
        guard advertisement.version == version else { throw .wrongVersion }
        guard !ownAddresses.contains(source) else { throw .ownPacket }
        if isAddressOwner && ownerIgnoresAdverts { throw .addressOwner }
        if case .unicast(let peers, checkSource: true) = delivery, !peers.contains(source) {
            throw .sourceNotUnicastPeer
        }

        switch version {
        case .v2:
            // RFC 3768 §7.1: auth type, then the password, then the interval must match.
            guard advertisement.authentication.wireType == authentication.wireType else { throw .authTypeMismatch }
            if case .password(let received) = advertisement.authentication,
               case .password(let configured) = authentication,
               received != Self.passwordField(configured) {
                throw .passwordMismatch
            }
            guard advertisement.intervalCentiseconds == advertIntervalCentiseconds else {
                throw .advertIntervalMismatch
            }
        case .v3:
            if advertisement.intervalCentiseconds != advertIntervalCentiseconds {
                warnings.append(.advertIntervalMismatch(
                    expectedCentiseconds: advertIntervalCentiseconds,
                    receivedCentiseconds: advertisement.intervalCentiseconds))
            }
        }

        // RFC 5798 §7.1 says MAY drop on a differing list; keepalived logs and carries on.
        if advertisement.addresses.count != virtualAddresses.count {
            warnings.append(.addressCountMismatch(expected: virtualAddresses.count,
                                                  received: advertisement.addresses.count))
        } else if Set(advertisement.addresses) != Set(virtualAddresses) {
            warnings.append(.addressListMismatch)
        }
        return (advertisement, warnings)
    }

    /// Decodes with the configured checksum mode. Like keepalived, a v3 unicast
    /// advert that fails is retried with the multicast group in the pseudo-header,
    /// which is what keepalived ≤ 1.3.6 sent (RFC-wise a bug, in the field a peer).
    private func decode(
        payload: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress, warnings: inout [ReceiveWarning]
    ) throws(DropReason) -> Advertisement {
        do {
            return try Advertisement.decode(payload: payload, source: source, destination: destination,
                                            checksum: checksum)
        } catch .badChecksum where checksum == .pseudoHeader && isUnicast
            && destination != VRRPWire.group(for: destination.family) {
            let advertisement = try Advertisement.decode(
                payload: payload, source: source, destination: destination,
                checksum: .pseudoHeaderWithMulticastGroup)
            warnings.append(.oldUnicastChecksum)
            return advertisement
        }
    }

    private var isUnicast: Bool {
        if case .unicast = delivery { true } else { false }
    }

    /// The configured password as the 8-byte wire field (keepalived pads with
    /// zeros and truncates at 8).
    static func passwordField(_ configured: [UInt8]) -> [UInt8] {
        let prefix = Array(configured.prefix(VRRPWire.v2AuthenticationLength))
        return prefix + [UInt8](repeating: 0, count: VRRPWire.v2AuthenticationLength - prefix.count)
    }
}
