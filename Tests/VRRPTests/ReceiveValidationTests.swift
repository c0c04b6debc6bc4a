import HaloNet
import Testing
@testable import VRRP

/// Builders for the receive tests: node 1 (192.0.2.11) is us, node 2 the peer.
enum Receive {
    static let us = IPv4Address(192, 0, 2, 11)
    static let peer = IPv4Address(192, 0, 2, 12)
    static let stranger = IPv4Address(198, 51, 100, 7)

    static func v2Instance(delivery: AdvertDelivery = .multicast, owner: Bool = false, ignoring: Bool = false)
        -> ReceiveExpectation {
        ReceiveExpectation(
            virtualRouterID: 51, version: .v2, authentication: .password("kalpass"), advertIntervalCentiseconds: 100,
            virtualAddresses: [Sample.vip4], delivery: delivery, isAddressOwner: owner, ownerIgnoresAdverts: ignoring)
    }

    static func v3Instance(delivery: AdvertDelivery = .multicast, checksum: ChecksumMode = .pseudoHeader,
                           virtualAddresses: [IPAddress] = [Sample.vip4]) -> ReceiveExpectation {
        ReceiveExpectation(
            virtualRouterID: 52, version: .v3, advertIntervalCentiseconds: 100, virtualAddresses: virtualAddresses,
            delivery: delivery, checksum: checksum)
    }

    static func policy(_ instances: ReceiveExpectation...) -> ReceivePolicy {
        ReceivePolicy(family: .ipv4, ownAddresses: [.v4(us)], instances: instances)
    }

    /// Node 2's advert for VRID 51, to the group unless told otherwise.
    static func packet(
        _ advert: Advertisement = Sample.v2Password, from source: IPv4Address = peer,
        to destination: IPv4Address = VRRPWire.ipv4Group, ttl: UInt8 = 255, checksum: ChecksumMode = .pseudoHeader,
        edit: (inout IPv4Header) -> Void = { _ in }
    ) -> [UInt8] {
        var packet = IPv4AdvertisementPacket(
            advertisement: advert, source: source, destination: destination, identification: 1, timeToLive: ttl)
        edit(&packet.header)
        return try! packet.encoded(checksum: checksum)
    }

    /// Node 2's packet with its VRRP message edited and the VRRP checksum refreshed.
    static func packet(editingMessage edit: (inout [UInt8]) -> Void, _ advert: Advertisement = Sample.v2Password)
        -> [UInt8] {
        var bytes = packet(advert)
        var message = Array(bytes.dropFirst(20))
        edit(&message)
        Sample.refreshChecksum(&message, source: .v4(peer), destination: Sample.group4)
        bytes.replaceSubrange(20..., with: message)
        return bytes
    }

    static func advert(_ edit: (inout Advertisement) -> Void, from base: Advertisement = Sample.v2Password)
        -> Advertisement {
        var advert = base
        edit(&advert)
        return advert
    }
}

/// One way to provoke each drop reason.
enum DropScenario: String, CaseIterable, CustomTestStringConvertible {
    // Raw values are the metric names, so this table also pins them.
    case ipHeaderInvalid = "ip_header_invalid", ipHeaderBadChecksum = "ip_header_bad_checksum"
    case ipFragment = "ip_fragment", wrongProtocol = "wrong_protocol"
    case truncated = "truncated", lengthMismatch = "length_mismatch", wrongVersion = "wrong_version"
    case wrongType = "wrong_type", addressFamilyMismatch = "address_family_mismatch", badChecksum = "bad_checksum"
    case authTypeUnsupported = "auth_type_unsupported", zeroAdvertInterval = "zero_advert_interval"
    case ttlNot255 = "ttl_not_255", unknownVRID = "unknown_vrid", ownPacket = "own_packet"
    case addressOwner = "address_owner", sourceNotUnicastPeer = "source_not_unicast_peer"
    case authTypeMismatch = "auth_type_mismatch", passwordMismatch = "password_mismatch"
    case advertIntervalMismatch = "advert_interval_mismatch"

    var testDescription: String { rawValue }

    /// Nil would mean a scenario without a reason: `everyDropReasonHasAScenario` catches it.
    var expected: DropReason? { DropReason(rawValue: rawValue) }

    /// The VRID the drop should be counted against.
    var countedVRID: UInt8? {
        switch self {
        case .ipHeaderInvalid, .ipHeaderBadChecksum, .ipFragment, .wrongProtocol, .truncated,
             .addressFamilyMismatch, .unknownVRID: nil
        case .zeroAdvertInterval: 52
        default: 51
        }
    }

