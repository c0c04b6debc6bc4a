@testable import HaloDaemon
import Testing

/// The endpoint's one-request HTTP: what is served, what is refused and how,
/// and that a request still arriving is waited for (not answered early).
@Suite struct MetricsHTTPTests {
    private func parse(_ text: String) -> MetricsHTTP.Request { MetricsHTTP.parse(Array(text.utf8)) }

    @Test func getAndHeadOfMetricsAreServed() {
        #expect(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n") == .metrics(headOnly: false))
        #expect(parse("GET /metrics?name[]=halo_instance_state HTTP/1.0\r\n\r\n") == .metrics(headOnly: false))
        #expect(parse("HEAD /metrics HTTP/1.1\r\n\r\n") == .metrics(headOnly: true))
        #expect(parse("GET /metrics HTTP/1.1\n\n") == .metrics(headOnly: false), "bare newlines, as typed into nc")
    }

    @Test func partialRequestsWait() {
        #expect(parse("") == .incomplete)
        #expect(parse("GET /metr") == .incomplete)
        #expect(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n") == .incomplete)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", 404),
        ("GET /metricsx HTTP/1.1\r\n\r\n", 404),
        ("POST /metrics HTTP/1.1\r\n\r\n", 405),
        ("DELETE /metrics HTTP/1.1\r\n\r\n", 405),
        ("hello\r\n\r\n", 400),
        ("GET /metrics\r\n\r\n", 400),
        ("GET metrics HTTP/1.1\r\n\r\n", 400),
        ("GET /metrics SPDY/3\r\n\r\n", 400),
        ("\u{16}\u{03}\u{01}\u{02}\u{00}\n\n", 400),
    ])
    func refusals(request: String, status: Int) {
        guard case .refused(let code, _) = parse(request) else {
            Issue.record("\(request.debugDescription) was not refused")
            return
        }
        #expect(code == status)
    }

    @Test func invalidUTF8IsABadRequest() {
        #expect(MetricsHTTP.parse([0xff, 0xfe, 0x20, 0x2f, 0x0a, 0x0a]) == .refused(status: 400, reason: "Bad Request"))
    }

    @Test func anOversizedHeadIsRefusedWithoutWaitingForItsEnd() {
        let endless = "GET /metrics HTTP/1.1\r\n" + String(repeating: "X-Filler: 0123456789\r\n", count: 500)
        #expect(parse(endless) == .refused(status: 431, reason: "Request Header Fields Too Large"))
    }

    @Test func responseHeadersAndBody() {
        let reply = String(decoding: MetricsHTTP.response(status: 200, reason: "OK", contentType: MetricsHTTP.contentType,
                                                          body: Array("a 1\n".utf8)), as: UTF8.self)
        #expect(reply == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: 4\r\nConnection: close\r\n\r\na 1\n")
        let head = String(decoding: MetricsHTTP.response(status: 200, reason: "OK", contentType: "text/plain",
                                                         body: Array("a 1\n".utf8), headOnly: true), as: UTF8.self)
        #expect(head.hasSuffix("Content-Length: 4\r\nConnection: close\r\n\r\n"), "HEAD: the length of the body it leaves out")
        let notFound = String(decoding: MetricsHTTP.refusal(status: 404, reason: "Not Found"), as: UTF8.self)
        #expect(notFound.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(notFound.hasSuffix("404 Not Found\nmetrics are at /metrics\n"))
    }
}
