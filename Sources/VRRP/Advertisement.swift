import HaloNet

/// The shared contract between the packet codec and the state machine: a VRRP
/// advertisement as a value, already decoded and checked.

public enum VRRPVersion: UInt8, Hashable, Sendable, CustomStringConvertible {
    case v2 = 2
    case v3 = 3

    public var description: String { "VRRPv\(rawValue)" }
}

/// VRRPv2 authentication (RFC 3768 §5.3.6). v3 has none.
public enum Authentication: Hashable, Sendable {
    case none
    /// Type 1: the 8-byte password field, zero-padded; keepalived truncates longer passwords to 8.
    case password([UInt8])

    /// Builds the 8-byte field from a configured password the way keepalived does.
    public static func password(_ text: String) -> Authentication {
        let bytes = Array(text.utf8.prefix(8))
        return .password(bytes + Array(repeating: 0, count: 8 - bytes.count))
    }

    public var wireType: UInt8 {
        switch self { case .none: 0; case .password: 1 }
    }
}

public struct Advertisement: Hashable, Sendable {
    public var version: VRRPVersion
    public var virtualRouterID: UInt8
    /// 0 = master is leaving, 255 = address owner.
    public var priority: UInt8
    /// Advertisement interval in centiseconds for both versions (v2's wire field is
    /// whole seconds, so a v2 interval is a multiple of 100).
    public var intervalCentiseconds: UInt16
    /// All of one family: IPv4 for v2; IPv4 or IPv6 for v3.
    public var addresses: [IPAddress]
    /// Always `.none` for v3.
    public var authentication: Authentication

    public init(
        version: VRRPVersion, virtualRouterID: UInt8, priority: UInt8,
        intervalCentiseconds: UInt16, addresses: [IPAddress], authentication: Authentication = .none
    ) {
        self.version = version
        self.virtualRouterID = virtualRouterID
        self.priority = priority
        self.intervalCentiseconds = intervalCentiseconds
        self.addresses = addresses
        self.authentication = authentication
    }
}
