import HaloControl
import Testing

@Suite struct ControlReplyTests {
    static let sample = StatusReport(
        node: "n1", routerID: "LB1", standby: false,
        instances: [InstanceStatus(
            name: "VI_1", interface: "eth0", vrid: 51, version: 3, family: "ipv4", state: "MASTER",
            basePriority: 150, effectivePriority: 140, trackerWeight: -10, faulted: false, withdrawn: false,
            priorityCause: "effective priority 150 -> 140 (tracker weight -10): script chk_haproxy failed",
            virtualAddresses: ["192.0.2.100/24"], holdsAddresses: true, master: "192.0.2.11",
            lastTransition: TransitionStatus(from: "BACKUP", to: "MASTER", reason: "master down timer expired",
                                             time: "2026-11-22T01:13:08.123Z", ageSeconds: 75.5),
            lastAdvertHeard: AdvertHeard(from: "192.0.2.12", priority: 100, ageSeconds: 80),
            adverts: AdvertCounts(sent: 120, received: 3, priorityZeroSent: 0, sendErrors: 0, transitions: 2))],
        syncGroups: [SyncGroupStatus(name: "G1", members: ["VI_1", "VI_2"], state: "MIXED")],
        receivers: [ReceiverStatus(interface: "eth0", family: "ipv4", drops: ["ttl": 3])])

    private func text(_ reply: ControlReply) -> String {
        String(decoding: reply.encodedLine, as: UTF8.self)
    }

    @Test func errorReplyIsOneLineWithOkFalse() {
        #expect(text(.failure("unknown request \"x\"")) == #"{"error":"unknown request \"x\"","ok":false,"schema":1}"# + "\n")
    }

    @Test func pingAndStandbyRepliesCarryOnlyTheirMember() {
        #expect(text(ControlReply(ok: true, message: "pong")) == #"{"message":"pong","ok":true,"schema":1}"# + "\n")
        #expect(text(ControlReply(ok: true, standby: true)) == #"{"ok":true,"schema":1,"standby":true}"# + "\n")
    }

    @Test func statusSchemaRoundTripsWithItsDocumentedFields() throws {
        let line = ControlReply(ok: true, status: Self.sample).encodedLine
        #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1, "one reply per line")
        let decoded = try ControlEncoding.decode(ControlReply.self, from: Array(line.dropLast()))
        #expect(decoded.status == Self.sample)
        let json = String(decoding: line, as: UTF8.self)
        for field in ["\"schema\":1", "\"node\":\"n1\"", "\"routerID\":\"LB1\"", "\"standby\":false", "\"state\":\"MASTER\"",
                      "\"basePriority\":150", "\"effectivePriority\":140", "\"trackerWeight\":-10", "\"priorityCause\"",
                      "\"virtualAddresses\":[\"192.0.2.100/24\"]", "\"master\":\"192.0.2.11\"", "\"lastTransition\"",
                      "\"reason\":\"master down timer expired\"", "\"time\":\"2026-11-22T01:13:08.123Z\"", "\"lastAdvertHeard\"",
                      "\"adverts\"", "\"syncGroups\"", "\"receivers\"", "\"drops\":{\"ttl\":3}"] {
            #expect(json.contains(field), "\(field) missing from \(json)")
        }
    }

    @Test func screenSaysWhoIsMasterAndWhy() {
        let screen = StatusScreen.render(Self.sample)
        #expect(screen.hasPrefix("Node n1 (router_id LB1)\n"))
        #expect(screen.contains("VI_1  eth0 vrid 51 VRRPv3 ipv4  MASTER\n"))
        #expect(screen.contains("priority 140 (base 150, trackers -10)"))
        #expect(screen.contains("why: effective priority 150 -> 140 (tracker weight -10): script chk_haproxy failed"))
        #expect(screen.contains("VIPs 192.0.2.100/24 (held here)"))
        #expect(screen.contains("master 192.0.2.11 (this node)"))
        #expect(screen.contains("last transition BACKUP -> MASTER: master down timer expired, 2026-11-22T01:13:08.123Z (1 min 15 s ago)"))
        #expect(screen.contains("G1: MIXED (VI_1, VI_2)"))
        #expect(screen.contains("eth0 ipv4: ttl 3"))
        var standby = Self.sample
        standby.standby = true
        #expect(StatusScreen.render(standby).contains("STANDBY"))
    }
}
