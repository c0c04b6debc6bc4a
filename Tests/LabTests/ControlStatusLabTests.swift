import Foundation
import Glibc
import HaloControl
import HaloLab
import Testing

/// `haloctl status` on a running pair: both nodes, who is master, who holds the VIP.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ControlStatusLabTests {
    /// n1 MASTER 150, n2 BACKUP 100, VRRPv3 every 100 ms, each with its own control socket.
    static func startPair(_ pair: PairLab, globalLines: [String] = []) throws -> (LabProcess, LabProcess) {
        let n1 = try pair.controlledHalod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"], globalLines: globalLines))
        #expect(pair.awaitSoleHolder("n1", seconds: 6), "\(n1.log)")
        let n2 = try pair.controlledHalod("n2", LabConfig.instance(
            state: "BACKUP", priority: 100, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"], globalLines: globalLines))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3))
        #expect(n2.awaitLog("control socket", seconds: 3), "\(n2.log)")
        return (n1, n2)
    }

    @Test func statusShowsBothNodesTheMasterAndTheVIPHolder() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try Self.startPair(pair)
        usleep(300_000)

        let master = try pair.haloctl("n1", "status")
        #expect(master.status == 0, "\(master.error)\n\(pair.logs(n1, n2))")
        #expect(master.output.contains("VI_1  eth0 vrid 51 VRRPv3 ipv4  MASTER"), "\(master.output)")
        #expect(master.output.contains("router_id VI_1-MASTER"), "\(master.output)")
        #expect(master.output.contains("VIPs 192.0.2.100/24 (held here)"), "\(master.output)")
        #expect(master.output.contains("master 192.0.2.11 (this node)"), "\(master.output)")
        #expect(master.output.contains("priority 150 (base 150, trackers +0)"), "\(master.output)")
        #expect(master.output.contains("last transition BACKUP -> MASTER"), "\(master.output)")

        let backup = try pair.haloctl("n2", "status")
        #expect(backup.status == 0, "\(backup.error)")
        #expect(backup.output.contains("VI_1  eth0 vrid 51 VRRPv3 ipv4  BACKUP"), "\(backup.output)")
        #expect(backup.output.contains("VIPs 192.0.2.100/24 (not held here)"), "\(backup.output)")
        #expect(backup.output.contains("master 192.0.2.11\n"), "\(backup.output)")
        #expect(backup.output.contains("last advert heard from 192.0.2.11, priority 150"), "\(backup.output)")
        print("haloctl status on the backup:\n\(backup.output)")

        let ping = try pair.haloctl("n1", "ping")
        #expect(ping.status == 0 && ping.output == "pong\n", "\(ping)")
    }

    @Test func jsonStatusFollowsSchemaOne() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try Self.startPair(pair)
        usleep(300_000)
        for (host, state, holds) in [("n1", "MASTER", true), ("n2", "BACKUP", false)] {
            let result = try pair.haloctl(host, "status", "--json")
            #expect(result.status == 0, "\(result.error)\n\(pair.logs(n1, n2))")
            let line = result.output.trimmingCharacters(in: .newlines)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(json["ok"] as? Bool == true)
            #expect(json["schema"] as? Int == 1)
            let status = try #require(json["status"] as? [String: Any])
            for field in ["node", "routerID", "standby", "instances", "syncGroups", "receivers"] {
                #expect(status[field] != nil, "status.\(field) missing: \(line)")
            }
            let instance = try #require((status["instances"] as? [[String: Any]])?.first)
            for field in ["name", "interface", "vrid", "version", "family", "state", "basePriority", "effectivePriority",
                          "trackerWeight", "faulted", "withdrawn", "virtualAddresses", "holdsAddresses", "master",
                          "lastTransition", "adverts"] {
                #expect(instance[field] != nil, "instance.\(field) missing on \(host): \(line)")
            }
            #expect(instance["state"] as? String == state)
            #expect(instance["holdsAddresses"] as? Bool == holds)
            #expect(instance["master"] as? String == "192.0.2.11")
            let transition = try #require(instance["lastTransition"] as? [String: Any])
            #expect((transition["time"] as? String)?.hasSuffix("Z") == true, "\(transition)")
            #expect(transition["reason"] as? String != nil)
            // The same line decodes into the published types.
            let reply = try ControlEncoding.decode(ControlReply.self, from: Array(line.utf8))
            #expect(reply.status?.instances.first?.vrid == 51)
        }
    }
}
