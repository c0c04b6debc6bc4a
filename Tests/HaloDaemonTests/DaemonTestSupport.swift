import HaloConfig
@testable import HaloDaemon
import Testing

/// What the engine would run for `text`, which must load without errors.
func engineConfiguration(_ text: String) throws -> EngineConfiguration {
    let result = ConfigurationLoader.parse(text)
    #expect(result.errors.isEmpty, "\(result.errors)")
    return EngineConfiguration(try #require(result.configuration))
}

/// The instance named `name` in what the engine would run.
func instanceSpec(_ name: String, in configuration: EngineConfiguration) throws -> InstanceSpec {
    try #require(configuration.instances.first { $0.name == name })
}

/// A `vrrp_instance` block with `body` spliced in.
func instanceBlock(_ name: String, vrid: Int, priority: Int = 100, interface: String = "eth0", _ body: String = "") -> String {
    """
    vrrp_instance \(name) {
        interface \(interface)
        virtual_router_id \(vrid)
        priority \(priority)
        virtual_ipaddress {
            192.0.2.\(vrid)/24
        }
    \(body)
    }

    """
}
