import HaloNet

/// `virtual_server IP PORT { ... }`: an IPVS service. Halo parses and validates
/// these so existing files load, and reports that it does not run them.
public struct VirtualServer: Hashable, Sendable {
    public enum TransportProtocol: String, Hashable, Sendable { case tcp = "TCP", udp = "UDP", sctp = "SCTP" }
    /// How IPVS forwards to real servers (`lb_kind` / `lvs_method`).
    public enum ForwardingMethod: String, Hashable, Sendable { case nat = "NAT", directRouting = "DR", tunnel = "TUN" }

    public var address: IPAddress
    public var port: Int
    /// `lb_algo` / `lvs_sched`: rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh.
    public var scheduler: String?
    public var forwardingMethod: ForwardingMethod?
    public var persistenceTimeout: Milliseconds?
    public var persistenceNetmask: IPv4Address?
    public var transportProtocol: TransportProtocol = .tcp
    /// How often checks run (keepalived default 60 s).
    public var delayLoop: Milliseconds?
    public var realServers: [RealServer] = []
    public var location: SourceLocation

    public init(address: IPAddress, port: Int, location: SourceLocation) {
        self.address = address
        self.port = port
        self.location = location
    }
}

public struct RealServer: Hashable, Sendable {
    public var address: IPAddress
    public var port: Int
    public var weight = 1
    public var inhibitOnFailure = false
    public var notifyUp: ScriptCommand?
    public var notifyDown: ScriptCommand?
    public var checks: [HealthCheck] = []
    public var location: SourceLocation

    public init(address: IPAddress, port: Int, location: SourceLocation) {
        self.address = address
        self.port = port
        self.location = location
    }
}

public enum HealthCheck: Hashable, Sendable {
    case tcp(TCPCheck)
    /// HTTP_GET, or SSL_GET when `tls` is set.
    case http(HTTPCheck)
    case misc(MiscCheck)

    public var location: SourceLocation {
        switch self {
        case .tcp(let check): check.location
        case .http(let check): check.location
        case .misc(let check): check.location
        }
    }
}

/// Settings every checker shares.
public struct CheckTiming: Hashable, Sendable {
    public var connectTimeout: Milliseconds?
    /// `retry` / `nb_get_retry`.
    public var retries: Int?
    public var delayBeforeRetry: Milliseconds?
    public var delayLoop: Milliseconds?
    public init() {}
}

public struct TCPCheck: Hashable, Sendable {
    public var timing = CheckTiming()
    public var connectPort: Int?
    public var connectIP: IPAddress?
    public var bindTo: IPAddress?
    public var location: SourceLocation

    public init(location: SourceLocation) { self.location = location }
}

public struct HTTPCheck: Hashable, Sendable {
    public struct URL: Hashable, Sendable {
        public var path: String?
        public var digest: String?
        public var statusCode: Int?
        public var location: SourceLocation
        public init(location: SourceLocation) { self.location = location }
    }

    public var tls = false
    public var timing = CheckTiming()
    public var connectPort: Int?
    public var connectIP: IPAddress?
    public var bindTo: IPAddress?
    public var virtualHost: String?
    public var urls: [URL] = []
    public var location: SourceLocation

    public init(tls: Bool, location: SourceLocation) {
        self.tls = tls
        self.location = location
    }
}

public struct MiscCheck: Hashable, Sendable {
    public var command: ScriptCommand?
    public var timeout: Milliseconds?
    /// `misc_dynamic`: the exit code minus 2 becomes the real server's weight.
    public var dynamicWeight = false
    public var user: ScriptUser?
    public var location: SourceLocation

    public init(location: SourceLocation) { self.location = location }
}
