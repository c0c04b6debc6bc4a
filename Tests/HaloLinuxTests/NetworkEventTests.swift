import Glibc
import HaloLab
import HaloLinux
import HaloNet
import Testing

@Suite(.enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct NetworkEventTests {
    /// Reads events until `match` finds one or three seconds pass: the kernel's
    /// linkwatch reports a carrier change up to a second after the last one it
    /// reported, so one second was too tight (seen failing once).
    private func awaitEvent(on netlink: NetlinkSocket, where match: (NetworkEvent) -> Bool) throws -> NetworkEvent? {
        let deadline = MonotonicClock.nanoseconds() + 3_000_000_000
        var poller = pollfd(fd: netlink.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while MonotonicClock.nanoseconds() < deadline {
            guard poll(&poller, 1, 100) > 0 else { continue }
            if let event = try netlink.readEvents().first(where: match) { return event }
        }
        return nil
    }

    @Test func reportsCarrierLossWhenTheSwitchPortGoesDown() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let host = try lab.addHost("a", addresses: ["192.0.2.11/24"])
        let netlink = try host.perform { try NetlinkSocket(groups: NetworkEvent.groups) }
        let before = try host.perform { try netlink.links().first { $0.name == "eth0" } }
        #expect(before?.isUsable == true)

        try lab.setLink(of: "a", up: false)
        let down = try awaitEvent(on: netlink) { if case .link(let s) = $0 { s.name == "eth0" && !s.hasCarrier } else { false } }
        guard case .link(let status) = down else { Issue.record("no carrier-loss event"); return }
        #expect(status.isUp)
        #expect(!status.isUsable)

        try lab.setLink(of: "a", up: true)
        let up = try awaitEvent(on: netlink) { if case .link(let s) = $0 { s.name == "eth0" && s.isUsable } else { false } }
        #expect(up != nil)
    }

    @Test func reportsAddressesRemovedBehindOurBack() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let host = try lab.addHost("a", addresses: ["192.0.2.11/24"])
        let netlink = try host.perform { try NetlinkSocket(groups: NetworkEvent.groups) }
        try host.run("ip", "addr", "add", "192.0.2.100/32", "dev", "eth0")
        let added = try awaitEvent(on: netlink) { if case .addressAdded(let a) = $0 { a.prefix == IPPrefix("192.0.2.100")! } else { false } }
        #expect(added != nil)
        try host.run("ip", "addr", "del", "192.0.2.100/32", "dev", "eth0")
        let removed = try awaitEvent(on: netlink) { if case .addressRemoved(let a) = $0 { a.prefix == IPPrefix("192.0.2.100")! } else { false } }
        #expect(removed != nil)
    }
}
