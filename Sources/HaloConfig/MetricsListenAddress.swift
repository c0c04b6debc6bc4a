import HaloNet

/// Where `metrics_listen` asks halod to serve Prometheus metrics over plain HTTP:
/// `127.0.0.1:9650` or `[::1]:9650` (the brackets keep an IPv6 address's colons
/// apart from the port's).
public struct MetricsListenAddress: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: Int
    public var location: SourceLocation?

    public init(address: IPAddress, port: Int, location: SourceLocation? = nil) {
        self.address = address
        self.port = port
        self.location = location
    }

    /// Splits `ADDRESS:PORT` / `[IPV6]:PORT`; the error says what is wrong with the text.
    public static func parse(_ text: String) -> Result<(address: IPAddress, port: Int), ParseError> {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return .failure(.unclosedBracket) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return .failure(.missingPort) }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return .failure(.missingPort) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return .failure(.unbracketedIPv6) }
        }
        guard let address = IPAddress(host) else { return .failure(.badAddress(String(host))) }
        if text.hasPrefix("["), address.family == .ipv4 { return .failure(.bracketedIPv4) }
        guard address.isMulticast == false else { return .failure(.multicastAddress(String(host))) }
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), portText.count <= 5, let port = Int(portText) else {
            return .failure(.badPort(String(portText)))
        }
        guard (1...65535).contains(port) else { return .failure(.portOutOfRange(port)) }
        return .success((address, port))
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case missingPort
        case unclosedBracket
        case unbracketedIPv6
        case bracketedIPv4
        case badAddress(String)
        case multicastAddress(String)
        case badPort(String)
        case portOutOfRange(Int)

        public var description: String {
            switch self {
            case .missingPort: "needs ADDRESS:PORT (e.g. 127.0.0.1:9650 or [::1]:9650): the port is missing"
            case .unclosedBracket: "has '[' without ']' (write an IPv6 address as [::1]:9650)"
            case .unbracketedIPv6: "needs an IPv6 address in brackets, e.g. [::1]:9650"
            case .bracketedIPv4: "has an IPv4 address in brackets; write it as 127.0.0.1:9650"
            case .badAddress(let host): "needs an IPv4 or IPv6 address (no host names), not '\(host)'"
            case .multicastAddress(let host): "cannot listen on the multicast address \(host)"
            case .badPort(let port): "needs a port number, not '\(port)'"
            case .portOutOfRange(let port): "port must be from 1 to 65535, not \(port)"
            }
        }
    }

    /// `127.0.0.1:9650`, `[::1]:9650`: the spelling the configuration uses.
    public var description: String {
        address.family == .ipv6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

extension Decoder {
    /// `metrics_listen ADDRESS:PORT`; a bad value is an error at its token.
    mutating func metricsListenAddress(_ token: Token) -> MetricsListenAddress? {
        switch MetricsListenAddress.parse(token.text) {
        case .success(let parsed):
            return MetricsListenAddress(address: parsed.address, port: parsed.port, location: token.location)
        case .failure(let problem):
            diagnostics.error(token.location, "'metrics_listen \(token.text)': \(problem)")
            return nil
        }
    }
}
