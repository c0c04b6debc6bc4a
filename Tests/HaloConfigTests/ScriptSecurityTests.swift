import HaloConfig
import Testing

/// keepalived's enable_script_security rule, decided from a described filesystem.
@Suite struct ScriptSecurityTests {
    /// Files by path; users by name. Programs resolve to themselves when present.
    struct Inspector: ScriptFileInspector {
        var files: [String: FileOwnership]
        var users = ["root": 0, "nobody": 65534]

        func resolveProgram(_ program: String) -> String? { files[program] == nil ? nil : program }
        func ownership(of path: String) -> FileOwnership? { files[path] }
        func userID(of user: String) -> Int? { users[user] }
    }

    static let rootDirectories: [String: FileOwnership] = [
        "/": FileOwnership(uid: 0, gid: 0, mode: 0o755),
        "/etc": FileOwnership(uid: 0, gid: 0, mode: 0o755),
        "/etc/halo": FileOwnership(uid: 0, gid: 0, mode: 0o755),
    ]

    private func findings(_ globals: String, script: FileOwnership, directory: FileOwnership? = nil) -> [ScriptSecurityFinding] {
        var files = Self.rootDirectories
        files["/etc/halo/check.sh"] = script
        if let directory { files["/etc/halo"] = directory }
        let text = "global_defs {\n\(globals)\n}\nvrrp_script chk {\n  script \"/etc/halo/check.sh --port 80\"\n}\n"
            + instanceConfig("    track_script {\n        chk\n    }")
        return ScriptSecurity.audit(config(text), inspector: Inspector(files: files))
    }

    @Test func rootOwnedScriptInRootDirectoriesPasses() {
        #expect(findings("  enable_script_security", script: FileOwnership(uid: 0, gid: 0, mode: 0o755)).isEmpty)
        // Group write by group root is still root's.
        #expect(findings("  enable_script_security", script: FileOwnership(uid: 0, gid: 0, mode: 0o775)).isEmpty)
    }

    @Test func groupWritableScriptIsRefusedNamingTheFile() throws {
        let found = findings("  enable_script_security", script: FileOwnership(uid: 0, gid: 1000, mode: 0o775))
        let finding = try #require(found.first)
        #expect(found.count == 1)
        #expect(finding.refused)
        #expect(finding.problem == .writableByNonRoot(path: "/etc/halo/check.sh", why: "'/etc/halo/check.sh' is writable by group 1000 (mode 0775)"))
        #expect(finding.diagnostic.description == "t.conf:5:10: error: vrrp_script chk: refusing to run '/etc/halo/check.sh' as root: '/etc/halo/check.sh' is writable by group 1000 (mode 0775) (enable_script_security)")
    }

    @Test func writableParentDirectoryIsNamed() throws {
        let found = findings("  enable_script_security", script: FileOwnership(uid: 0, gid: 0, mode: 0o755),
                             directory: FileOwnership(uid: 0, gid: 100, mode: 0o2775))
        let finding = try #require(found.first)
        #expect(finding.problem == .writableByNonRoot(path: "/etc/halo", why: "'/etc/halo' is writable by group 100 (mode 2775)"))
        let owned = findings("  enable_script_security", script: FileOwnership(uid: 0, gid: 0, mode: 0o755),
                             directory: FileOwnership(uid: 1000, gid: 0, mode: 0o755))
        #expect(owned.first?.problem == .writableByNonRoot(path: "/etc/halo", why: "'/etc/halo' is owned by uid 1000 (mode 0755)"))
        let everyone = findings("  enable_script_security", script: FileOwnership(uid: 0, gid: 0, mode: 0o757))
        #expect(everyone.first?.problem == .writableByNonRoot(path: "/etc/halo/check.sh", why: "'/etc/halo/check.sh' is writable by everyone (mode 0757)"))
    }

    @Test func withoutScriptSecurityItIsAWarningNotARefusal() throws {
        let finding = try #require(findings("  router_id x", script: FileOwnership(uid: 0, gid: 1000, mode: 0o775)).first)
        #expect(!finding.refused)
        #expect(finding.diagnostic.severity == .warning)
        #expect(finding.description.hasSuffix("runs as root but '/etc/halo/check.sh' is writable by group 1000 (mode 0775); enable_script_security would refuse it"))
    }

    @Test func aScriptRunAsAnotherUserNeedsNoRootOnlyPath() {
        #expect(findings("  enable_script_security\n  script_user nobody", script: FileOwnership(uid: 1000, gid: 1000, mode: 0o775)).isEmpty)
        let unknown = findings("  enable_script_security\n  script_user halo-nosuch", script: FileOwnership(uid: 0, gid: 0, mode: 0o755))
        #expect(unknown.first?.problem == .unknownUser("halo-nosuch"))
    }

    @Test func notifyHooksAreCheckedAndMissingProgramsReported() {
        let text = "global_defs {\n  enable_script_security\n}\n" + instanceConfig("    notify_master /etc/halo/missing.sh\n    notify \"/etc/halo/check.sh generic\"")
        var files = Self.rootDirectories
        files["/etc/halo/check.sh"] = FileOwnership(uid: 1000, gid: 0, mode: 0o755)
        let found = ScriptSecurity.audit(config(text), inspector: Inspector(files: files))
        #expect(found.map(\.role) == ["notify_master of VI_1", "notify of VI_1"])
        #expect(found.first?.problem == .programNotFound)
        #expect(found.last?.refused == true)
    }

    @Test func configTestReportCountsARefusalAsAnError() {
        let text = "global_defs {\n  enable_script_security\n}\nvrrp_script chk {\n  script /etc/halo/check.sh\n}\n"
            + instanceConfig("    track_script {\n        chk\n    }")
        let result = load(text)
        var files = Self.rootDirectories
        files["/etc/halo/check.sh"] = FileOwnership(uid: 0, gid: 1000, mode: 0o775)
        let found = ScriptSecurity.audit(result.configuration!, inspector: Inspector(files: files))
        let report = ConfigTestReport(path: "t.conf", result: result, kernelHasIPVS: false, securityFindings: found)
        #expect(ConfigTestStatus(result) == .clean)
        #expect(report.status == .errorsButWouldRun)
        let output = report.render()
        #expect(output.hasPrefix("t.conf:5:10: error: vrrp_script chk: refusing to run '/etc/halo/check.sh' as root"))
        #expect(output.contains("t.conf: 1 error, 0 warnings\n"))
    }

    @Test func notifyTimeoutIsAGlobalSetting() {
        let result = load("global_defs {\n  notify_timeout 2.5\n}\n" + instanceConfig(""))
        #expect(result.diagnostics.isEmpty, "\(diagnostics(result))")
        #expect(result.configuration?.globals.notifyTimeout == Milliseconds(2500))
        #expect(diagnostics(load("global_defs {\n  notify_timeout 0\n}\n" + instanceConfig(""))).count == 1)
    }
}
