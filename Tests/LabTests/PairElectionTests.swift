import Foundation
import HaloLab
import Testing

/// A halod pair elects one master, which holds the VIP, and the client reaches it:
/// multicast v2 with PASS auth, v3 at 0.1 s, v3 over IPv6, and unicast peers.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct PairElectionTests {
    struct Variant: CustomTestStringConvertible, Sendable {
        var name: String
        var version = 2
        var interval = "1"
        var password: String?
        var ipv6 = false
        var unicast = false
        var testDescription: String { name }
    }

    static let variants = [
        Variant(name: "v2 multicast with PASS auth", password: "s3cret"),
        Variant(name: "v3 multicast at 0.1 s", version: 3, interval: "0.1"),
        Variant(name: "v3 over IPv6 at 0.1 s", version: 3, interval: "0.1", ipv6: true),
        Variant(name: "v2 unicast peers", unicast: true),
    ]

    @Test(arguments: variants)
    func electsOneMasterThatServesTheVIP(_ variant: Variant) throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let vip = variant.ipv6 ? PairLab.vip6 : PairLab.vip4
        func config(_ state: String, _ priority: Int, own: String, peer: String) -> String {
            LabConfig.instance(
                state: state, priority: priority, advertInterval: variant.interval, version: variant.version,
                vips: [variant.ipv6 ? "\(vip)/64" : "\(vip)/24"], password: variant.password,
                unicastSource: variant.unicast ? own : nil, unicastPeers: variant.unicast ? [peer] : [])
        }
        let n1 = try pair.halod("n1", config("MASTER", 150, own: "192.0.2.11", peer: "192.0.2.12"))
        let n2 = try pair.halod("n2", config("BACKUP", 100, own: "192.0.2.12", peer: "192.0.2.11"))

        #expect(pair.awaitSoleHolder("n1", of: vip, seconds: 6), "\(pair.logs(n1, n2))")
        // Stable: the backup must keep hearing the master and stay backup.
        usleep(variant.interval == "1" ? 3_500_000 : 800_000)
        #expect(pair.holders(of: vip) == ["n1"], "\(pair.logs(n1, n2))")
        #expect(pair.clientReaches(vip))
        #expect(n2.log.contains("(VI_1) Entering BACKUP STATE"))
        #expect(!n2.log.contains("Entering MASTER STATE"), "\(n2.log)")
        #expect(!n1.log.contains("dropped advert"), "\(n1.log)")
        #expect(!n2.log.contains("dropped advert"), "\(n2.log)")
    }
}
