import HaloNet
import Testing

@Suite struct IPv4AddressTests {
    @Test(arguments: ["192.0.2.1", "0.0.0.0", "255.255.255.255", "198.51.100.7"])
    func roundTrips(text: String) throws {
        let address = try #require(IPv4Address(text))
        #expect(address.description == text)
        #expect(IPv4Address(bytes: address.bytes) == address)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "01234.1.1.1", "a.b.c.d", "1.2.3.4/", " 1.2.3.4", "١.2.3.4"])
    func rejects(text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func classifiesMulticast() {
        #expect(IPv4Address("224.0.0.18")!.isMulticast)
        #expect(!IPv4Address("192.0.2.1")!.isMulticast)
    }
}

@Suite struct IPv6AddressTests {
    @Test(arguments: [
        ("2001:db8::100", "2001:db8::100"),
        ("2001:DB8:0:0:0:0:0:100", "2001:db8::100"),
        ("::", "::"),
        ("::1", "::1"),
        ("fe80::6b:61ff:fe6c:1", "fe80::6b:61ff:fe6c:1"),
        ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
        ("2001:db8::1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8:1:1:1:1:1:0", "2001:db8:1:1:1:1:1:0"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"),
        ("ff02::12", "ff02::12"),
    ])
    func parsesAndPrintsCanonically(input: String, canonical: String) throws {
        let address = try #require(IPv6Address(input))
        #expect(address.description == canonical)
        #expect(IPv6Address(canonical) == address)
        #expect(IPv6Address(bytes: address.bytes) == address)
    }

    @Test(arguments: ["", ":", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "g::1", "::1.2.3", "1.2.3.4::", "1:2:3:4:5:6:7::8"])
    func rejects(text: String) {
        #expect(IPv6Address(text) == nil)
    }

    @Test func classifies() {
        #expect(IPv6Address("fe80::1")!.isLinkLocal)
        #expect(!IPv6Address("2001:db8::1")!.isLinkLocal)
        #expect(IPv6Address("ff02::12")!.isMulticast)
    }
}

@Suite struct IPPrefixTests {
    @Test func defaultsToHostPrefix() {
        #expect(IPPrefix("192.0.2.100")?.length == 32)
        #expect(IPPrefix("2001:db8::100")?.length == 128)
        #expect(IPPrefix("192.0.2.100/24")?.description == "192.0.2.100/24")
    }

    @Test(arguments: ["192.0.2.1/33", "192.0.2.1/", "2001:db8::1/129", "192.0.2.1/-1", "x/24", "192.0.2.1/24/1"])
    func rejects(text: String) {
        #expect(IPPrefix(text) == nil)
    }

    @Test func comparesAddressesAsUnsignedBytes() {
        #expect(IPAddress("192.0.2.9")! < IPAddress("192.0.2.10")!)
        #expect(IPAddress("10.0.0.1")! < IPAddress("192.0.2.1")!)
    }
}
