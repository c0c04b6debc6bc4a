import HaloControl
import Testing

/// Resource groups in the status reply (additive to schema 1) and on the screen,
/// and the requests and replies of `haloctl dump` and `haloctl resource`.
@Suite struct ResourceStatusTests {
    static let group = ResourceGroupStatus(
        name: "storage", follows: "VI_1", state: "running", refusal: nil, holdsAddresses: true,
        resources: [
            ResourceStatus(name: "drbd", agent: "ocf:linbit:drbd", state: "started", failCount: 0, totalFailures: 0,
                           lastError: nil,
                           lastStart: ActionTiming(durationMilliseconds: 1250, time: "2026-11-22T01:13:09.000Z", ageSeconds: 30),
                           lastStop: nil,
                           lastMonitor: ActionTiming(durationMilliseconds: 12.4, time: "2026-11-22T01:13:38.000Z", ageSeconds: 1.5)),
            ResourceStatus(name: "nfs", agent: "lsb:nfs-kernel-server", state: "started", failCount: 1, totalFailures: 2,
                           lastError: "monitor: not running", lastStart: nil, lastStop: nil, lastMonitor: nil),
        ])

    static var report: StatusReport {
        var report = ControlReplyTests.sample
        report.resourceGroups = [group]
        return report
    }

    @Test func resourceGroupsRoundTripWithTheirDocumentedFields() throws {
        let line = ControlReply(ok: true, status: Self.report).encodedLine
        let decoded = try ControlEncoding.decode(ControlReply.self, from: Array(line.dropLast()))
        #expect(decoded.status == Self.report)
        let json = String(decoding: line, as: UTF8.self)
        for field in ["\"resourceGroups\":[", "\"follows\":\"VI_1\"", "\"state\":\"running\"", "\"holdsAddresses\":true",
                      "\"agent\":\"ocf:linbit:drbd\"", "\"failCount\":1", "\"totalFailures\":2",
                      "\"lastError\":\"monitor: not running\"", "\"lastStart\":{\"ageSeconds\":30,\"durationMilliseconds\":1250,",
                      "\"lastMonitor\":{", "\"schema\":1"] {
            #expect(json.contains(field), "\(field) missing from \(json)")
        }
    }

    @Test func aSchemaOneReplyWithoutResourceGroupsStillDecodes() throws {
        let old = ControlReply(ok: true, status: ControlReplyTests.sample).encodedLine
        #expect(!String(decoding: old, as: UTF8.self).contains("resourceGroups"), "absent, not null, when not set")
        let decoded = try ControlEncoding.decode(ControlReply.self, from: Array(old.dropLast()))
        #expect(decoded.status?.resourceGroups == nil)
    }

    @Test func screenShowsEachResourceWithFailuresAndTimings() {
        let screen = StatusScreen.render(Self.report)
        #expect(screen.contains("Resource group storage (follows VI_1): RUNNING, VIPs held\n"), "\(screen)")
        #expect(screen.contains("  drbd (ocf:linbit:drbd): started\n"), "\(screen)")
        #expect(screen.contains("    last start 1.2 s 30.0 s ago, monitor 12 ms 1.5 s ago\n"), "\(screen)")
        #expect(screen.contains("  nfs (lsb:nfs-kernel-server): started, fail count 1 (2 since start)\n"), "\(screen)")
        #expect(screen.contains("    last error: monitor: not running\n"), "\(screen)")
    }

    @Test func aRefusingGroupSaysWhyAndHowToClearIt() {
        var group = Self.group
        group.state = "failed"
        group.refusal = "start of nfs failed: failure: exit 1"
        var report = ControlReplyTests.sample
        report.resourceGroups = [group]
        let screen = StatusScreen.render(report)
        #expect(screen.contains("Resource group storage (follows VI_1): FAILED"), "\(screen)")
        #expect(screen.contains("why: start of nfs failed: failure: exit 1 (haloctl resource cleanup storage to retry)"), "\(screen)")
    }

    @Test(arguments: [
        (ControlRequest.dump(.data), #"{"format":"data","request":"dump"}"#),
        (.dump(.stats), #"{"format":"stats","request":"dump"}"#),
        (.dump(.json), #"{"format":"json","request":"dump"}"#),
        (.resourceRestart(name: "nfs"), #"{"name":"nfs","request":"resource-restart"}"#),
        (.resourceCleanup(name: "storage"), #"{"name":"storage","request":"resource-cleanup"}"#),
    ])
    func requestsRoundTrip(request: ControlRequest, line: String) {
        #expect(String(decoding: request.encodedLine, as: UTF8.self) == line + "\n")
        #expect(ControlRequest.parse(Array(line.utf8)) == .success(request))
    }

    @Test func dumpWithoutAFormatIsTheDataDump() {
        #expect(ControlRequest.parse(Array(#"{"request":"dump"}"#.utf8)) == .success(.dump(.data)))
    }

    @Test func badArgumentsAreClearAndKeepTheConnection() {
        let unknownFormat = ControlRequest.parse(Array(#"{"request":"dump","format":"xml"}"#.utf8))
        guard case .failure(let error) = unknownFormat else { Issue.record("accepted: \(unknownFormat)"); return }
        #expect(error.message == "bad request: dump format \"xml\" (known: data, stats, json)")
        #expect(!error.closesConnection)
        let noName = ControlRequest.parse(Array(#"{"request":"resource-restart"}"#.utf8))
        guard case .failure(let missing) = noName else { Issue.record("accepted: \(noName)"); return }
        #expect(missing.message.contains("resource-restart needs a \"name\""))
        #expect(!missing.closesConnection)
    }

    @Test func dumpAndResourceRepliesCarryOnlyTheirMember() {
        var dump = ControlReply(ok: true)
        dump.dump = "VRRP Instance: VI_1\n"
        #expect(String(decoding: dump.encodedLine, as: UTF8.self) == #"{"dump":"VRRP Instance: VI_1\n","ok":true,"schema":1}"# + "\n")
        var resources = ControlReply(ok: true)
        resources.resources = ResourceActionReport(group: "storage", resources: ["nfs"], note: "cleared")
        #expect(String(decoding: resources.encodedLine, as: UTF8.self)
            == #"{"ok":true,"resources":{"group":"storage","note":"cleared","resources":["nfs"]},"schema":1}"# + "\n")
    }
}
