import HaloNet

extension Advertisement {
    /// Decodes a VRRP message without its IP header, as an IPv6 raw socket
    /// delivers it (or the payload of an IPv4 packet). `source` and `destination`
    /// come from the IP header or the socket's control messages; v3 checksums
    /// include them. The result is structurally valid; whether this instance
    /// wants it is `ReceivePolicy`'s question.
    ///
    /// Checks follow RFC 5798 §7.1 / RFC 9568 §7.1 / RFC 3768 §7.1 in wire order:
    /// length of the fixed header, version, type, family, length against the
    /// address count, checksum, then the version-specific fields.
    public static func decode(
        payload message: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress,
        checksum mode: ChecksumMode = .pseudoHeader
    ) throws(DropReason) -> Advertisement {
        let family = source.family
        guard destination.family == family else { throw .addressFamilyMismatch }
        guard message.count >= VRRPWire.headerLength else { throw .truncated }

        let versionAndType = message.wireByte(at: 0)
        guard let version = VRRPVersion(rawValue: versionAndType >> 4) else { throw .wrongVersion }
        guard versionAndType & 0x0F == VRRPWire.advertisementType else { throw .wrongType }
        guard version == .v3 || family == .ipv4 else { throw .addressFamilyMismatch }

        let count = Int(message.wireByte(at: 3))
        let expectedLength = VRRPWire.messageLength(version: version, family: family, count: count)
        guard message.count >= expectedLength else { throw .truncated }
        guard message.count == expectedLength else { throw .lengthMismatch }

        guard VRRPChecksum.compute(over: message, version: version, source: source,
                                   destination: destination, mode: mode) == 0 else { throw .badChecksum }

        let intervalCentiseconds: UInt16
        let authentication: Authentication
        switch version {
        case .v2:
            switch message.wireByte(at: 4) {
            case AuthenticationWireType.none:
                // Type 0 carries 8 bytes that should be zero; RFC 3768 §5.3.10 says ignore them.
                authentication = .none
            case AuthenticationWireType.simplePassword:
                authentication = .password(Array(message.suffix(VRRPWire.v2AuthenticationLength)))
            default:
                throw .authTypeUnsupported
            }
            intervalCentiseconds = UInt16(message.wireByte(at: 5)) * 100
            // RFC 3768 has no explicit rule, but zero can never match a configured
            // interval, and the state machine may divide by what it is given.
            guard intervalCentiseconds != 0 else { throw .zeroAdvertInterval }
        case .v3:
            // The top 4 bits are reserved and ignored on receipt (RFC 5798 §5.2.4).
            intervalCentiseconds = message.wireUInt16(at: 4) & VRRPWire.maxV3IntervalCentiseconds
            guard intervalCentiseconds != 0 else { throw .zeroAdvertInterval }
            authentication = .none
        }

        var addresses: [IPAddress] = []
        addresses.reserveCapacity(count)
        let addressLength = family == .ipv4 ? 4 : 16
        for index in 0..<count {
            let bytes = message.wireSlice(VRRPWire.headerLength + index * addressLength, length: addressLength)
            switch family {
            case .ipv4: addresses.append(.v4(IPv4Address(bytes: bytes)!))
            case .ipv6: addresses.append(.v6(IPv6Address(bytes: bytes)!))
            }
        }

        return Advertisement(
            version: version, virtualRouterID: message.wireByte(at: 1), priority: message.wireByte(at: 2),
            intervalCentiseconds: intervalCentiseconds, addresses: addresses, authentication: authentication)
    }

    /// Convenience for a whole array.
    public static func decode(
        payload message: [UInt8], source: IPAddress, destination: IPAddress,
        checksum mode: ChecksumMode = .pseudoHeader
    ) throws(DropReason) -> Advertisement {
        try decode(payload: message[...], source: source, destination: destination, checksum: mode)
    }
}
