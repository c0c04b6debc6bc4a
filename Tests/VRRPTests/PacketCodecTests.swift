import HaloNet
import Testing
import VRRPSimulation
@testable import VRRP

@Suite struct PacketEncodingTests {
    @Test func v2PasswordPacketMatchesKeepalived() throws {
        let packet = IPv4AdvertisementPacket(
            advertisement: Sample.v2Password, source: IPv4Address(192, 0, 2, 11), identification: 1)
        #expect(try packet.encoded() == Sample.capturedV2PasswordPacket)
    }

    @Test func v3PacketMatchesKeepalivedUnderEveryModeThatSumsTheGroup() throws {
        let packet = IPv4AdvertisementPacket(
            advertisement: Sample.v3IPv4, source: IPv4Address(192, 0, 2, 11), identification: 1)
        #expect(try packet.encoded(checksum: .pseudoHeader) == Sample.capturedV3Packet)
        // Sent to the group, the old unicast form is the same sum.
        #expect(try packet.encoded(checksum: .pseudoHeaderWithMulticastGroup) == Sample.capturedV3Packet)
        #expect(try packet.encoded(checksum: .messageOnly) != Sample.capturedV3Packet)
    }

    @Test func v3IPv6PayloadMatchesKeepalived() throws {
        let payload = try Sample.v3IPv6.encodePayload(source: Sample.linkLocal1, destination: Sample.group6)
        #expect(payload == Sample.capturedV3IPv6Payload)
    }

    @Test func v2WithoutAuthenticationCarriesEightZeroBytes() throws {
        let payload = try Sample.v2.encodePayload(source: Sample.node1, destination: Sample.group4)
        #expect(payload.count == 20)
        #expect(payload[4] == 0)
        #expect(payload.suffix(8).allSatisfy { $0 == 0 })
    }

    @Test func ipIdentificationSkipsZero() {
        #expect(IPv4AdvertisementPacket.nextIdentification(after: 1) == 2)
        #expect(IPv4AdvertisementPacket.nextIdentification(after: 0xFFFF) == 1)
    }

    @Test func encodingRejectsWhatTheWireCannotCarry() {
        func fails(_ advert: Advertisement, source: IPAddress = Sample.node1, destination: IPAddress = Sample.group4,
                   with error: AdvertisementEncodingError, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: error, sourceLocation: sourceLocation) {
                try advert.encodePayload(source: source, destination: destination)
            }
        }
        var advert = Sample.v2
        advert.intervalCentiseconds = 150
        fails(advert, with: .v2IntervalNotWholeSeconds(150))
        advert.intervalCentiseconds = 25600
        fails(advert, with: .intervalOutOfRange(25600))
        advert.intervalCentiseconds = 0
        fails(advert, with: .intervalOutOfRange(0))

        var v3 = Sample.v3IPv4
        v3.intervalCentiseconds = 4096
        fails(v3, with: .intervalOutOfRange(4096))
        v3.intervalCentiseconds = 0
        fails(v3, with: .intervalOutOfRange(0))
        v3 = Sample.v3IPv4
        v3.authentication = .password("secret")
        fails(v3, with: .authenticationWithV3)

        v3 = Sample.v3IPv4
        v3.addresses = Array(repeating: Sample.vip4, count: 256)
        fails(v3, with: .tooManyAddresses(256))
        v3.addresses = [Sample.vip4, Sample.vip6]
        fails(v3, with: .addressFamilyMismatch)
        fails(Sample.v3IPv4, source: Sample.node1, destination: Sample.group6, with: .addressFamilyMismatch)

        var v2Over6 = Sample.v2
        v2Over6.addresses = [Sample.vip6]
        fails(v2Over6, source: Sample.linkLocal1, destination: Sample.group6, with: .v2OverIPv6)

        var shortPassword = Sample.v2
        shortPassword.authentication = .password([1, 2, 3])
        fails(shortPassword, with: .passwordLength(3))
    }
}

