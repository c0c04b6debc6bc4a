// modules: HaloNet VRRP
import HaloNet
import VRRP

/// Any bytes either fail to decode (with a `DropReason`, never a crash) or decode
/// to a value whose encoding decodes to the same value. Each input is tried as a
/// whole IPv4 packet and as a bare VRRP message over IPv4 and IPv6, once as is
/// and once with its checksums repaired so the fuzzer gets past them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAdvertisement(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for mode in ChecksumMode.allCases {
        checkIPv4Packet(bytes, mode: mode)
        checkIPv4Packet(withRepairedChecksums(ipv4Packet: bytes, mode: mode), mode: mode)
        for (source, destination) in endpoints {
            checkPayload(bytes, source: source, destination: destination, mode: mode)
            checkPayload(withRepairedChecksum(bytes, source: source, destination: destination, mode: mode),
                         source: source, destination: destination, mode: mode)
        }
    }
    checkReceivePolicies(bytes)
    checkAnnouncements(bytes)
    return 0
}

private let endpoints: [(IPAddress, IPAddress)] = [
    (IPAddress("192.0.2.11")!, .v4(VRRPWire.ipv4Group)),
    (IPAddress("192.0.2.11")!, IPAddress("192.0.2.12")!),
    (IPAddress("fe80::6b:61ff:fe6c:1")!, .v6(VRRPWire.ipv6Group)),
]

private func checkIPv4Packet(_ bytes: [UInt8], mode: ChecksumMode) {
    guard let packet = try? IPv4AdvertisementPacket.decode(bytes, checksum: mode) else { return }
    let encoded: [UInt8]
    do { encoded = try packet.encoded(checksum: mode) } catch {
        preconditionFailure("decoded IPv4 advert does not encode: \(error) \(packet)")
    }
    guard let again = try? IPv4AdvertisementPacket.decode(encoded, checksum: mode) else {
        preconditionFailure("re-encoded IPv4 advert does not decode: \(packet)")
    }
    precondition(again.advertisement == packet.advertisement, "IPv4 advert round trip")
    var header = packet.header, headerAgain = again.header
    header.checksum = 0  // 0x0000 and 0xffff both verify, so the stored form may change
    headerAgain.checksum = 0
    precondition(header == headerAgain, "IPv4 header round trip")
    precondition((try? again.encoded(checksum: mode)) == encoded, "IPv4 encoding is not stable")
}

private func checkPayload(_ bytes: [UInt8], source: IPAddress, destination: IPAddress, mode: ChecksumMode) {
    guard let advert = try? Advertisement.decode(payload: bytes, source: source, destination: destination,
                                                 checksum: mode) else { return }
    let encoded: [UInt8]
    do { encoded = try advert.encodePayload(source: source, destination: destination, checksum: mode) } catch {
        preconditionFailure("decoded advert does not encode: \(error) \(advert)")
    }
    precondition(encoded.count == bytes.count, "re-encoded length differs")
    let again = try? Advertisement.decode(payload: encoded, source: source, destination: destination, checksum: mode)
    precondition(again == advert, "advert round trip: \(advert)")
}

private func withRepairedChecksum(
    _ bytes: [UInt8], source: IPAddress, destination: IPAddress, mode: ChecksumMode
) -> [UInt8] {
    guard bytes.count >= 8 else { return bytes }
    var message = bytes
    message[6] = 0
    message[7] = 0
    let version: VRRPVersion = message[0] >> 4 == 2 ? .v2 : .v3
    let sum = VRRPChecksum.compute(over: message[...], version: version, source: source,
                                   destination: destination, mode: mode)
    message[6] = UInt8(sum >> 8)
    message[7] = UInt8(truncatingIfNeeded: sum)
    return message
}

private func withRepairedChecksums(ipv4Packet bytes: [UInt8], mode: ChecksumMode) -> [UInt8] {
    guard bytes.count >= 20 else { return bytes }
    let headerLength = max(20, Int(bytes[0] & 0x0F) * 4)
    guard bytes.count >= headerLength else { return bytes }
    var packet = bytes
    packet[10] = 0
    packet[11] = 0
    let sum = InternetChecksum.of(packet.prefix(headerLength))
    packet[10] = UInt8(sum >> 8)
    packet[11] = UInt8(truncatingIfNeeded: sum)
    let totalLength = min(packet.count, max(headerLength, Int(packet[2]) << 8 | Int(packet[3])))
    let source = IPAddress.v4(IPv4Address(bytes: packet[12..<16])!)
    let destination = IPAddress.v4(IPv4Address(bytes: packet[16..<20])!)
    let message = withRepairedChecksum(Array(packet[headerLength..<totalLength]), source: source,
                                       destination: destination, mode: mode)
    packet.replaceSubrange(headerLength..<totalLength, with: message)
    return packet
}

private let policies: [ReceivePolicy] = [
    ReceivePolicy(family: .ipv4, ownAddresses: [IPAddress("192.0.2.11")!], instances: [
        ReceiveExpectation(virtualRouterID: 51, version: .v2, authentication: .password("kalpass"),
                           advertIntervalCentiseconds: 100, virtualAddresses: [IPAddress("192.0.2.100")!]),
        ReceiveExpectation(virtualRouterID: 52, version: .v3, advertIntervalCentiseconds: 100,
                           virtualAddresses: [IPAddress("192.0.2.100")!],
                           delivery: .unicast(peers: [IPAddress("192.0.2.12")!], checkSource: true)),
    ]),
    ReceivePolicy(family: .ipv6, ownAddresses: [], instances: [
        ReceiveExpectation(virtualRouterID: 51, version: .v3, advertIntervalCentiseconds: 100,
                           virtualAddresses: [IPAddress("2001:db8::100")!]),
    ]),
]

private func checkReceivePolicies(_ bytes: [UInt8]) {
    let outcome = policies[0].evaluate(ipv4Packet: bytes)
    if let received = outcome.received {
        precondition(received.advertisement.virtualRouterID == 51 || received.advertisement.virtualRouterID == 52)
    }
    let ipv6 = policies[1].evaluate(payload: bytes, source: endpoints[2].0, destination: endpoints[2].1, hopLimit: 255)
    if let received = ipv6.received { precondition(received.advertisement.version == .v3) }
}

private func checkAnnouncements(_ bytes: [UInt8]) {
    // Parsers accept trailing padding; what they read is the frame's start exactly.
    if let arp = GratuitousARP.parse(frame: bytes) {
        precondition(arp.frame() == Array(bytes.prefix(GratuitousARP.frameLength)), "GARP round trip")
        precondition(GratuitousARP.parse(frame: arp.frame()) == arp, "GARP reparse")
    }
    if let advertisement = UnsolicitedNeighborAdvertisement.parse(frame: bytes) {
        let frame = advertisement.frame()
        precondition(frame == Array(bytes.prefix(UnsolicitedNeighborAdvertisement.frameLength)), "NA round trip")
        precondition(UnsolicitedNeighborAdvertisement.parse(frame: frame) == advertisement, "NA reparse")
    }
}
