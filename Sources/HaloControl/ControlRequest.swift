import FoundationEssentials

/// The control socket's framing constants (docs/control-protocol.md).
public enum ControlProtocol {
    /// Version of the request/reply and status schema; bumped only on incompatible change.
    public static let schema = 1
    /// A request line longer than this is refused and the connection closed.
    public static let maximumRequestBytes = 4096
    public static let defaultSocketPath = "/run/halo/halod.sock"
}

/// One request, as sent on one line: `{"request":"failover","name":"VI_1"}`.
public enum ControlRequest: Equatable, Sendable {
    case ping
    case status
    /// Give up mastership of one instance or sync group (every group this node is master of when nil).
    case failover(name: String?)
    case standby
    case unstandby
    /// Read the running configuration file again and apply what changed (as SIGHUP).
    case reload
    /// Check a configuration file (the running one when nil) as `halod --config-test`; nothing changes.
    case configTest(file: String?)

    public var command: String {
        switch self {
        case .ping: "ping"
        case .status: "status"
        case .failover: "failover"
        case .standby: "standby"
        case .unstandby: "unstandby"
        case .reload: "reload"
        case .configTest: "config-test"
        }
    }

    private struct Envelope: Codable {
        var request: String
        var name: String?
        /// config-test: the file to check (absolute path).
        var file: String?
    }

    /// Parses one line (without its newline).
    public static func parse(_ line: [UInt8]) -> Result<ControlRequest, ControlRequestError> {
        guard line.count <= ControlProtocol.maximumRequestBytes else { return .failure(.oversize) }
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(line))
        } catch {
            return .failure(.malformed)
        }
        switch envelope.request {
        case "ping": return .success(.ping)
        case "status": return .success(.status)
        case "failover": return .success(.failover(name: envelope.name))
        case "standby": return .success(.standby)
        case "unstandby": return .success(.unstandby)
        case "reload": return .success(.reload)
        case "config-test": return .success(.configTest(file: envelope.file))
        default: return .failure(.unknown(envelope.request))
        }
    }

    /// The request as one JSON line, newline included.
    public var encodedLine: [UInt8] {
        var name: String?
        var file: String?
        switch self {
        case .failover(let target): name = target
        case .configTest(let path): file = path
        default: break
        }
        return ControlEncoding.line(Envelope(request: command, name: name, file: file))
    }
}

/// Why a request line was refused. Malformed and oversize lines also close the connection.
public enum ControlRequestError: Error, Equatable, Sendable {
    case malformed
    case oversize
    case unknown(String)

    public var message: String {
        switch self {
        case .malformed: "malformed request: expected one JSON object per line with a \"request\" string"
        case .oversize: "request longer than \(ControlProtocol.maximumRequestBytes) bytes"
        case .unknown(let name): "unknown request \"\(name)\" (known: ping, status, failover, standby, unstandby, reload, config-test)"
        }
    }

    /// Whether the server should stop reading from this client.
    public var closesConnection: Bool { !isUnknown }

    private var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }
}

/// JSON encoding shared by both ends: sorted keys, so replies are stable and diffable.
public enum ControlEncoding {
    public static func line<Value: Encodable>(_ value: Value) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own plain structs cannot fail; a failure would be a programming error.
        var bytes = [UInt8]((try? encoder.encode(value)) ?? Data(#"{"ok":false,"error":"cannot encode reply"}"#.utf8))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from line: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(line))
    }
}
