import HaloNet
import Testing
@testable import VRRP

@Suite struct ChecksumTests {
    @Test func rfc1071Example() {
        // RFC 1071 §3: these bytes sum to 0xddf2, so the checksum is its complement.
        #expect(InternetChecksum.of([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]) == ~UInt16(0xDDF2))
    }

    @Test func oddLengthPadsWithZero() {
        #expect(InternetChecksum.of([0x12, 0x34, 0x56]) == InternetChecksum.of([0x12, 0x34, 0x56, 0x00]))
    }

    @Test func carriesFoldBackIn() {
        // 0xffff + 0x0001 = 0x10000, folded to 0x0001.
        #expect(InternetChecksum.of([0xFF, 0xFF, 0x00, 0x01]) == ~UInt16(0x0001))
    }

    @Test func wordsAndBytesAgree() {
        var words = InternetChecksum()
        words.add(doubleWord: 0xC000_020B)
        words.add(word: 0x0070)
        #expect(words.value == InternetChecksum.of([0xC0, 0x00, 0x02, 0x0B, 0x00, 0x70]))
    }

    @Test func capturedIPv4HeaderChecksum() {
        var header = Array(Sample.capturedV2PasswordPacket.prefix(20))
        #expect(InternetChecksum.of(header) == 0)
        header[10] = 0
        header[11] = 0
        #expect(InternetChecksum.of(header) == 0x1887)
    }

    func v3Checksum(_ mode: ChecksumMode, destination: IPAddress) throws -> UInt16 {
        let message = try Sample.v3IPv4.encodePayload(source: Sample.node1, destination: destination, checksum: mode)
        return UInt16(message[6]) << 8 | UInt16(message[7])
    }

    @Test func v3IPv4ModesDiffer() throws {
        // Unicast to a peer: all three forms differ.
        let unicast = try ChecksumMode.allCases.map { try v3Checksum($0, destination: Sample.node2) }
        #expect(Set(unicast).count == 3)
        // Multicast: the old unicast form is the ordinary one.
        #expect(try v3Checksum(.pseudoHeader, destination: Sample.group4) == 0x0568)
        #expect(try v3Checksum(.pseudoHeaderWithMulticastGroup, destination: Sample.node2) == 0x0568)
        // Message-only ignores the addresses altogether.
        #expect(try v3Checksum(.messageOnly, destination: Sample.group4) == v3Checksum(.messageOnly, destination: Sample.node2))
        var zeroed = try Sample.v3IPv4.encodePayload(source: Sample.node1, destination: Sample.group4, checksum: .messageOnly)
        let stored = UInt16(zeroed[6]) << 8 | UInt16(zeroed[7])
        zeroed[6] = 0
        zeroed[7] = 0
        #expect(stored == InternetChecksum.of(zeroed))
    }

    @Test func v2AndIPv6IgnoreTheMode() throws {
        let v2 = try ChecksumMode.allCases.map {
            try Sample.v2Password.encodePayload(source: Sample.node1, destination: Sample.node2, checksum: $0)
        }
        #expect(Set(v2).count == 1)
        #expect(v2[0] == Array(Sample.capturedV2PasswordPacket.dropFirst(20)))
        let v6 = try ChecksumMode.allCases.map {
            try Sample.v3IPv6.encodePayload(source: Sample.linkLocal1, destination: Sample.group6, checksum: $0)
        }
        #expect(Set(v6) == [Sample.capturedV3IPv6Payload])
    }

    @Test func modeNamesAreStable() {
        #expect(ChecksumMode.allCases.map(\.rawValue) == ["pseudo_header", "message_only", "old_unicast"])
    }
}
