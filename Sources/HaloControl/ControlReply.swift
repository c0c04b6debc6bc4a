/// One reply line: `{"ok":true,...}` or `{"ok":false,"error":"..."}`. Only the
/// member that belongs to the request is present.
public struct ControlReply: Codable, Equatable, Sendable {
    public var ok: Bool
    public var schema = ControlProtocol.schema
    public var error: String?
    /// ping: "pong".
    public var message: String?
    public var status: StatusReport?
    public var failover: FailoverReport?
    /// standby / unstandby: whether the node is in standby now.
    public var standby: Bool?
    /// dump: the keepalived-style dump, as the signal would write it.
    public var dump: String?
    /// resource-restart / resource-cleanup: the group and resources it acted on.
    public var resources: ResourceActionReport?
    /// reload: what changed (one line each); refused reloads carry the file:line:col diagnostics.
    public var reload: ReloadReport?
    /// config-test: the report `halod --config-test` prints, and its exit status.
    public var configTest: ConfigTestReply?

    public init(ok: Bool, error: String? = nil, message: String? = nil, status: StatusReport? = nil,
                failover: FailoverReport? = nil, standby: Bool? = nil) {
        self.ok = ok
        self.error = error
        self.message = message
        self.status = status
        self.failover = failover
        self.standby = standby
    }

    public static func failure(_ error: String) -> ControlReply { ControlReply(ok: false, error: error) }

    public var encodedLine: [UInt8] { ControlEncoding.line(self) }
}

/// What a failover request started.
public struct FailoverReport: Codable, Equatable, Sendable {
    /// The instances that began handing off (state HANDOFF), every member of each group.
    public var instances: [String]
    /// The router groups (sync group or standalone instance names) given up.
    public var groups: [String]
    /// How the node behaves afterwards (see docs/control-protocol.md, "failover").
    public var note: String

    public init(instances: [String], groups: [String], note: String) {
        self.instances = instances
        self.groups = groups
        self.note = note
    }
}

/// What a resource-restart or resource-cleanup did.
public struct ResourceActionReport: Codable, Equatable, Sendable {
    public var group: String
    /// restart: the resources stopped (top down) and started again (in order); cleanup: those cleared.
    public var resources: [String]
    public var note: String

    public init(group: String, resources: [String], note: String) {
        self.group = group
        self.resources = resources
        self.note = note
    }
}

/// What a reload did, or (refused) why nothing changed.
public struct ReloadReport: Codable, Equatable, Sendable {
    /// "reload: N unchanged, N added, N removed, N changed"; empty when refused.
    public var summary: String
    /// One line per added, removed or changed group and per setting that needs a restart.
    public var details: [String]
    /// file:line:col lines of a configuration that was refused.
    public var diagnostics: [String]

    public init(summary: String, details: [String] = [], diagnostics: [String] = []) {
        self.summary = summary
        self.details = details
        self.diagnostics = diagnostics
    }
}

/// `halod --config-test` run by the daemon on its own file (or another).
public struct ConfigTestReply: Codable, Equatable, Sendable {
    public var report: String
    /// halod --config-test's exit status (ConfigTestStatus).
    public var status: Int32

    public init(report: String, status: Int32) {
        self.report = report
        self.status = status
    }
}
