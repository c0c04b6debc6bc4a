import HaloControl

/// Where the control socket and the persisted standby flag live, and who may use the socket.
public struct ControlSettings: Hashable, Sendable {
    /// nil: no control socket (tests that run an engine without one).
    public var socketPath: String? = ControlProtocol.defaultSocketPath
    /// Group (global_defs `control_socket_group`) whose members may connect besides root.
    public var socketGroup: String?
    /// Holds the `standby` file; a node restarted with it present comes back in standby.
    public var stateDirectory = "/var/lib/halo"
    public var routerID: String?

    public init() {}

    var standbyFilePath: String { stateDirectory + "/standby" }
}
