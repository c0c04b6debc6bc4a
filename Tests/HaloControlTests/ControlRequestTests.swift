import HaloControl
import Testing

@Suite struct ControlRequestTests {
    private func parse(_ text: String) -> Result<ControlRequest, ControlRequestError> {
        ControlRequest.parse(Array(text.utf8))
    }

    @Test func everyRequestParses() {
        #expect(parse(#"{"request":"ping"}"#) == .success(.ping))
        #expect(parse(#"{"request":"status"}"#) == .success(.status))
        #expect(parse(#"{"request":"failover"}"#) == .success(.failover(name: nil)))
        #expect(parse(#"{"request":"failover","name":"VI_1"}"#) == .success(.failover(name: "VI_1")))
        #expect(parse(#" { "name" : "G1" , "request" : "failover" } "#) == .success(.failover(name: "G1")))
        #expect(parse(#"{"request":"standby"}"#) == .success(.standby))
        #expect(parse(#"{"request":"unstandby","extra":[1,2]}"#) == .success(.unstandby), "unknown members are ignored (forward compatible)")
    }

    @Test func encodedRequestsParseBack() {
        for request in [ControlRequest.ping, .status, .failover(name: nil), .failover(name: "VI_1"), .standby, .unstandby] {
            let line = request.encodedLine
            #expect(line.last == UInt8(ascii: "\n"))
            #expect(ControlRequest.parse(Array(line.dropLast())) == .success(request))
        }
    }

    @Test func malformedRequestsAreRefusedAndCloseTheConnection() {
        for text in ["", "garbage", "{", #"{"request":}"#, #"{"request":42}"#, #"["status"]"#, #"{"name":"VI_1"}"#, "\u{0}\u{1}\u{2}"] {
            let result = parse(text)
            #expect(result == .failure(.malformed), "\(text)")
        }
        #expect(ControlRequestError.malformed.closesConnection)
        #expect(ControlRequestError.malformed.message.contains("JSON"))
    }

    @Test func unknownRequestGetsAnErrorButKeepsTheConnection() {
        #expect(parse(#"{"request":"reboot"}"#) == .failure(.unknown("reboot")))
        #expect(!ControlRequestError.unknown("reboot").closesConnection)
        #expect(ControlRequestError.unknown("reboot").message.contains("\"reboot\""))
    }

    @Test func oversizeLineIsRefusedWithoutParsing() {
        let padding = String(repeating: " ", count: ControlProtocol.maximumRequestBytes)
        #expect(parse(#"{"request":"status"}"# + padding) == .failure(.oversize))
        #expect(ControlRequestError.oversize.closesConnection)
    }
}

@Suite struct LineFramerTests {
    @Test func splitsLinesAcrossReads() {
        var framer = LineFramer(limit: 64)
        #expect(framer.append(Array("{\"request\":".utf8)) == [])
        #expect(framer.append(Array("\"ping\"}\n{\"re".utf8)) == [.line(Array("{\"request\":\"ping\"}".utf8))])
        #expect(framer.append(Array("quest\":\"status\"}\r\n\n".utf8))
            == [.line(Array("{\"request\":\"status\"}".utf8)), .line([])])
    }

    @Test func oversizeEndsTheStreamWithoutBufferingMore() {
        var framer = LineFramer(limit: 8)
        #expect(framer.append(Array("12345678".utf8)) == [])
        #expect(framer.append(Array("9abc\n".utf8)) == [.oversize])
        var exact = LineFramer(limit: 8)
        #expect(exact.append(Array("12345678\n".utf8)) == [.line(Array("12345678".utf8))])
    }
}
