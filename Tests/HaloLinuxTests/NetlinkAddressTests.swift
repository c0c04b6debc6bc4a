import Glibc
import HaloLab
import HaloLinux
import HaloNet
import Testing

@Suite(.enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct NetlinkAddressTests {
    @Test func addsAndRemovesIPv4AddressWithLabelAndBroadcast() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let host = try lab.addHost("a", addresses: ["192.0.2.11/24"])
        let vip = try host.perform { () -> InterfaceAddress in
            let netlink = try NetlinkSocket()
            let eth0 = try Interface(named: "eth0")
            let vip = InterfaceAddress(
                prefix: IPPrefix("192.0.2.100/24")!, interfaceIndex: eth0.index,
                label: "eth0:vip", broadcast: IPv4Address("192.0.2.255"))
            try netlink.addAddress(vip)
            return vip
        }
        let shown = try host.run("ip", "-o", "-4", "addr", "show", "dev", "eth0")
        #expect(shown.contains("inet 192.0.2.100/24 brd 192.0.2.255 scope global secondary eth0:vip"))

        let listed = try host.perform { try NetlinkSocket().addresses(family: .ipv4, interfaceIndex: vip.interfaceIndex) }
        let listedVIP = try #require(listed.first { $0.prefix == vip.prefix })
        #expect(listedVIP.label == "eth0:vip")
        #expect(listedVIP.broadcast == IPv4Address("192.0.2.255"))
        #expect(listedVIP.isSecondary)
        #expect(listed.first { $0.prefix == IPPrefix("192.0.2.11/24")! }?.isSecondary == false)

        try host.perform { try NetlinkSocket().removeAddress(vip) }
        #expect(!(try host.run("ip", "-o", "addr", "show", "dev", "eth0")).contains("192.0.2.100"))
    }

    @Test func reportsDuplicateAndMissingAddressesWithErrno() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let host = try lab.addHost("a", addresses: ["192.0.2.11/24"])
        try host.perform {
            let netlink = try NetlinkSocket()
            let vip = InterfaceAddress(prefix: IPPrefix("192.0.2.100/32")!, interfaceIndex: try Interface(named: "eth0").index)
            try netlink.addAddress(vip)
            #expect(throws: SystemError("netlink RTM_NEWADDR", code: EEXIST)) { try netlink.addAddress(vip) }
            try netlink.removeAddress(vip)
            #expect(throws: SystemError("netlink RTM_DELADDR", code: EADDRNOTAVAIL)) { try netlink.removeAddress(vip) }
        }
    }

    @Test func refusesLabelsTheKernelWouldReject() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let host = try lab.addHost("a", addresses: ["192.0.2.11/24"])
        try host.perform {
            let netlink = try NetlinkSocket()
            let index = try Interface(named: "eth0").index
            let long = InterfaceAddress(prefix: IPPrefix("192.0.2.100")!, interfaceIndex: index, label: "eth0:sixteen-chr")
            #expect(throws: AddressError.labelTooLong("eth0:sixteen-chr")) { try netlink.addAddress(long) }
            let v6 = InterfaceAddress(prefix: IPPrefix("2001:db8::100")!, interfaceIndex: index, label: "eth0:v6")
            #expect(throws: AddressError.labelOnIPv6("eth0:v6")) { try netlink.addAddress(v6) }
        }
        #expect(!(try host.run("ip", "-o", "addr", "show", "dev", "eth0")).contains("192.0.2.100"))
    }

    @Test func addsIPv6AddressWithoutDuplicateAddressDetection() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let host = try lab.addHost("a", addresses: ["2001:db8::11/64"])
        // Re-enable DAD on eth0 so only NODAD can make the address usable at once.
        try host.run("sysctl", "-qw", "net.ipv6.conf.eth0.accept_dad=1")
        try host.perform {
            let vip = InterfaceAddress(prefix: IPPrefix("2001:db8::100/64")!, interfaceIndex: try Interface(named: "eth0").index)
            try NetlinkSocket().addAddress(vip)
        }
        let shown = try host.run("ip", "-o", "-6", "addr", "show", "dev", "eth0")
        let line = try #require(shown.split(separator: "\n").first { $0.contains("2001:db8::100/64") })
        #expect(line.contains("nodad"))
        #expect(!line.contains("tentative"))
    }

    @Test func findsPrimaryAndLinkLocalSourceAddresses() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let host = try lab.addHost("a", mac: "02:6b:61:6c:00:01", addresses: ["192.0.2.11/24", "192.0.2.12/24"])
        try host.perform {
            let netlink = try NetlinkSocket()
            let eth0 = try Interface(named: "eth0")
            #expect(eth0.macAddress == [0x02, 0x6b, 0x61, 0x6c, 0x00, 0x01])
            #expect(try eth0.primaryIPv4(using: netlink) == IPv4Address("192.0.2.11"))
            #expect(try eth0.linkLocalIPv6(using: netlink) == IPv6Address("fe80::6b:61ff:fe6c:1"))
        }
    }
}
