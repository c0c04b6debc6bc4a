import Foundation
import Glibc

/// A small switched LAN in network namespaces: one switch namespace holding a
/// bridge (multicast snooping off, so VRRP multicast reaches every port), and
/// hosts each with an `eth0` veth plugged into it. Names carry a per-run
/// prefix with the creating process's id, so parallel runs never collide and a
/// later run can sweep what a killed one left behind.
public final class Lab: @unchecked Sendable {
    public let prefix: String
    public let switchNamespace: NetworkNamespace
    public private(set) var hosts: [String: NetworkNamespace] = [:]
    private var torn = false

    private static let counter = Counter()

    public init() throws {
        Self.sweepAbandoned()
        prefix = "hl\(getpid())x\(Self.counter.next())"
        switchNamespace = NetworkNamespace(name: "\(prefix)-sw")
        try Shell.run("ip", "netns", "add", switchNamespace.name)
        do {
            try switchNamespace.run("ip", "link", "set", "lo", "up")
            try switchNamespace.run("ip", "link", "add", "br0", "type", "bridge", "mcast_snooping", "0", "forward_delay", "0")
            try switchNamespace.run("ip", "link", "set", "br0", "up")
        } catch {
            tearDown()
            throw error
        }
    }

    deinit { tearDown() }

    /// Adds a host namespace with `eth0` on the switch and the given addresses
    /// (CIDR strings, IPv4 or IPv6). The switch side is `p-NAME`.
    @discardableResult
    public func addHost(_ name: String, mac: String? = nil, addresses: [String]) throws -> NetworkNamespace {
        let host = NetworkNamespace(name: "\(prefix)-\(name)")
        try Shell.run("ip", "netns", "add", host.name)
        hosts[name] = host
        let port = switchPort(of: name)
        // Create the pair in the host namespace, then move one end to the switch.
        try host.run("ip", "link", "add", "eth0", "type", "veth", "peer", "name", port)
        try host.run("ip", "link", "set", port, "netns", switchNamespace.name)
        try switchNamespace.run("ip", "link", "set", port, "master", "br0")
        try switchNamespace.run("ip", "link", "set", port, "up")
        if let mac { try host.run("ip", "link", "set", "eth0", "address", mac) }
        // No DAD delay, so IPv6 link-local and test addresses are usable at once.
        try host.run("sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                     "net.ipv6.conf.eth0.accept_dad=0")
        try host.run("ip", "link", "set", "lo", "up")
        try host.run("ip", "link", "set", "eth0", "up")
        for address in addresses {
            try host.run(["ip", "addr", "add", address, "dev", "eth0"] + (address.contains(":") ? ["nodad"] : []))
        }
        return host
    }

    public func host(_ name: String) -> NetworkNamespace { hosts[name]! }

    /// The bridge port of a host: take it down to cut the host's link (carrier lost on eth0).
    public func switchPort(of host: String) -> String { "p-\(host)" }

    public func setLink(of host: String, up: Bool) throws {
        try switchNamespace.run("ip", "link", "set", switchPort(of: host), up ? "up" : "down")
    }

    /// Drops all traffic from and to a host at the switch while its carrier
    /// stays up (a blackhole: the split-brain case): the port leaves the bridge
    /// but stays up. (This kernel has neither netem nor the matchall classifier.)
    public func setBlackhole(of host: String, _ on: Bool) throws {
        let port = switchPort(of: host)
        if on {
            try switchNamespace.run("ip", "link", "set", port, "nomaster")
        } else {
            try switchNamespace.run("ip", "link", "set", port, "master", "br0")
            try switchNamespace.run("ip", "link", "set", port, "up")
        }
    }

    /// Removes every namespace of this lab (their interfaces and processes' sockets go with them).
    public func tearDown() {
        guard !torn else { return }
        torn = true
        for host in hosts.values { Self.deleteNamespace(host.name) }
        Self.deleteNamespace(switchNamespace.name)
        // Configs, logs and pid files: a failed test has already quoted the logs it needs.
        try? FileManager.default.removeItem(atPath: "/tmp/\(prefix)")
    }

    static func deleteNamespace(_ name: String) {
        // Kill what still runs inside first, or the namespace lingers until those processes exit.
        if let pids = try? Shell.run("ip", "netns", "pids", name) {
            for pid in pids.split(whereSeparator: \.isWhitespace).compactMap({ Int32($0) }) { kill(pid, SIGKILL) }
        }
        Shell.bestEffort("ip", "netns", "delete", name)
    }

    /// Deletes namespaces and work directories left by lab runs whose process no longer exists.
    static func sweepAbandoned() {
        let namespaces = ((try? Shell.run("ip", "netns", "list")) ?? "").split(separator: "\n")
            .map { String($0.split(separator: " ").first ?? "") }
        let directories = ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).map { "/tmp/" + $0 }
        for name in namespaces where isAbandoned(name) { deleteNamespace(name) }
        for path in directories where isAbandoned(String(path.dropFirst(5))) { try? FileManager.default.removeItem(atPath: path) }
    }

    /// `hl<PID>x<N>...` whose PID is gone.
    private static func isAbandoned(_ name: String) -> Bool {
        guard name.hasPrefix("hl"), let x = name.firstIndex(of: "x"),
              let pid = Int32(name[name.index(name.startIndex, offsetBy: 2)..<x]) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}

private final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func next() -> Int { lock.withLock { value += 1; return value } }
}
