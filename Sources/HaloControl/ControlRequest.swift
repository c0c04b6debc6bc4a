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
    /// keepalived-style state dump as text: data (SIGUSR1), stats (SIGUSR2) or json.
    case dump(DumpFormat)
    /// Stop then start one resource (and what stands on it) where its group runs.
    case resourceRestart(name: String)
    /// Forget the failures of a resource, or of every resource of a group.
    case resourceCleanup(name: String)
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
        case .dump: "dump"
        case .resourceRestart: "resource-restart"
        case .resourceCleanup: "resource-cleanup"
        case .reload: "reload"
        case .configTest: "config-test"
        }
    }

    private struct Envelope: Codable {
        var request: String
        var name: String?
        /// dump: data, stats or json.
        var format: String?
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
        case "dump":
            guard let format = DumpFormat(rawValue: envelope.format ?? "data") else {
                return .failure(.badArgument("dump format \"\(envelope.format ?? "")\" (known: data, stats, json)"))
            }
            return .success(.dump(format))
        case "resource-restart", "resource-cleanup":
            guard let name = envelope.name, !name.isEmpty else {
                return .failure(.badArgument("\(envelope.request) needs a \"name\": a resource (or, for cleanup, a resource group)"))
            }
            return .success(envelope.request == "resource-restart" ? .resourceRestart(name: name) : .resourceCleanup(name: name))
        case "reload": return .success(.reload)
        case "config-test": return .success(.configTest(file: envelope.file))
        default: return .failure(.unknown(envelope.request))
        }
    }

    /// The request as one JSON line, newline included.
    public var encodedLine: [UInt8] {
        var name: String?
        var format: String?
        var file: String?
        switch self {
        case .failover(let target): name = target
        case .resourceRestart(let target), .resourceCleanup(let target): name = target
        case .dump(let kind): format = kind.rawValue
        case .configTest(let path): file = path
        default: break
        }
        return ControlEncoding.line(Envelope(request: command, name: name, format: format, file: file))
    }
}

/// The three keepalived dumps: SIGUSR1's data, SIGUSR2's stats, and the JSON one.
public enum DumpFormat: String, CaseIterable, Equatable, Sendable {
    case data, stats, json
}

/// Why a request line was refused. Malformed and oversize lines also close the connection.
public enum ControlRequestError: Error, Equatable, Sendable {
    case malformed
    case oversize
    case unknown(String)
    /// A known request with a missing or invalid argument (the connection stays open).
    case badArgument(String)

    public var message: String {
        switch self {
        case .malformed: "malformed request: expected one JSON object per line with a \"request\" string"
        case .oversize: "request longer than \(ControlProtocol.maximumRequestBytes) bytes"
        case .unknown(let name): "unknown request \"\(name)\" (known: ping, status, failover, standby, unstandby, dump, resource-restart, resource-cleanup, reload, config-test)"
        case .badArgument(let problem): "bad request: \(problem)"
        }
    }

    /// Whether the server should stop reading from this client.
    public var closesConnection: Bool { !isUnknown }

    private var isUnknown: Bool {
        switch self {
        case .unknown, .badArgument: return true
        default: return false
        }
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