@Suite struct PacketDecodingTests {
    static let messages: [(name: String, bytes: [UInt8], source: IPAddress, destination: IPAddress)] = [
        ("v2", Array(Sample.capturedV2PasswordPacket.dropFirst(20)), Sample.node1, Sample.group4),
        ("v3/IPv4", Array(Sample.capturedV3Packet.dropFirst(20)), Sample.node1, Sample.group4),
        ("v3/IPv6", Sample.capturedV3IPv6Payload, Sample.linkLocal1, Sample.group6),
    ]

    func decode(_ bytes: [UInt8], _ source: IPAddress = Sample.node1, _ destination: IPAddress = Sample.group4,
                mode: ChecksumMode = .pseudoHeader) throws(DropReason) -> Advertisement {
        try Advertisement.decode(payload: bytes, source: source, destination: destination, checksum: mode)
    }

    @Test func everyTruncationPointIsTruncated() {
        for message in Self.messages {
            for length in 0..<message.bytes.count {
                #expect(throws: DropReason.truncated, "\(message.name) cut to \(length)") {
                    try decode(Array(message.bytes.prefix(length)), message.source, message.destination)
                }
            }
            #expect(throws: DropReason.lengthMismatch, "\(message.name) with 4 extra bytes") {
                try decode(message.bytes + [0, 0, 0, 0], message.source, message.destination)
            }
        }
    }

    @Test func everyTruncationPointOfAnIPv4PacketIsTruncated() {
        for packet in [Sample.capturedV2PasswordPacket, Sample.capturedV3Packet] {
            for length in 0..<packet.count {
                #expect(throws: DropReason.truncated, "cut to \(length)") {
                    try IPv4AdvertisementPacket.decode(Array(packet.prefix(length)))
                }
            }
        }
    }

    @Test func countFieldMustMatchTheAddressesPresent() {
        for message in Self.messages {
            var more = message.bytes
            more[3] = 2
            Sample.refreshChecksum(&more, source: message.source, destination: message.destination)
            #expect(throws: DropReason.truncated) { try decode(more, message.source, message.destination) }
            var fewer = message.bytes
            fewer[3] = 0
            Sample.refreshChecksum(&fewer, source: message.source, destination: message.destination)
            #expect(throws: DropReason.lengthMismatch) { try decode(fewer, message.source, message.destination) }
        }
    }

    @Test(arguments: [0x01, 0x41, 0xF1, 0x11] as [UInt8])
    func unknownVersionsAreRejected(versionAndType: UInt8) {
        var message = Self.messages[0].bytes
        message[0] = versionAndType
        #expect(throws: DropReason.wrongVersion) { try decode(message) }
    }

    @Test(arguments: [0x20, 0x22, 0x2F, 0x32] as [UInt8])
    func typesOtherThanAdvertisementAreRejected(versionAndType: UInt8) {
        var message = versionAndType >> 4 == 2 ? Self.messages[0].bytes : Self.messages[1].bytes
        message[0] = versionAndType
        #expect(throws: DropReason.wrongType) { try decode(message) }
    }

    @Test func familiesMustAgree() {
        #expect(throws: DropReason.addressFamilyMismatch) { try decode(Self.messages[1].bytes, Sample.node1, Sample.group6) }
        // VRRPv2 is IPv4 only, even when it is well formed for its length.
        var v2Over6 = Self.messages[0].bytes
        v2Over6[3] = 0
        #expect(throws: DropReason.addressFamilyMismatch) { try decode(v2Over6, Sample.linkLocal1, Sample.group6) }
    }

    @Test func anyFlippedBitFailsTheChecksum() {
        for message in Self.messages {
            // Bits of the checksum, the addresses and the auth data are covered; the
            // header bits that decide structure are tested above.
            for byteIndex in 6..<message.bytes.count {
                for bit in 0..<8 {
                    var corrupt = message.bytes
                    corrupt[byteIndex] ^= 1 << bit
                    #expect(throws: DropReason.badChecksum, "\(message.name) byte \(byteIndex) bit \(bit)") {
                        try decode(corrupt, message.source, message.destination)
                    }
                }
            }
        }
    }

    @Test func v3ChecksumCoversTheSourceAddress() {
        #expect(throws: DropReason.badChecksum) { try decode(Self.messages[1].bytes, Sample.node2, Sample.group4) }
        #expect(throws: DropReason.badChecksum) { try decode(Self.messages[2].bytes, Sample.linkLocal2, Sample.group6) }
        // v2 sums the message alone: the same bytes from elsewhere still verify.
        #expect(throws: Never.self) { try decode(Self.messages[0].bytes, Sample.node2, Sample.node1) }
    }

    @Test(arguments: [2, 3, 255] as [UInt8])
    func unsupportedAuthenticationTypes(type: UInt8) {
        var message = Self.messages[0].bytes
        message[4] = type
        Sample.refreshChecksum(&message, source: Sample.node1, destination: Sample.group4)
        #expect(throws: DropReason.authTypeUnsupported) { try decode(message) }
    }

    @Test func v2ZeroIntervalIsDropped() {
        var message = Self.messages[0].bytes
        message[5] = 0
        Sample.refreshChecksum(&message, source: Sample.node1, destination: Sample.group4)
        #expect(throws: DropReason.zeroAdvertInterval) { try decode(message) }
    }

    @Test func v3ZeroIntervalIsDropped() {
        var message = Self.messages[1].bytes
        message[4] = 0xF0  // reserved bits set, interval zero
        message[5] = 0
        Sample.refreshChecksum(&message, source: Sample.node1, destination: Sample.group4)
        #expect(throws: DropReason.zeroAdvertInterval) { try decode(message) }
    }

    @Test func v3ReservedBitsAreIgnored() throws {
        var message = Self.messages[1].bytes
        message[4] |= 0xA0
        Sample.refreshChecksum(&message, source: Sample.node1, destination: Sample.group4)
        #expect(try decode(message).intervalCentiseconds == 100)
    }

    @Test func v2AuthDataOfTypeNoneIsIgnored() throws {
        var message = try Sample.v2.encodePayload(source: Sample.node1, destination: Sample.group4)
        message[19] = 0x55
        Sample.refreshChecksum(&message, source: Sample.node1, destination: Sample.group4)
        #expect(try decode(message) == Sample.v2)
    }

    @Test func ipv4HeaderChecks() throws {
        let packet = Sample.capturedV3Packet
        func edited(_ edit: (inout [UInt8]) -> Void, fixChecksum: Bool = true) -> [UInt8] {
            var bytes = packet
            edit(&bytes)
            if fixChecksum {
                bytes[10] = 0
                bytes[11] = 0
                let sum = InternetChecksum.of(bytes.prefix(Int(bytes[0] & 0x0F) * 4))
                bytes[10] = UInt8(sum >> 8)
                bytes[11] = UInt8(sum & 0xFF)
            }
            return bytes
        }
        #expect(throws: DropReason.ipHeaderInvalid) { try IPv4AdvertisementPacket.decode(edited { $0[0] = 0x65 }) }
        #expect(throws: DropReason.ipHeaderInvalid) { try IPv4AdvertisementPacket.decode(edited { $0[0] = 0x44 }) }
        #expect(throws: DropReason.ipHeaderInvalid) { try IPv4AdvertisementPacket.decode(edited { $0[3] = 19 }) }
        #expect(throws: DropReason.ipHeaderBadChecksum) {
            try IPv4AdvertisementPacket.decode(edited({ $0[8] = 64 }, fixChecksum: false))
        }
        #expect(throws: DropReason.ipFragment) { try IPv4AdvertisementPacket.decode(edited { $0[6] = 0x20 }) }
        #expect(throws: DropReason.ipFragment) { try IPv4AdvertisementPacket.decode(edited { $0[7] = 0x01 }) }
        #expect(throws: DropReason.wrongProtocol) { try IPv4AdvertisementPacket.decode(edited { $0[9] = 51 }) }
        // DF alone is a whole datagram.
        #expect(try IPv4AdvertisementPacket.decode(edited { $0[6] = 0x40 }).advertisement == Sample.v3IPv4)
        // A total length that leaves the VRRP message short, or long.
        #expect(throws: DropReason.truncated) { try IPv4AdvertisementPacket.decode(edited { $0[3] -= 4 }) }
        #expect(throws: DropReason.lengthMismatch) {
            try IPv4AdvertisementPacket.decode(edited { $0[3] += 4; $0 += [0, 0, 0, 0] })
        }
        // Ethernet padding past the total length is not part of the packet.
        #expect(try IPv4AdvertisementPacket.decode(packet + [UInt8](repeating: 0, count: 14)).advertisement
                == Sample.v3IPv4)
    }

    @Test func ipv4OptionsAreKeptAndReEncoded() throws {
        var packet = IPv4AdvertisementPacket(
            advertisement: Sample.v3IPv4, source: IPv4Address(192, 0, 2, 11), identification: 7)
        packet.header.options = [0x94, 0x04, 0x00, 0x00]  // Router Alert
        let bytes = try packet.encoded()
        #expect(bytes[0] == 0x46)
        let decoded = try IPv4AdvertisementPacket.decode(bytes)
        #expect(decoded.header.options == [0x94, 0x04, 0x00, 0x00])
        #expect(decoded.advertisement == Sample.v3IPv4)
        #expect(try decoded.encoded() == bytes)
    }
}

