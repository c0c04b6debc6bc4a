import Foundation
import Glibc
import HaloLab
import HaloNet

/// One pair of VRRP daemons (halod or keepalived) in a fresh lab, with a client.
final class PairScenario {
    enum Implementation: String, CaseIterable { case halo = "Halo", keepalived = "keepalived" }

    let lab: Lab
    let client: NetworkNamespace
    let implementation: Implementation
    /// Advert interval in seconds.
    let interval: Double
    private(set) var master: LabProcess!
    private(set) var backup: LabProcess!
    static let vip = "192.0.2.100"

    init(_ implementation: Implementation, version: Int, interval: String) throws {
        self.implementation = implementation
        self.interval = Double(interval) ?? 1
        lab = try Lab()
        do {
            try lab.addHost("n1", mac: "02:00:5e:00:00:11", addresses: ["192.0.2.11/24"])
            try lab.addHost("n2", mac: "02:00:5e:00:00:12", addresses: ["192.0.2.12/24"])
            client = try lab.addHost("c", addresses: ["192.0.2.50/24"])
        } catch {
            lab.tearDown()
            throw error
        }
        do {
            let config = { (state: String, priority: Int) in
                LabConfig.instance(state: state, priority: priority, advertInterval: interval, version: version,
                                   vips: ["\(Self.vip)/24"], garpMasterDelay: 5)
            }
            master = try start("n1", config("MASTER", 150))
            guard lab.awaitAddress(Self.vip, on: "n1", seconds: 8) else { throw LabFailure("n1 never became master:\n\(master.log)") }
            backup = try start("n2", config("BACKUP", 100))
            guard backup.awaitLog("BACKUP STATE", seconds: 5) else { throw LabFailure("n2 never became backup:\n\(backup.log)") }
            // Let the backup hear a few adverts so it has learned the master.
            usleep(useconds_t(min(3.0, 3 * (Double(interval) ?? 1)) * 1_000_000))
        } catch {
            tearDown()
            throw error
        }
    }

    private func start(_ host: String, _ config: String) throws -> LabProcess {
        switch implementation {
        case .halo: try Halod.start("halod-\(host)", in: lab, host: host, config: config)
        case .keepalived: try Keepalived.start("keepalived-\(host)", in: lab, host: host, config: config)
        }
    }

    func tearDown() {
        master?.kill()
        backup?.kill()
        lab.tearDown()
    }

    /// Client-visible gap (ms) around `fault`: a probe pings the VIP every 10 ms;
    /// the gap is the longest time without a reply once the fault is injected,
    /// until n2 holds the VIP and replies have flowed for a while.
    func clientGap(settle: Double, _ fault: () throws -> Void) throws -> Double {
        try measureFailover(settle: settle, fault).clientGap
    }

    /// The client-visible gap (ms) and the takeover seen on the wire (ms from
    /// n1's last advert before the fault to n2's first advert after it).
    func measureFailover(settle: Double, _ fault: () throws -> Void) throws -> (clientGap: Double, takeover: Double?) {
        let watcher = try AdvertWatcher(in: client)
        let probe = try PingProbe(from: client, target: Self.vip)
        // Long enough for the watcher to hear at least one advert from the master.
        usleep(useconds_t(max(0.3, 1.3 * interval) * 1_000_000))
        let start = PingProbe.now()
        try fault()
        guard lab.awaitAddress(Self.vip, on: "n2", seconds: 10) else {
            _ = probe.stop()
            _ = watcher.stop()
            throw LabFailure("n2 never took over:\n\(backup.log)")
        }
        usleep(useconds_t(settle * 1_000_000))
        let end = PingProbe.now()
        let gap = Double(probe.stop().longestSilence(after: start, until: end)) / 1_000_000
        let takeover = watcher.stop().takeover(from: IPAddress("192.0.2.11")!, to: IPAddress("192.0.2.12")!, around: start)
        return (gap, takeover.map { Double($0) / 1_000_000 })
    }
}

struct LabFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
