import Foundation
import Glibc
import HaloLab
import Testing

/// Two nodes (n1 .11, n2 .12) and a client (.50) on one switch, IPv4 and IPv6.
/// Each node has a fixed MAC so tests can tell from the client's neighbour
/// table which node it is talking to.
final class PairLab {
    let lab: Lab
    let client: NetworkNamespace
    static let vip4 = "192.0.2.100"
    static let vip6 = "2001:db8::100"
    static let macs = ["n1": "02:00:5e:00:00:11", "n2": "02:00:5e:00:00:12", "c": "02:00:5e:00:00:50"]
    private var processes: [LabProcess] = []

    init(extraHosts: [String: String] = [:]) throws {
        lab = try Lab()
        do {
            try lab.addHost("n1", mac: Self.macs["n1"], addresses: ["192.0.2.11/24", "2001:db8::11/64"])
            try lab.addHost("n2", mac: Self.macs["n2"], addresses: ["192.0.2.12/24", "2001:db8::12/64"])
            client = try lab.addHost("c", mac: Self.macs["c"], addresses: ["192.0.2.50/24", "2001:db8::50/64"])
            for (name, address) in extraHosts { try lab.addHost(name, addresses: [address]) }
        } catch {
            lab.tearDown()
            throw error
        }
    }

    deinit { tearDown() }

    func tearDown() {
        processes.forEach { $0.kill() }
        lab.tearDown()
    }

    func halod(_ host: String, _ config: String, name: String? = nil) throws -> LabProcess {
        let process = try Halod.start(name ?? "halod-\(host)", in: lab, host: host, config: config)
        processes.append(process)
        return process
    }

    /// Registers a process started elsewhere so tearDown stops it.
    func adopt(_ process: LabProcess) {
        processes.append(process)
    }

    func keepalived(_ host: String, _ config: String) throws -> LabProcess {
        let process = try Keepalived.start("keepalived-\(host)", in: lab, host: host, config: config)
        processes.append(process)
        return process
    }

    /// Which nodes hold `address` right now.
    func holders(of address: String) -> [String] {
        ["n1", "n2"].filter { lab.holds($0, address: address) }
    }

    /// Polls until exactly `node` holds the address (and no other node does).
    func awaitSoleHolder(_ node: String, of address: String = vip4, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if holders(of: address) == [node] { return true }
            usleep(10_000)
        }
        return holders(of: address) == [node]
    }

    /// The client reaches the address (one ping, 1 s timeout).
    func clientReaches(_ address: String) -> Bool {
        (try? client.run("ping", address.contains(":") ? "-6" : "-4", "-c", "1", "-W", "1", address)) != nil
    }

    /// The MAC the client's neighbour table has for the VIP.
    func clientNeighbourMAC(for address: String = vip4) -> String? {
        let shown = (try? client.run("ip", "neigh", "show", address, "dev", "eth0")) ?? ""
        let words = shown.split(whereSeparator: \.isWhitespace)
        guard let index = words.firstIndex(of: "lladdr"), index + 1 < words.count else { return nil }
        return String(words[index + 1])
    }

    /// Polls until the client's neighbour entry for the VIP carries `mac`.
    func awaitClientNeighbour(_ mac: String, for address: String = vip4, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if clientNeighbourMAC(for: address) == mac { return true }
            usleep(20_000)
        }
        return clientNeighbourMAC(for: address) == mac
    }

    func logs(_ processes: LabProcess...) -> String {
        processes.map { "--- \($0.name)\n\($0.log)" }.joined(separator: "\n")
    }
}
