import HaloConfig

/// A `vrrp_script` as the engine runs it, resolved from the configuration.
public struct ScriptSpec: Hashable, Sendable {
    public var name: String
    public var arguments: [String]
    public var intervalNanoseconds: Int64
    public var timeoutNanoseconds: Int64
    public var weight: Int
    public var weightReversed: Bool
    public var rise: Int
    public var fall: Int
    /// Who it runs as (the script's `user`, else `script_user`); nil: root.
    public var user: ScriptUser?
    public var initiallyFailed: Bool

    public init(name: String, arguments: [String], intervalNanoseconds: Int64 = 1_000_000_000,
                timeoutNanoseconds: Int64? = nil, weight: Int = 0, weightReversed: Bool = false, rise: Int = 1,
                fall: Int = 1, user: ScriptUser? = nil, initiallyFailed: Bool = false) {
        self.name = name
        self.arguments = arguments
        self.intervalNanoseconds = intervalNanoseconds
        self.timeoutNanoseconds = timeoutNanoseconds ?? intervalNanoseconds
        self.weight = weight
        self.weightReversed = weightReversed
        self.rise = rise
        self.fall = fall
        self.user = user
        self.initiallyFailed = initiallyFailed
    }
}

/// A `vrrp_track_file`: an integer in a file, times the weight.
public struct TrackFileSpec: Hashable, Sendable {
    public var name: String
    public var path: String
    public var weight: Int
    public var weightReversed: Bool
    /// `init_file [VALUE]`: write this value at start when the file is missing.
    public var initialValue: Int?

    public init(name: String, path: String, weight: Int = 1, weightReversed: Bool = false, initialValue: Int? = nil) {
        self.name = name
        self.path = path
        self.weight = weight
        self.weightReversed = weightReversed
        self.initialValue = initialValue
    }
}

/// An instance's `track_script` / `track_file` line: which tracker, and the
/// weight it has for this instance (the line's override, else the tracker's own).
public struct TrackerReference: Hashable, Sendable {
    public var name: String
    public var weight: Int
    public var weightReversed: Bool

    public init(name: String, weight: Int, weightReversed: Bool = false) {
        self.name = name
        self.weight = weight
        self.weightReversed = weightReversed
    }
}

/// The hooks of an instance or a sync group: argv exactly as configured.
public struct NotifySpec: Hashable, Sendable {
    public var master: [String]?
    public var backup: [String]?
    public var fault: [String]?
    public var stop: [String]?
    /// Gets `INSTANCE|GROUP NAME STATE PRIORITY` appended.
    public var generic: [String]?

    public init(master: [String]? = nil, backup: [String]? = nil, fault: [String]? = nil,
                stop: [String]? = nil, generic: [String]? = nil) {
        self.master = master
        self.backup = backup
        self.fault = fault
        self.stop = stop
        self.generic = generic
    }

    public var isEmpty: Bool { [master, backup, fault, stop, generic].allSatisfy { $0 == nil } }
}

/// Engine-wide settings for hooks and scripts.
public struct HookSettings: Hashable, Sendable {
    /// Each notify hook is killed with its process group after this long.
    public var notifyTimeoutNanoseconds: Int64 = 30_000_000_000
    /// `script_user`: who hooks run as; nil: root.
    public var scriptUser: ScriptUser?
    /// `notify_fifo PATH`: one line per state change.
    public var fifoPath: String?
    /// `notify_fifo PATH USER [GROUP]`: who owns the FIFO Halo creates; nil: root.
    public var fifoOwner: ScriptUser?
    /// `notify_fifo_script`: started once with the FIFO path appended, reads the lines.
    public var fifoScript: [String]?
    /// Said once at start: scripts refused or run without script security.
    public var securityNotes: [SecurityNote] = []

    public init() {}
}

/// A script security finding as the engine logs it.
public struct SecurityNote: Hashable, Sendable {
    public var message: String
    /// Not run at all (enable_script_security refused it).
    public var refused: Bool
    public init(message: String, refused: Bool) {
        self.message = message
        self.refused = refused
    }
}
