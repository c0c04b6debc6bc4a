import Glibc
import HaloLab
import HaloLinux
import HaloNet
import Testing

@Suite(.enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct FrameSocketTests {
    /// A gratuitous ARP sent as a raw frame updates a neighbour's ARP cache, as a switch or client would learn it.
    @Test func gratuitousARPFrameUpdatesTheNeighbourCache() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let a = try lab.addHost("a", mac: "02:6b:61:6c:00:01", addresses: ["192.0.2.11/24"])
        let client = try lab.addHost("c", addresses: ["192.0.2.50/24"])
        // Linux only creates entries from gratuitous ARP when arp_accept is on; updating an existing one always works.
        try client.run("sysctl", "-qw", "net.ipv4.conf.eth0.arp_accept=1")
        try client.run("ip", "neigh", "replace", "192.0.2.100", "lladdr", "02:00:00:00:00:99", "dev", "eth0", "nud", "stale")

        let mac: [UInt8] = [0x02, 0x6b, 0x61, 0x6c, 0x00, 0x01]
        let vip = IPv4Address("192.0.2.100")!.bytes
        let broadcast = [UInt8](repeating: 0xff, count: 6)
        // keepalived's form: broadcast ARP request, sender = target = VIP, target MAC ff:ff:ff:ff:ff:ff.
        let frame = broadcast + mac + [0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01]
            + mac + vip + broadcast + vip
        try a.perform { try FrameSocket(interface: Interface(named: "eth0")).send(frame: frame) }

        var learned = ""
        for _ in 0..<50 {
            learned = try client.run("ip", "neigh", "show", "192.0.2.100", "dev", "eth0")
            if learned.contains("02:6b:61:6c:00:01") { break }
            usleep(10_000)
        }
        #expect(learned.contains("lladdr 02:6b:61:6c:00:01"))
    }
}
