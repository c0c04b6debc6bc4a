import ArgumentParser
import Foundation
import Glibc
import HaloLab

/// Two halod nodes and a client in namespaces: where the VIP is, a link cut,
/// the move and its client-visible gap, the return, a planned hand-off.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a two-node Halo pair in namespaces, fail the master, show the VIP move.")

    @Option(help: "Advert interval in seconds (VRRPv3 below 1 s).")
    var advertInterval = "0.1"

    func run() throws {
        let version = Double(advertInterval).map { $0 < 1 || $0 != $0.rounded() } == true ? 3 : 2
        say("Building a lab: switch, nodes n1 (192.0.2.11) and n2 (192.0.2.12), client c (192.0.2.50)")
        say("halod on both: VRRPv\(version), advert_int \(advertInterval) s, VIP \(PairScenario.vip); n1 priority 150, n2 priority 100")
        let pair = try PairScenario(.halo, version: version, interval: advertInterval)
        defer {
            pair.tearDown()
            say("Cleaned up: namespaces and daemons removed.")
        }
        show(pair)

        say("Cutting n1's switch port (carrier lost)...")
        let gap = try pair.clientGap(settle: 0.5) { try pair.lab.setLink(of: "n1", up: false) }
        show(pair)
        say(String(format: "Client-visible gap: %.0f ms (3 × advert + skew = %.0f ms)", gap, theory(version: version)))

        say("Restoring n1's port: the higher priority takes the VIP back...")
        try pair.lab.setLink(of: "n1", up: true)
        _ = pair.lab.awaitAddress(PairScenario.vip, on: "n1", seconds: 8)
        usleep(500_000)
        show(pair)

        say("Planned failover: SIGTERM to halod on n1 (make-before-break hand-off)...")
        let planned = try pair.clientGap(settle: 0.5) { pair.master.signal(SIGTERM) }
        show(pair)
        say(String(format: "Client-visible gap: %.0f ms", planned))
        say("n1's log:\n" + pair.master.log.split(separator: "\n").suffix(6).map { "    " + $0 }.joined(separator: "\n"))
    }

    private func theory(version: Int) -> Double {
        let interval = (Double(advertInterval) ?? 1) * 1000
        return 3 * interval + (256.0 - 100) / 256 * interval
    }

    private func show(_ pair: PairScenario) {
        let holders = ["n1", "n2"].filter { pair.lab.holds($0, address: PairScenario.vip) }
        say("  VIP \(PairScenario.vip) is on: \(holders.isEmpty ? "nobody" : holders.joined(separator: ", "))")
    }

    private func say(_ text: String) {
        print(text)
        fflush(nil)
    }
}
