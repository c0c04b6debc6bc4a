import HaloConfig
import Testing

/// Resource groups' own commands (exec agents, on_stop_failure fence) run as
/// root, so keepalived's enable_script_security rule applies to them as to
/// notify scripts: a file or directory a non-root user can change is refused
/// under enable_script_security and warned about without it.
@Suite struct ResourceScriptSecurityTests {
    static let safe = FileOwnership(uid: 0, gid: 0, mode: 0o755)

    private func findings(_ globals: String, start: FileOwnership, fence: FileOwnership = safe) -> [ScriptSecurityFinding] {
        var files = ScriptSecurityTests.rootDirectories
        files["/etc/halo/start.sh"] = start
        files["/etc/halo/stop.sh"] = Self.safe
        files["/etc/halo/fence.sh"] = fence
        let text = "global_defs {\n\(globals)\n}\n" + instanceConfig("") + """
            resource_group web {
                follow VI_1
                resource app {
                    agent exec
                    start /etc/halo/start.sh --now
                    stop /etc/halo/stop.sh
                }
                on_stop_failure fence /etc/halo/fence.sh peer
            }

            """
        return ScriptSecurity.audit(config(text), inspector: ScriptSecurityTests.Inspector(files: files))
    }

    @Test func rootOwnedCommandsPass() {
        #expect(findings("  enable_script_security", start: Self.safe).isEmpty)
    }

    @Test func worldWritableExecCommandIsRefusedUnderScriptSecurity() throws {
        let found = findings("  enable_script_security", start: FileOwnership(uid: 0, gid: 0, mode: 0o777))
        let finding = try #require(found.first)
        #expect(found.count == 1)
        #expect(finding.refused)
        #expect(finding.role == "start of resource app in resource_group web")
        #expect(finding.description.contains("refusing to run '/etc/halo/start.sh' as root: '/etc/halo/start.sh' is writable by everyone (mode 0777)"),
                "\(finding.description)")
        #expect(finding.diagnostic.severity == .error)
    }

    @Test func nonRootOwnedFenceCommandIsRefused() throws {
        let found = findings("  enable_script_security", start: Self.safe, fence: FileOwnership(uid: 1000, gid: 1000, mode: 0o755))
        let finding = try #require(found.first)
        #expect(finding.refused && finding.role == "on_stop_failure fence of resource_group web")
        #expect(finding.problem == .writableByNonRoot(path: "/etc/halo/fence.sh", why: "'/etc/halo/fence.sh' is owned by uid 1000 (mode 0755)"))
    }

    @Test func withoutScriptSecurityItIsAWarningOnly() throws {
        let found = findings("  router_id r1", start: FileOwnership(uid: 1000, gid: 1000, mode: 0o755))
        let finding = try #require(found.first)
        #expect(!finding.refused && finding.diagnostic.severity == .warning)
        #expect(finding.description.contains("runs as root but"))
    }
}
