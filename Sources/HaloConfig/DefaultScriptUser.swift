/// keepalived.conf(5): without `script_user`, scripts and hooks run as the user
/// `keepalived_script` if it exists, otherwise as the user keepalived runs as
/// (root). Halo follows the same rule and no other name, so a configuration and
/// host moved over from keepalived run their scripts as the same user.
/// Script security is unchanged by it: its check only applies to what runs as
/// root, and the default user is not root.
extension Configuration {
    public static let defaultScriptUserName = "keepalived_script"

    /// The configuration with `script_user` set to `keepalived_script` when no
    /// `script_user` is given and that user exists; unchanged otherwise.
    public func applyingDefaultScriptUser(userExists: (String) -> Bool) -> Configuration {
        guard globals.scriptUser == nil, userExists(Self.defaultScriptUserName) else { return self }
        var configuration = self
        configuration.globals.scriptUser = ScriptUser(user: Self.defaultScriptUserName)
        configuration.globals.scriptUserIsDefault = true
        return configuration
    }

    /// Who scripts and hooks run as by default, with why, for `--config-test`.
    var scriptUserSummary: String {
        guard let user = globals.scriptUser else {
            return "root (no script_user, and no \(Self.defaultScriptUserName) user on this host)"
        }
        return globals.scriptUserIsDefault
            ? "\(user) (no script_user; keepalived's default user exists on this host)"
            : "\(user) (script_user)"
    }
}

extension LoadResult {
    public func applyingDefaultScriptUser(userExists: (String) -> Bool) -> LoadResult {
        var result = self
        result.configuration = configuration?.applyingDefaultScriptUser(userExists: userExists)
        return result
    }
}
