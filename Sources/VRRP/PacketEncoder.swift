import HaloNet

extension Advertisement {
    /// The VRRP message (no IP header) with its checksum filled in. `source` and
    /// `destination` are the IP addresses the packet will carry: VRRPv3 sums them
    /// in its pseudo-header (RFC 5798 §5.2.8); v2 ignores them except for family.
    /// `checksum` only matters for v3 over IPv4.
    public func encodePayload(
        source: IPAddress, destination: IPAddress, checksum mode: ChecksumMode = .pseudoHeader
    ) throws(AdvertisementEncodingError) -> [UInt8] {
        let family = source.family
        guard destination.family == family, addresses.allSatisfy({ $0.family == family }) else {
            throw .addressFamilyMismatch
        }
        guard addresses.count <= Int(UInt8.max) else { throw .tooManyAddresses(addresses.count) }

        var message: [UInt8] = []
        message.reserveCapacity(VRRPWire.messageLength(version: version, family: family, count: addresses.count))
        message.append(version.rawValue << 4 | VRRPWire.advertisementType)
        message.append(virtualRouterID)
        message.append(priority)
        message.append(UInt8(addresses.count))

        switch version {
        case .v2:
            guard family == .ipv4 else { throw .v2OverIPv6 }
            guard intervalCentiseconds % 100 == 0 else { throw .v2IntervalNotWholeSeconds(intervalCentiseconds) }
            guard (1...255).contains(intervalCentiseconds / 100) else { throw .intervalOutOfRange(intervalCentiseconds) }
            message.append(authentication.wireType)
            message.append(UInt8(intervalCentiseconds / 100))
        case .v3:
            guard authentication == .none else { throw .authenticationWithV3 }
            guard (1...VRRPWire.maxV3IntervalCentiseconds).contains(intervalCentiseconds) else {
                throw .intervalOutOfRange(intervalCentiseconds)
            }
            // The 4 reserved bits are sent as zero (RFC 5798 §5.2.4).
            message.appendWireUInt16(intervalCentiseconds)
        }
        message.appendWireUInt16(0)  // checksum, filled in below
        for address in addresses { message.append(contentsOf: address.bytes) }

        if version == .v2 {
            // The 8-byte authentication data is present even for type 0 (RFC 3768 §5.3.10).
            switch authentication {
            case .none:
                message.append(contentsOf: [UInt8](repeating: 0, count: VRRPWire.v2AuthenticationLength))
            case .password(let field):
                guard field.count == VRRPWire.v2AuthenticationLength else { throw .passwordLength(field.count) }
                message.append(contentsOf: field)
            }
        }

        let sum = VRRPChecksum.compute(over: message[...], version: version,
                                       source: source, destination: destination, mode: mode)
        message.storeWireUInt16(sum, at: 6)
        return message
    }
}
