import HaloControl
import Testing

/// The `reload` and `config-test` requests and their replies on the wire.
@Suite struct ReloadRequestTests {
    @Test func reloadAndConfigTestParseAndRoundTrip() {
        #expect(ControlRequest.parse(Array(#"{"request":"reload"}"#.utf8)) == .success(.reload))
        #expect(ControlRequest.parse(Array(#"{"request":"config-test"}"#.utf8)) == .success(.configTest(file: nil)))
        #expect(ControlRequest.parse(Array(#"{"file":"/etc/halo/new.conf","request":"config-test"}"#.utf8))
            == .success(.configTest(file: "/etc/halo/new.conf")))
        for request in [ControlRequest.reload, .configTest(file: nil), .configTest(file: "/tmp/a b.conf")] {
            let line = request.encodedLine
            #expect(ControlRequest.parse(Array(line.dropLast())) == .success(request))
        }
        #expect(String(decoding: ControlRequest.configTest(file: "/x.conf").encodedLine, as: UTF8.self)
            == #"{"file":"/x.conf","request":"config-test"}"# + "\n")
    }

    @Test func aRefusedReloadCarriesItsDiagnostics() throws {
        var reply = ControlReply.failure("reload refused: /etc/halo/halo.conf has errors; still running the loaded configuration")
        reply.reload = ReloadReport(summary: "", diagnostics: ["/etc/halo/halo.conf:9:5: error: virtual_router_id 300 is out of range"])
        let decoded = try ControlEncoding.decode(ControlReply.self, from: Array(reply.encodedLine.dropLast()))
        #expect(decoded == reply)
        #expect(decoded.ok == false)
        #expect(decoded.reload?.diagnostics.first?.hasPrefix("/etc/halo/halo.conf:9:5:") == true)
    }

    @Test func configTestReplyKeepsTheReportAndStatus() throws {
        var reply = ControlReply(ok: true)
        reply.configTest = ConfigTestReply(report: "a.conf: 0 errors, 0 warnings\n", status: 0)
        let line = String(decoding: reply.encodedLine, as: UTF8.self)
        #expect(line.hasPrefix(#"{"configTest":{"report":"a.conf: 0 errors, 0 warnings\n","status":0},"ok":true"#), "\(line)")
        #expect(try ControlEncoding.decode(ControlReply.self, from: Array(reply.encodedLine.dropLast())) == reply)
    }
}
