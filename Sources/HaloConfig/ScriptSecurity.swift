/// What the script security check needs to know about a file, the parts of
/// stat(2) it looks at.
public struct FileOwnership: Hashable, Sendable {
    public var uid: Int
    public var gid: Int
    /// Permission bits (0o7777).
    public var mode: Int

    public init(uid: Int, gid: Int, mode: Int) {
        self.uid = uid
        self.gid = gid
        self.mode = mode
    }
}

/// The filesystem and user database as the script security check sees them,
/// behind a protocol so the check stays pure: `SystemFileSource` answers from
/// the kernel, tests from a dictionary.
public protocol ScriptFileInspector {
    /// The program as the daemon would run it: absolute, symlinks resolved
    /// (a bare name looked up in the daemon's PATH); nil when there is no such file.
    func resolveProgram(_ program: String) -> String?
    /// Owner, group and mode of `path` (not following a final symlink); nil if absent.
    func ownership(of path: String) -> FileOwnership?
    /// The uid of a user name; nil when unknown.
    func userID(of user: String) -> Int?
}

/// One command the daemon would run and what is wrong with running it.
public struct ScriptSecurityFinding: Hashable, Sendable, CustomStringConvertible {
    public enum Problem: Hashable, Sendable {
        /// Runs as root, but `path` (the file or a parent directory) can be changed by someone else.
        case writableByNonRoot(path: String, why: String)
        case programNotFound
        case unknownUser(String)
    }

    /// "vrrp_script chk", "notify_master of VI_1"...
    public var role: String
    public var command: ScriptCommand
    public var problem: Problem
    /// With `enable_script_security`: the daemon will not run it.
    public var refused: Bool

    public var location: SourceLocation { command.location }

    public var description: String {
        let program = command.program
        switch problem {
        case .writableByNonRoot(_, let why):
            return refused
                ? "\(role): refusing to run '\(program)' as root: \(why) (enable_script_security)"
                : "\(role): '\(program)' runs as root but \(why); enable_script_security would refuse it"
        case .programNotFound:
            return "\(role): '\(program)' does not exist or is not executable; it will not run"
        case .unknownUser(let user):
            return "\(role): user '\(user)' does not exist; '\(program)' will not run"
        }
    }

    public var diagnostic: Diagnostic {
        Diagnostic(refused ? .error : .warning, location, description)
    }
}

/// keepalived's `enable_script_security`: a script run as root must not be
/// replaceable by anyone but root, so neither the file nor any directory above
/// it may be writable by a non-root user.
public enum ScriptSecurity {
    /// Every command the configuration would run (tracked scripts, notify hooks,
    /// the FIFO script), each checked for the user it runs as.
    public static func audit(_ configuration: Configuration, inspector: some ScriptFileInspector) -> [ScriptSecurityFinding] {
        let enforced = configuration.globals.enableScriptSecurity
        return commands(configuration).compactMap { role, command, user in
            check(command, runsAs: user, inspector: inspector).map {
                ScriptSecurityFinding(role: role, command: command, problem: $0, refused: enforced && isOwnershipProblem($0))
            }
        }
    }

    /// The problem with running `command` as `user` (nil: root), if any.
    public static func check(_ command: ScriptCommand, runsAs user: ScriptUser?, inspector: some ScriptFileInspector)
        -> ScriptSecurityFinding.Problem? {
        let uid: Int
        if let user {
            guard let known = inspector.userID(of: user.user) else { return .unknownUser(user.user) }
            uid = known
        } else {
            uid = 0
        }
        guard let program = inspector.resolveProgram(command.program) else { return .programNotFound }
        guard uid == 0 else { return nil }
        for path in [program] + ancestors(of: program) {
            guard let ownership = inspector.ownership(of: path) else { continue }
            if let why = writableByNonRoot(ownership) { return .writableByNonRoot(path: path, why: "'\(path)' \(why)") }
        }
        return nil
    }

    /// Why a file with this ownership can be changed by a non-root user, or nil.
    public static func writableByNonRoot(_ ownership: FileOwnership) -> String? {
        let mode = "mode \(octal(ownership.mode))"
        if ownership.uid != 0 { return "is owned by uid \(ownership.uid) (\(mode))" }
        if ownership.mode & 0o020 != 0 && ownership.gid != 0 { return "is writable by group \(ownership.gid) (\(mode))" }
        if ownership.mode & 0o002 != 0 { return "is writable by everyone (\(mode))" }
        return nil
    }

    /// Parent directories up to "/": /a/b/c -> /a/b, /a, /.
    static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var current = path
        while current != "/" && current.contains("/") {
            current = Path.directory(of: current)
            result.append(current)
        }
        return result
    }

    private static func isOwnershipProblem(_ problem: ScriptSecurityFinding.Problem) -> Bool {
        if case .writableByNonRoot = problem { return true }
        return false
    }

    private static func octal(_ mode: Int) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// (role, command, user) for everything that would run; user nil means root.
    static func commands(_ configuration: Configuration) -> [(String, ScriptCommand, ScriptUser?)] {
        let defaultUser = configuration.globals.scriptUser
        let tracked = configuration.trackedScriptNames
        var result: [(String, ScriptCommand, ScriptUser?)] = []
        for script in configuration.scripts where tracked.contains(script.name) {
            result.append(("vrrp_script \(script.name)", script.command, script.user ?? defaultUser))
        }
        func hooks(_ notify: NotifyCommands, of owner: String) {
            let named: [(String, ScriptCommand?)] = [("notify_master", notify.master), ("notify_backup", notify.backup),
                                                     ("notify_fault", notify.fault), ("notify_stop", notify.stop),
                                                     ("notify", notify.generic)]
            for case let (keyword, command?) in named { result.append(("\(keyword) of \(owner)", command, defaultUser)) }
        }
        for instance in configuration.instances { hooks(instance.notify, of: instance.name) }
        for group in configuration.syncGroups { hooks(group.notify, of: group.name) }
        if let fifoScript = configuration.globals.notifyFIFOScript {
            result.append(("notify_fifo_script", fifoScript, defaultUser))
        }
        // Resource agents run as root (they mount, start services), so exec commands and fencing do too.
        for group in configuration.resourceGroups {
            result += group.rootCommands.map { ($0.role, $0.command, nil) }
        }
        return result
    }
}

extension ResourceGroup {
    /// The commands this group runs as root from the config itself: exec
    /// resources' start/stop/monitor and the fencing command, each with its role.
    public var rootCommands: [(role: String, command: ScriptCommand)] {
        var result: [(role: String, command: ScriptCommand)] = []
        for resource in resources where resource.agent == .exec {
            for case let (keyword, command?) in [("start", resource.start), ("stop", resource.stop), ("monitor", resource.monitor)] {
                result.append(("\(keyword) of resource \(resource.name) in resource_group \(name)", command))
            }
        }
        if case .fence(let command) = onStopFailure {
            result.append(("on_stop_failure fence of resource_group \(name)", command))
        }
        return result
    }
}
