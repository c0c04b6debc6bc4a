/// The little HTTP/1.1 the metrics endpoint speaks: one request per
/// connection, answered once, then closed. Pure, so every malformed input is
/// tested without a socket.
enum MetricsHTTP {
    /// A request head larger than this is refused (431) instead of buffered.
    static let requestLimit = 8192
    static let metricsPath = "/metrics"
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    enum Request: Equatable {
        /// The head has not fully arrived yet.
        case incomplete
        case metrics(headOnly: Bool)
        case refused(status: Int, reason: String)
    }

    /// Reads what arrived so far: a complete `GET /metrics` head, or why it is refused.
    static func parse(_ received: [UInt8]) -> Request {
        guard let end = headEnd(received) else {
            return received.count >= requestLimit ? .refused(status: 431, reason: "Request Header Fields Too Large") : .incomplete
        }
        guard end <= requestLimit else { return .refused(status: 431, reason: "Request Header Fields Too Large") }
        guard let lineEnd = received.firstIndex(of: UInt8(ascii: "\n")),
              let line = String(validating: received[..<lineEnd].filter { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        else { return .refused(status: 400, reason: "Bad Request") }
        let words = line.split(separator: " ", omittingEmptySubsequences: false)
        guard words.count == 3, words[2].hasPrefix("HTTP/1."), words[1].hasPrefix("/") else {
            return .refused(status: 400, reason: "Bad Request")
        }
        guard words[0] == "GET" || words[0] == "HEAD" else { return .refused(status: 405, reason: "Method Not Allowed") }
        let path = words[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard path == metricsPath else { return .refused(status: 404, reason: "Not Found") }
        return .metrics(headOnly: words[0] == "HEAD")
    }

    /// Index just past the blank line ending the head (CRLF CRLF, or bare LF LF from hand-typed requests).
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        let newline = UInt8(ascii: "\n")
        var previousNewline: Int?
        for index in bytes.indices where bytes[index] == newline {
            if let previous = previousNewline {
                let between = bytes[(previous + 1)..<index]
                if between.isEmpty || between.elementsEqual([UInt8(ascii: "\r")]) { return index + 1 }
            }
            previousNewline = index
        }
        return nil
    }

    /// The full reply: status line, headers, and body (left out for HEAD).
    static func response(status: Int, reason: String, contentType: String, body: [UInt8], headOnly: Bool = false) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8) + (headOnly ? [] : body)
    }

    static func refusal(status: Int, reason: String) -> [UInt8] {
        let allowed = status == 405 ? "only GET and HEAD are served\n" : ""
        let hint = status == 404 ? "metrics are at \(metricsPath)\n" : ""
        return response(status: status, reason: reason, contentType: "text/plain; charset=utf-8",
                        body: Array("\(status) \(reason)\n\(allowed)\(hint)".utf8))
    }
}