    func run() -> ReceiveOutcome {
        let standard = Receive.policy(Receive.v2Instance(), Receive.v3Instance())
        switch self {
        case .ipHeaderInvalid:
            var bytes = Receive.packet()
            bytes[0] = 0x65
            return standard.evaluate(ipv4Packet: bytes)
        case .ipHeaderBadChecksum:
            var bytes = Receive.packet()
            bytes[8] = 254
            return standard.evaluate(ipv4Packet: bytes)
        case .ipFragment:
            return standard.evaluate(ipv4Packet: Receive.packet { $0.flagsAndFragmentOffset = IPv4Header.moreFragmentsFlag })
        case .wrongProtocol:
            return standard.evaluate(ipv4Packet: Receive.packet { $0.protocolNumber = 51 })
        case .truncated:
            return standard.evaluate(ipv4Packet: Array(Receive.packet().dropLast(4)))
        case .lengthMismatch:
            let message = Array(Receive.packet().dropFirst(20)) + [0, 0, 0, 0]
            return standard.evaluate(payload: message, source: .v4(Receive.peer), destination: Sample.group4, hopLimit: 255)
        case .wrongVersion:
            return standard.evaluate(ipv4Packet: Receive.packet(Receive.advert({ $0.version = .v3; $0.authentication = .none })))
        case .wrongType:
            return standard.evaluate(ipv4Packet: Receive.packet(editingMessage: { $0[0] = 0x22 }))
        case .addressFamilyMismatch:
            return standard.evaluate(payload: Sample.capturedV3IPv6Payload, source: Sample.linkLocal2,
                                     destination: Sample.group6, hopLimit: 255)
        case .badChecksum:
            var bytes = Receive.packet()
            bytes[26] ^= 0x01
            return standard.evaluate(ipv4Packet: bytes)
        case .authTypeUnsupported:
            return standard.evaluate(ipv4Packet: Receive.packet(editingMessage: { $0[4] = 2 }))
        case .zeroAdvertInterval:
            return standard.evaluate(ipv4Packet: Receive.packet(
                editingMessage: { $0[4] = 0; $0[5] = 0 }, Receive.advert({ $0.virtualRouterID = 52 }, from: Sample.v3IPv4)))
        case .ttlNot255:
            return standard.evaluate(ipv4Packet: Receive.packet(ttl: 254))
        case .unknownVRID:
            return standard.evaluate(ipv4Packet: Receive.packet(Receive.advert { $0.virtualRouterID = 53 }))
        case .ownPacket:
            return standard.evaluate(ipv4Packet: Receive.packet(from: Receive.us))
        case .addressOwner:
            return Receive.policy(Receive.v2Instance(owner: true, ignoring: true)).evaluate(ipv4Packet: Receive.packet())
        case .sourceNotUnicastPeer:
            let policy = Receive.policy(Receive.v2Instance(delivery: .unicast(peers: [.v4(Receive.stranger)], checkSource: true)))
            return policy.evaluate(ipv4Packet: Receive.packet(to: Receive.us))
        case .authTypeMismatch:
            return standard.evaluate(ipv4Packet: Receive.packet(Sample.v2))
        case .passwordMismatch:
            return standard.evaluate(ipv4Packet: Receive.packet(Receive.advert { $0.authentication = .password("kalpasX") }))
        case .advertIntervalMismatch:
            return standard.evaluate(ipv4Packet: Receive.packet(Receive.advert { $0.intervalCentiseconds = 200 }))
        }
    }
}

@Suite struct ReceiveDropTests {
    @Test(arguments: DropScenario.allCases)
    func dropsWithItsReason(scenario: DropScenario) throws {
        let expected = try #require(scenario.expected)
        #expect(scenario.run() == .dropped(expected, virtualRouterID: scenario.countedVRID))
    }

    @Test func everyDropReasonHasAScenario() {
        #expect(Set(DropScenario.allCases.compactMap(\.expected)) == Set(DropReason.allCases))
        #expect(DropScenario.allCases.count == DropReason.allCases.count)
    }

    @Test func metricNamesAreStableSnakeCase() {
        let names = DropReason.allCases.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } })
        #expect(DropReason.ttlNot255.name == "ttl_not_255")
        #expect(DropReason.unknownVRID.name == "unknown_vrid")
        #expect(ReceiveWarning.Kind.allCases.map(\.rawValue)
                == ["address_count_mismatch", "address_list_mismatch", "advert_interval_mismatch", "old_unicast_checksum"])
    }
}
