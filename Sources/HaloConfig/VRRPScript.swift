/// `vrrp_script NAME { script ...; interval; timeout; weight [reverse]; rise; fall; user; init_fail }`.
public struct VRRPScript: Hashable, Sendable {
    public var name: String
    public var command: ScriptCommand
    /// How often it runs (keepalived default 1 s).
    public var interval = Milliseconds.seconds(1)
    /// How long a run may take; nil means the interval, as in keepalived.
    public var timeout: Milliseconds?
    /// Added to the priority of trackers while the script succeeds (or fails, when reversed).
    public var weight = 0
    /// `weight W reverse`: the weight applies while the script fails.
    public var weightReversed = false
    /// Successes in a row before the script counts as up.
    public var rise = 1
    /// Failures in a row before the script counts as down.
    public var fall = 1
    public var user: ScriptUser?
    /// Start in the failed state instead of "rise − 1 successes".
    public var initiallyFailed = false
    public var location: SourceLocation

    public init(name: String, command: ScriptCommand, location: SourceLocation) {
        self.name = name
        self.command = command
        self.location = location
    }

    public var effectiveTimeout: Milliseconds { timeout ?? interval }
}

/// `vrrp_track_file NAME { file PATH; weight W [reverse]; init_file [VALUE] [overwrite] }`:
/// a file whose integer content, times the weight, adjusts priority.
public struct TrackFile: Hashable, Sendable {
    public var name: String
    public var path: String
    public var weight = 1
    public var weightReversed = false
    /// Create the file with this value at start (`init_file`).
    public var initialValue: Int?
    public var location: SourceLocation

    public init(name: String, path: String, location: SourceLocation) {
        self.name = name
        self.path = path
        self.location = location
    }
}
