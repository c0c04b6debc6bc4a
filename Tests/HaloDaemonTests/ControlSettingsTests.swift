import HaloConfig
@testable import HaloDaemon
import Testing

@Suite struct ControlSettingsTests {
    @Test func routerIDAndSocketGroupReachTheEngine() throws {
        let configuration = try engineConfiguration(
            "global_defs {\n    router_id LB1\n    control_socket_group halo-admin\n}\n" + instanceBlock("VI_1", vrid: 51))
        #expect(configuration.control.routerID == "LB1")
        #expect(configuration.control.socketGroup == "halo-admin")
        #expect(configuration.control.socketPath == "/run/halo/halod.sock")
        #expect(configuration.control.standbyFilePath == "/var/lib/halo/standby")
    }
}
