import HaloNet
import Testing
@testable import VRRP

/// A master re-stamps its last packet with the next IP ID instead of encoding it again:
/// the result must be byte for byte what a fresh encoding with that ID gives.
@Suite struct RestampTests {
    @Test(arguments: [UInt16(2), 3, 0x00ff, 0x8000, .max])
    func restampedPacketEqualsAFreshEncoding(identification: UInt16) throws {
        for advertisement in [Sample.v2Password, Sample.v3IPv4] {
            var packet = try IPv4AdvertisementPacket(
                advertisement: advertisement, source: IPv4Address(192, 0, 2, 11), identification: 1).encoded()
            IPv4AdvertisementPacket.restamp(&packet, identification: identification)
            let fresh = try IPv4AdvertisementPacket(
                advertisement: advertisement, source: IPv4Address(192, 0, 2, 11), identification: identification).encoded()
            #expect(packet == fresh)
            #expect(try IPv4AdvertisementPacket.decode(packet).header.identification == identification)
        }
    }
}
