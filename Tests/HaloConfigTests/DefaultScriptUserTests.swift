import HaloConfig
import Testing

/// keepalived's default script user: `keepalived_script` when no `script_user`
/// is given and that user exists, else root.
@Suite struct DefaultScriptUserTests {
    static let hooks = instanceConfig("    notify_master /etc/halo/master.sh")

    private func report(_ configuration: Configuration) -> String {
        var result = load("")
        result.configuration = configuration
        return ConfigTestReport(path: "t.conf", result: result, kernelHasIPVS: false).render()
    }

    @Test func withoutScriptUserTheKeepalivedScriptUserIsUsedWhenItExists() {
        let applied = load(Self.hooks).applyingDefaultScriptUser { $0 == "keepalived_script" }.configuration ?? Configuration()
        #expect(applied.globals.scriptUser == ScriptUser(user: "keepalived_script"))
        #expect(applied.globals.scriptUserIsDefault)
        #expect(report(applied).contains("Scripts and hooks run as: keepalived_script (no script_user; keepalived's default user exists on this host)\n"))
    }

    @Test func withoutThatUserScriptsRunAsRoot() {
        var asked: [String] = []
        let applied = config(Self.hooks).applyingDefaultScriptUser { asked.append($0); return false }
        #expect(asked == ["keepalived_script"])
        #expect(applied.globals.scriptUser == nil)
        #expect(report(applied).contains("Scripts and hooks run as: root (no script_user, and no keepalived_script user on this host)\n"))
    }

    @Test func anExplicitScriptUserWins() {
        let applied = config("global_defs {\n  script_user daemon adm\n}\n" + Self.hooks).applyingDefaultScriptUser { _ in true }
        #expect(applied.globals.scriptUser == ScriptUser(user: "daemon", group: "adm"))
        #expect(!applied.globals.scriptUserIsDefault)
        #expect(report(applied).contains("Scripts and hooks run as: daemon:adm (script_user)\n"))
    }

    @Test func aConfigurationThatRunsNothingSaysNothingAboutIt() {
        #expect(!report(config(instanceConfig(""))).contains("run as"))
    }

    /// The default user is not root, so script security has nothing to refuse,
    /// as in keepalived; the user must still exist (it does, or it is not the default).
    @Test func scriptSecurityDoesNotApplyToTheDefaultUser() {
        let text = "global_defs {\n  enable_script_security\n}\n" + Self.hooks
        let inspector = ScriptSecurityTests.Inspector(
            files: ["/etc/halo/master.sh": FileOwnership(uid: 1000, gid: 1000, mode: 0o777)],
            users: ["root": 0, "keepalived_script": 998])
        let asRoot = ScriptSecurity.audit(config(text), inspector: inspector)
        #expect(asRoot.contains { $0.refused })
        let asDefault = ScriptSecurity.audit(config(text).applyingDefaultScriptUser { inspector.userID(of: $0) != nil }, inspector: inspector)
        #expect(asDefault.isEmpty)
    }
}
