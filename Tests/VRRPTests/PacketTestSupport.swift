import HaloNet
import VRRPSimulation
@testable import VRRP

/// Shared sample packets for the codec and validation tests.
enum Sample {
    static let node1: IPAddress = .v4(IPv4Address(192, 0, 2, 11))
    static let node2: IPAddress = .v4(IPv4Address(192, 0, 2, 12))
    static let group4: IPAddress = .v4(VRRPWire.ipv4Group)
    static let linkLocal1: IPAddress = .v6(IPv6Address("fe80::6b:61ff:fe6c:1")!)
    static let linkLocal2: IPAddress = .v6(IPv6Address("fe80::6b:61ff:fe6c:2")!)
    static let group6: IPAddress = .v6(VRRPWire.ipv6Group)
    static let vip4 = IPAddress("192.0.2.100")!
    static let vip6 = IPAddress("2001:db8::100")!

    static let v2Password = Advertisement(
        version: .v2, virtualRouterID: 51, priority: 100, intervalCentiseconds: 100,
        addresses: [vip4], authentication: .password("kalpass"))
    static let v2 = Advertisement(version: .v2, virtualRouterID: 51, priority: 100, intervalCentiseconds: 100,
                                  addresses: [vip4])
    static let v3IPv4 = Advertisement(version: .v3, virtualRouterID: 51, priority: 100, intervalCentiseconds: 100,
                                      addresses: [vip4])
    static let v3IPv6 = Advertisement(version: .v3, virtualRouterID: 51, priority: 100, intervalCentiseconds: 100,
                                      addresses: [vip6])

    /// The first v2 PASS advert keepalived sent, IPv4 header included (captures.txt).
    static let capturedV2PasswordPacket = [UInt8](hex: """
        45c0 0028 0001 0000 ff70 1887 c000 020b e000 0012
        2133 6401 0101 0b20 c000 0264 6b61 6c70 6173 7300
        """)
    /// The first v3 advert at 1 s, IPv4 header included.
    static let capturedV3Packet = [UInt8](hex: """
        45c0 0020 0001 0000 ff70 188f c000 020b e000 0012 3133 6401 0064 0568 c000 0264
        """)
    /// The first v3 advert over IPv6: the VRRP payload only, as a raw socket gives it.
    static let capturedV3IPv6Payload = [UInt8](hex: """
        3133 6401 0064 dcb7 2001 0db8 0000 0000 0000 0000 0000 0100
        """)

    /// A random advert the encoder accepts, of the given version and family.
    static func randomAdvertisement(
        version: VRRPVersion, family: AddressFamily, using rng: inout SplitMix64
    ) -> Advertisement {
        let count = Int.random(in: 0...(Bool.random(using: &rng) ? 3 : 255), using: &rng)
        let addresses: [IPAddress] = (0..<count).map { _ in
            switch family {
            case .ipv4: .v4(IPv4Address(UInt32.random(in: 0...UInt32.max, using: &rng)))
            case .ipv6: .v6(IPv6Address(high: rng.next(), low: rng.next()))
            }
        }
        let interval: UInt16 = version == .v2
            ? UInt16.random(in: 1...255, using: &rng) * 100
            : UInt16.random(in: 1...VRRPWire.maxV3IntervalCentiseconds, using: &rng)
        let authentication: Authentication = version == .v2 && Bool.random(using: &rng)
            ? .password((0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) })
            : .none
        return Advertisement(
            version: version, virtualRouterID: UInt8.random(in: 0...255, using: &rng),
            priority: UInt8.random(in: 0...255, using: &rng), intervalCentiseconds: interval,
            addresses: addresses, authentication: authentication)
    }

    /// Recomputes the VRRP checksum of a hand-edited message so only the edit is tested.
    static func refreshChecksum(
        _ message: inout [UInt8], source: IPAddress, destination: IPAddress, mode: ChecksumMode = .pseudoHeader
    ) {
        message[6] = 0
        message[7] = 0
        let version: VRRPVersion = message[0] >> 4 == 2 ? .v2 : .v3
        let sum = VRRPChecksum.compute(over: message[...], version: version, source: source,
                                       destination: destination, mode: mode)
        message[6] = UInt8(sum >> 8)
        message[7] = UInt8(sum & 0xFF)
    }
}
