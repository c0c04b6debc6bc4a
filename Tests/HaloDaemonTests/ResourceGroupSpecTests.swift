import HaloConfig
import HaloDaemon
import HaloResources
import Testing

/// resource_group as the engine runs it: the router group followed, agents, vip_position as a step index.
@Suite struct ResourceGroupSpecTests {
    private func engineConfiguration(_ groupLines: String) -> EngineConfiguration {
        let text = """
        vrrp_instance VI_1 {
            interface eth0
            virtual_router_id 51
            virtual_ipaddress {
                192.0.2.10/24
            }
        }
        resource_group g {
            follow VI_1
            resource a {
                agent ocf:heartbeat:anything
                binfile /bin/sleep
            }
            resource b {
                agent lsb:nginx
            }
            resource c {
                agent exec
                start /bin/true
                stop /bin/true
            }
        \(groupLines)
        }
        """
        return EngineConfiguration(ConfigurationLoader.parse(text).configuration ?? Configuration())
    }

    @Test(arguments: [("", 0), ("vip_position last", 3), ("vip_position after b", 2), ("vip_position first", 0)])
    func vipPositionBecomesAStepIndex(line: String, index: Int) throws {
        let spec = try #require(engineConfiguration(line).resourceGroups.first)
        #expect(spec.settings.vipIndex == index)
    }

    @Test func resourcesAndPolicies() throws {
        let spec = try #require(engineConfiguration("migration_threshold 4\nfailure_timeout 30\non_stop_failure fence /usr/bin/fence x").resourceGroups.first)
        #expect(spec.follows == "VI_1")
        #expect(spec.resources.map(\.name) == ["a", "b", "c"])
        #expect(spec.resources[0].kind == .ocf(provider: "heartbeat", type: "anything"))
        #expect(spec.resources[0].parameters.map { "\($0.name)=\($0.value)" } == ["binfile=/bin/sleep"])
        #expect(spec.resources[1].kind == .lsb(script: "nginx"))
        #expect(spec.resources[2].kind == .exec(start: ["/bin/true"], stop: ["/bin/true"], monitor: nil))
        #expect(spec.settings.migrationThreshold == 4)
        #expect(spec.settings.failureTimeoutNanoseconds == 30_000_000_000)
        #expect(spec.settings.fences)
        #expect(spec.fenceCommand == ["/usr/bin/fence", "x"])
    }
}
