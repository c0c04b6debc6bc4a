import HaloNet
import Testing
@testable import VRRP

@Suite struct ReceiveAcceptanceTests {
    let standard = Receive.policy(Receive.v2Instance(), Receive.v3Instance())

    @Test func capturedKeepalivedAdvertIsAccepted() throws {
        // As node 2 (192.0.2.12) hearing node 1's first advert.
        let policy = ReceivePolicy(family: .ipv4, ownAddresses: [Sample.node2], instances: [Receive.v2Instance()])
        let outcome = policy.evaluate(ipv4Packet: Sample.capturedV2PasswordPacket)
        #expect(outcome == .accepted(ReceivedAdvertisement(advertisement: Sample.v2Password, source: Sample.node1)))
    }

    @Test func unicastSkipsTheTTLCheck() {
        let unicast = Receive.policy(Receive.v2Instance(delivery: .unicast(peers: [.v4(Receive.peer)], checkSource: true)))
        let routed = Receive.packet(to: Receive.us, ttl: 61)
        #expect(unicast.evaluate(ipv4Packet: routed).received?.advertisement == Sample.v2Password)
        #expect(standard.evaluate(ipv4Packet: routed).dropReason == .ttlNot255)
    }

    @Test func unicastWithoutSourceCheckAcceptsAnySource() {
        let policy = Receive.policy(Receive.v2Instance(delivery: .unicast(peers: [.v4(Receive.peer)], checkSource: false)))
        let outcome = policy.evaluate(ipv4Packet: Receive.packet(from: Receive.stranger, to: Receive.us))
        #expect(outcome.received?.source == .v4(Receive.stranger))
    }

    @Test func ownerProcessesAdvertsByDefaultLikeKeepalived() {
        let policy = Receive.policy(Receive.v2Instance(owner: true))
        #expect(policy.evaluate(ipv4Packet: Receive.packet()).received != nil)
    }

    @Test func priorityZeroIsAccepted() {
        let outcome = standard.evaluate(ipv4Packet: Receive.packet(Receive.advert { $0.priority = 0 }))
        #expect(outcome.received?.advertisement.priority == 0)
    }

    @Test func passwordIsComparedAsTheEightByteField() {
        // keepalived truncates a long configured password to 8 bytes.
        var instance = Receive.v2Instance()
        instance.authentication = .password(Array("kalpass-and-more".utf8))
        let sent = Receive.advert { $0.authentication = .password("kalpass-") }
        #expect(Receive.policy(instance).evaluate(ipv4Packet: Receive.packet(sent)).received != nil)
        #expect(ReceiveExpectation.passwordField(Array("abc".utf8)) == [0x61, 0x62, 0x63, 0, 0, 0, 0, 0])
    }

    @Test func ipv6PayloadWithHopLimit() {
        let policy = ReceivePolicy(
            family: .ipv6, ownAddresses: [Sample.linkLocal2],
            instances: [ReceiveExpectation(virtualRouterID: 51, version: .v3, advertIntervalCentiseconds: 100,
                                           virtualAddresses: [Sample.vip6])])
        let accepted = policy.evaluate(payload: Sample.capturedV3IPv6Payload, source: Sample.linkLocal1,
                                       destination: Sample.group6, hopLimit: 255)
        #expect(accepted == .accepted(ReceivedAdvertisement(advertisement: Sample.v3IPv6, source: Sample.linkLocal1)))
        let routed = policy.evaluate(payload: Sample.capturedV3IPv6Payload, source: Sample.linkLocal1,
                                     destination: Sample.group6, hopLimit: 64)
        #expect(routed == .dropped(.ttlNot255, virtualRouterID: 51))
        #expect(policy.evaluate(ipv4Packet: Sample.capturedV3Packet) == .dropped(.addressFamilyMismatch, virtualRouterID: nil))
    }
}

@Suite struct ReceiveWarningTests {
    let standard = Receive.policy(Receive.v2Instance(), Receive.v3Instance())
    let v3Advert = Receive.advert({ $0.virtualRouterID = 52 }, from: Sample.v3IPv4)