@Suite struct PacketRoundTripTests {
    static let combinations: [(VRRPVersion, AddressFamily)] = [(.v2, .ipv4), (.v3, .ipv4), (.v3, .ipv6)]

    @Test(arguments: ChecksumMode.allCases, [UInt64(1), 2, 3])
    func randomAdvertsRoundTrip(mode: ChecksumMode, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var checked = 0
        for (version, family) in Self.combinations {
            for _ in 0..<300 {
                let advert = Sample.randomAdvertisement(version: version, family: family, using: &rng)
                let (source, destination): (IPAddress, IPAddress) = family == .ipv4
                    ? (.v4(IPv4Address(UInt32.random(in: 0...UInt32.max, using: &rng))),
                       Bool.random(using: &rng) ? Sample.group4 : .v4(IPv4Address(UInt32.random(in: 0...UInt32.max, using: &rng))))
                    : (.v6(IPv6Address(high: rng.next(), low: rng.next())), Sample.group6)
                let payload = try advert.encodePayload(source: source, destination: destination, checksum: mode)
                let decoded = try Advertisement.decode(payload: payload, source: source, destination: destination,
                                                       checksum: mode)
                #expect(decoded == advert, "seed \(seed): \(advert)")
                #expect(try decoded.encodePayload(source: source, destination: destination, checksum: mode) == payload)
                checked += 1
            }
        }
        #expect(checked == 900)
    }

    @Test(arguments: [UInt64(11), 12])
    func randomIPv4PacketsRoundTrip(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<500 {
            let version: VRRPVersion = Bool.random(using: &rng) ? .v2 : .v3
            let packet = IPv4AdvertisementPacket(
                advertisement: Sample.randomAdvertisement(version: version, family: .ipv4, using: &rng),
                source: IPv4Address(UInt32.random(in: 0...UInt32.max, using: &rng)),
                destination: IPv4Address(UInt32.random(in: 0...UInt32.max, using: &rng)),
                identification: UInt16.random(in: 0...UInt16.max, using: &rng),
                typeOfService: UInt8.random(in: 0...255, using: &rng),
                timeToLive: UInt8.random(in: 0...255, using: &rng))
            let bytes = try packet.encoded()
            let decoded = try IPv4AdvertisementPacket.decode(bytes)
            #expect(decoded.advertisement == packet.advertisement, "seed \(seed)")
            #expect(decoded.header.identification == packet.header.identification)
            #expect(decoded.header.typeOfService == packet.header.typeOfService)
            #expect(decoded.header.timeToLive == packet.header.timeToLive)
            #expect(try decoded.encoded() == bytes)
        }
    }
}
