/// `vrrp_sync_group NAME { group { I1 I2 } notify*; track_* }`: instances that
/// change state together.
public struct SyncGroup: Hashable, Sendable {
    public var name: String
    public var members: [String] = []
    public var notify = NotifyCommands()
    public var trackedInterfaces: [TrackedInterface] = []
    public var trackedScripts: [TrackedReference] = []
    public var trackedFiles: [TrackedReference] = []
    public var location: SourceLocation
    /// Where each member name was written, for reporting a member that does not exist.
    public var memberLocations: [String: SourceLocation] = [:]

    public init(name: String, location: SourceLocation) {
        self.name = name
        self.location = location
    }
}