    @Test func v3IntervalMismatchIsAWarning() {
        let sent = Receive.advert({ $0.intervalCentiseconds = 10 }, from: v3Advert)
        let outcome = standard.evaluate(ipv4Packet: Receive.packet(sent))
        #expect(outcome.received?.advertisement == sent)
        #expect(outcome.received?.warnings == [.advertIntervalMismatch(expectedCentiseconds: 100, receivedCentiseconds: 10)])
    }

    @Test func addressCountMismatchIsAWarning() {
        for addresses in [[], [Sample.vip4, IPAddress("192.0.2.101")!]] {
            let sent = Receive.advert({ $0.addresses = addresses }, from: v3Advert)
            let outcome = standard.evaluate(ipv4Packet: Receive.packet(sent))
            #expect(outcome.received?.warnings == [.addressCountMismatch(expected: 1, received: addresses.count)])
        }
    }

    @Test func addressListMismatchIsAWarningButOrderIsNot() {
        let other = Receive.advert({ $0.addresses = [IPAddress("192.0.2.101")!] }, from: v3Advert)
        #expect(standard.evaluate(ipv4Packet: Receive.packet(other)).received?.warnings == [.addressListMismatch])

        let two = [Sample.vip4, IPAddress("192.0.2.101")!]
        let policy = Receive.policy(Receive.v3Instance(virtualAddresses: two))
        let reversed = Receive.advert({ $0.addresses = two.reversed() }, from: v3Advert)
        #expect(policy.evaluate(ipv4Packet: Receive.packet(reversed)).received?.warnings == [])
    }

    @Test func warningsAccumulate() {
        let sent = Receive.advert({ $0.addresses = []; $0.intervalCentiseconds = 50 }, from: v3Advert)
        let warnings = standard.evaluate(ipv4Packet: Receive.packet(sent)).received?.warnings ?? []
        #expect(Set(warnings.map(\.kind)) == [.advertIntervalMismatch, .addressCountMismatch])
    }

    @Test func oldUnicastChecksumIsRecognisedInUnicastMode() {
        let unicast = Receive.policy(Receive.v3Instance(delivery: .unicast(peers: [.v4(Receive.peer)], checkSource: false)))
        let old = Receive.packet(v3Advert, to: Receive.us, checksum: .pseudoHeaderWithMulticastGroup)
        #expect(unicast.evaluate(ipv4Packet: old).received?.warnings == [.oldUnicastChecksum])
        // The current form has no warning.
        let current = Receive.packet(v3Advert, to: Receive.us)
        #expect(unicast.evaluate(ipv4Packet: current).received?.warnings == [])
        // Only unicast instances in the default mode fall back.
        let strictMessageOnly = Receive.policy(Receive.v3Instance(
            delivery: .unicast(peers: [.v4(Receive.peer)], checkSource: false), checksum: .messageOnly))
        #expect(strictMessageOnly.evaluate(ipv4Packet: old).dropReason == .badChecksum)
        let multicast = Receive.policy(Receive.v3Instance())
        #expect(multicast.evaluate(ipv4Packet: Receive.packet(v3Advert, to: Receive.us, checksum: .pseudoHeaderWithMulticastGroup))
                .dropReason == .badChecksum)
    }

    @Test func configuredChecksumModesAccept() {
        for mode in ChecksumMode.allCases {
            let policy = Receive.policy(Receive.v3Instance(
                delivery: .unicast(peers: [.v4(Receive.peer)], checkSource: true), checksum: mode))
            let outcome = policy.evaluate(ipv4Packet: Receive.packet(v3Advert, to: Receive.us, checksum: mode))
            #expect(outcome.received?.advertisement == v3Advert, "\(mode)")
        }
    }

    @Test func warningKindsCoverEveryWarning() {
        let all: [ReceiveWarning] = [.addressCountMismatch(expected: 1, received: 2), .addressListMismatch,
                                     .advertIntervalMismatch(expectedCentiseconds: 1, receivedCentiseconds: 2),
                                     .oldUnicastChecksum]
        #expect(all.map(\.kind) == ReceiveWarning.Kind.allCases)
    }
}
