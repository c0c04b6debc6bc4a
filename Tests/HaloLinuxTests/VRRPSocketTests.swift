import Glibc
import HaloLab
import HaloLinux
import HaloNet
import Testing

/// Raw VRRP sockets across a real bridge: what one host sends, the other reads
/// with the TTL / hop limit intact, and the sender does not hear itself.
@Suite(.enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct VRRPSocketTests {
    /// A minimal IPv4 header + 8 bytes of payload with TTL 255 and TOS 0xc0; checksums do not matter to the kernel here.
    private func ipv4Packet(from source: IPv4Address, to destination: IPv4Address, ttl: UInt8 = 255) -> [UInt8] {
        [0x45, 0xc0, 0x00, 28, 0x00, 0x01, 0x00, 0x00, ttl, 112, 0, 0]
            + source.bytes + destination.bytes + [0x21, 51, 100, 0, 0, 1, 0, 0]
    }

    private func awaitDatagram(_ socket: VRRPSocket, timeoutMilliseconds: Int32 = 1000) throws -> ReceivedDatagram? {
        var poller = pollfd(fd: socket.fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) > 0 else { return nil }
        return try socket.receive()
    }

    @Test func carriesIPv4MulticastWithTTLAndNoLoopback() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let a = try lab.addHost("a", addresses: ["192.0.2.11/24"])
        let b = try lab.addHost("b", addresses: ["192.0.2.12/24"])
        let group = IPAddress("224.0.0.18")!
        let sender = try a.perform { try VRRPSocket(family: .ipv4, interface: Interface(named: "eth0"), multicastGroup: group) }
        let receiver = try b.perform { try VRRPSocket(family: .ipv4, interface: Interface(named: "eth0"), multicastGroup: group) }

        try sender.send(ipv4Packet(from: IPv4Address("192.0.2.11")!, to: IPv4Address("224.0.0.18")!), to: group)
        let datagram = try #require(try awaitDatagram(receiver))
        #expect(datagram.source == IPAddress("192.0.2.11"))
        #expect(datagram.destination == group)
        #expect(datagram.bytes.count == 28)
        #expect(datagram.bytes[1] == 0xc0)
        #expect(datagram.bytes[8] == 255)
        #expect(Array(datagram.bytes[20...]) == [0x21, 51, 100, 0, 0, 1, 0, 0])
        #expect(try awaitDatagram(sender, timeoutMilliseconds: 100) == nil, "multicast loop must be off")
    }

    @Test func carriesIPv6MulticastWithHopLimitFromControlMessages() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let a = try lab.addHost("a", mac: "02:6b:61:6c:00:01", addresses: ["2001:db8::11/64"])
        let b = try lab.addHost("b", addresses: ["2001:db8::12/64"])
        let group = IPAddress("ff02::12")!
        let sender = try a.perform {
            let eth0 = try Interface(named: "eth0")
            return try VRRPSocket(family: .ipv6, interface: eth0, multicastGroup: group,
                                  source6: try eth0.linkLocalIPv6(using: NetlinkSocket()))
        }
        let receiver = try b.perform { try VRRPSocket(family: .ipv6, interface: Interface(named: "eth0"), multicastGroup: group) }

        // VRRPv3 header for vrid 51 with one IPv6 address; the kernel fills the checksum at offset 6.
        let payload: [UInt8] = [0x31, 51, 100, 1, 0x00, 0x64, 0, 0] + IPv6Address("2001:db8::100")!.bytes
        try sender.send(payload, to: group)
        let datagram = try #require(try awaitDatagram(receiver))
        #expect(datagram.source == IPAddress("fe80::6b:61ff:fe6c:1"))
        #expect(datagram.destination == group)
        #expect(datagram.hopLimit == 255)
        #expect(datagram.bytes.count == payload.count)
        #expect(datagram.bytes[6...7] != [0, 0], "kernel checksum offload must fill the checksum")
    }

    @Test func carriesIPv4UnicastToAPeer() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let a = try lab.addHost("a", addresses: ["192.0.2.11/24"])
        let b = try lab.addHost("b", addresses: ["192.0.2.12/24"])
        let sender = try a.perform { try VRRPSocket(family: .ipv4, interface: Interface(named: "eth0"), multicastGroup: nil) }
        let receiver = try b.perform { try VRRPSocket(family: .ipv4, interface: Interface(named: "eth0"), multicastGroup: nil) }
        let peer = IPv4Address("192.0.2.12")!
        try sender.send(ipv4Packet(from: IPv4Address("192.0.2.11")!, to: peer, ttl: 255), to: .v4(peer))
        let datagram = try #require(try awaitDatagram(receiver))
        #expect(datagram.source == IPAddress("192.0.2.11"))
        #expect(datagram.destination == .v4(peer))
    }
}
