import HaloConfig
@testable import HaloDaemon
import Testing

/// A resource group whose exec or fencing command script security refused is
/// not run by the engine (and says so in the security notes); other groups
/// and groups with only warned-about commands run.
@Suite struct ResourceGroupSecurityMappingTests {
    struct Inspector: ScriptFileInspector {
        var files: [String: FileOwnership]
        func resolveProgram(_ program: String) -> String? { files[program] == nil ? nil : program }
        func ownership(of path: String) -> FileOwnership? { files[path] }
        func userID(of user: String) -> Int? { user == "root" ? 0 : nil }
    }

    static let text = "global_defs {\n    enable_script_security\n}\n" + instanceBlock("VI_1", vrid: 1) + instanceBlock("VI_2", vrid: 2) + """
        resource_group unsafe {
            follow VI_1
            resource app {
                agent exec
                start /srv/start.sh
                stop /etc/halo/stop.sh
            }
        }
        resource_group safe {
            follow VI_2
            resource app {
                agent exec
                start /etc/halo/start.sh
                stop /etc/halo/stop.sh
            }
            on_stop_failure fence /etc/halo/fence.sh
        }

        """

    @Test func groupWithARefusedCommandIsLeftOut() throws {
        let root = FileOwnership(uid: 0, gid: 0, mode: 0o755)
        let files: [String: FileOwnership] = [
            "/": root, "/etc": root, "/etc/halo": root, "/srv": FileOwnership(uid: 1000, gid: 1000, mode: 0o755),
            "/srv/start.sh": root, "/etc/halo/start.sh": root, "/etc/halo/stop.sh": root, "/etc/halo/fence.sh": root,
        ]
        let configuration = try #require(ConfigurationLoader.parse(Self.text).configuration)
        let findings = ScriptSecurity.audit(configuration, inspector: Inspector(files: files))
        #expect(findings.map(\.role) == ["start of resource app in resource_group unsafe"])
        let engine = EngineConfiguration(configuration, securityFindings: findings)
        #expect(engine.resourceGroups.map(\.name) == ["safe"])
        #expect(engine.hooks.securityNotes.contains { $0.refused && $0.message.contains("refusing to run '/srv/start.sh' as root: '/srv' is owned by uid 1000") },
                "\(engine.hooks.securityNotes)")
    }
}
