import Foundation
import Glibc
import HaloLab
import Testing

/// Mixed pairs: halod and Debian's keepalived 2.2.7 elect one master between
/// them and fail over in both directions, v2 with PASS auth and v3 at 0.1 s.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct InteropTests {
    struct Mix: CustomTestStringConvertible, Sendable {
        var haloIsMaster: Bool
        var version: Int
        var interval: String
        var password: String?
        var testDescription: String {
            "\(haloIsMaster ? "halod master + keepalived backup" : "keepalived master + halod backup"), v\(version) \(interval) s\(password == nil ? "" : " PASS")"
        }
    }

    static let mixes = [
        Mix(haloIsMaster: true, version: 2, interval: "1", password: "kalpass"),
        Mix(haloIsMaster: false, version: 2, interval: "1", password: "kalpass"),
        Mix(haloIsMaster: true, version: 3, interval: "0.1"),
        Mix(haloIsMaster: false, version: 3, interval: "0.1"),
    ]

    @Test(arguments: mixes)
    func mixedPairElectsAndFailsOverBothWays(_ mix: Mix) throws {
        try #require(Keepalived.isInstalled, "keepalived must be installed (scripts/setup)")
        let pair = try PairLab()
        defer { pair.tearDown() }
        func config(_ state: String, _ priority: Int) -> String {
            LabConfig.instance(state: state, priority: priority, advertInterval: mix.interval, version: mix.version,
                               vips: ["\(PairLab.vip4)/24"], password: mix.password)
        }
        let masterConfig = config("MASTER", 150), backupConfig = config("BACKUP", 100)
        let master = mix.haloIsMaster ? try pair.halod("n1", masterConfig) : try pair.keepalived("n1", masterConfig)
        #expect(pair.awaitSoleHolder("n1", seconds: 6), "\(master.log)")
        let backup = mix.haloIsMaster ? try pair.keepalived("n2", backupConfig) : try pair.halod("n2", backupConfig)
        #expect(backup.awaitLog("Entering BACKUP STATE", seconds: 4), "\(backup.log)")
        usleep(mix.interval == "1" ? 3_800_000 : 600_000)
        #expect(pair.holders(of: PairLab.vip4) == ["n1"], "the backup must accept the other implementation's adverts:\n\(pair.logs(master, backup))")
        #expect(pair.clientReaches(PairLab.vip4))

        // Master -> backup: a planned stop of the master.
        master.signal(SIGTERM)
        #expect(pair.awaitSoleHolder("n2", seconds: 5), "\(pair.logs(master, backup))")
        #expect(master.waitForExit(seconds: 5) != nil)
        #expect(pair.awaitClientNeighbour(PairLab.macs["n2"]!, seconds: 3))
        #expect(pair.clientReaches(PairLab.vip4))

        // Backup -> master again: the first implementation returns with the higher priority and preempts.
        let returned = mix.haloIsMaster ? try pair.halod("n1", masterConfig, name: "halod-n1-again")
                                        : try pair.keepalived("n1", masterConfig)
        #expect(pair.awaitSoleHolder("n1", seconds: 8), "\(pair.logs(returned, backup))")
        #expect(pair.awaitClientNeighbour(PairLab.macs["n1"]!, seconds: 3))
        #expect(pair.clientReaches(PairLab.vip4))
        for log in [returned.log, backup.log] {
            #expect(!log.contains("dropped advert"), "\(log)")
        }
    }
}
