import CHaloLinux
import Glibc

/// What to run and how, for `ProcessRunner`: argv, who it runs as, how long it
/// may take, and the environment it sees.
public struct ProcessSpec: Sendable {
    /// argv, program first. A program without a `/` is looked up in `environment["PATH"]`.
    public var arguments: [String]
    /// nil: run as the daemon's own user.
    public var credentials: ProcessCredentials?
    /// After this long the whole process group gets SIGTERM; nil: no limit.
    public var timeoutNanoseconds: Int64?
    /// SIGKILL to the group this long after the SIGTERM.
    public var killGraceNanoseconds: Int64 = 2_000_000_000
    /// The complete environment: nothing of the daemon's is inherited.
    public var environment: [String: String]
    /// Bytes of combined stdout/stderr kept (the last ones).
    public var outputLimit = 4096

    /// A sane PATH and nothing else the caller did not ask for.
    public static let cleanEnvironment = [
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG": "C",
    ]

    /// Variables that change how the program or its shell behaves behind its back;
    /// removed even when the caller passes them.
    public static let unsafeVariables: Set<String> = ["LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "IFS"]

    public init(arguments: [String], credentials: ProcessCredentials? = nil, timeoutNanoseconds: Int64? = nil,
                environment: [String: String] = ProcessSpec.cleanEnvironment) {
        self.arguments = arguments
        self.credentials = credentials
        self.timeoutNanoseconds = timeoutNanoseconds
        self.environment = environment
    }

    /// `NAME=value` lines without the unsafe variables, sorted for stable behaviour.
    var environmentLines: [String] {
        environment.filter { !Self.unsafeVariables.contains($0.key) }.map { "\($0.key)=\($0.value)" }.sorted()
    }

    /// The file to exec: the program itself when it has a `/`, else the first
    /// executable match along PATH (as execvp would, but decided before forking).
    public func resolvedProgram() throws -> String {
        guard let program = arguments.first, !program.isEmpty else { throw SystemError("exec (empty argv)", code: ENOENT) }
        if program.contains("/") { return program }
        let path = environment["PATH"] ?? Self.cleanEnvironment["PATH"]!
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw SystemError("exec \(program) (not found in PATH)", code: ENOENT)
    }
}

/// A user (and group) to run as, resolved once: uid, primary gid and the
/// supplementary groups initgroups(3) would set.
public struct ProcessCredentials: Sendable, Hashable, CustomStringConvertible {
    public var userName: String
    public var uid: uid_t
    public var gid: gid_t
    public var groups: [gid_t]

    /// `user` from the password database; `group` overrides its primary group.
    public static func resolve(user: String, group: String? = nil) throws -> ProcessCredentials {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        let status = getpwnam_r(user, &entry, &buffer, buffer.count, &result)
        guard status == 0, result != nil else { throw SystemError("no such user '\(user)'", code: status == 0 ? ENOENT : status) }
        var gid = entry.pw_gid
        if let group {
            var groupEntry = Glibc.group()
            var groupResult: UnsafeMutablePointer<Glibc.group>?
            var groupBuffer = [CChar](repeating: 0, count: 16384)
            let groupStatus = getgrnam_r(group, &groupEntry, &groupBuffer, groupBuffer.count, &groupResult)
            guard groupStatus == 0, groupResult != nil else {
                throw SystemError("no such group '\(group)'", code: groupStatus == 0 ? ENOENT : groupStatus)
            }
            gid = groupEntry.gr_gid
        }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(user, gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(user, gid, &groups, &count)
        }
        return ProcessCredentials(userName: user, uid: entry.pw_uid, gid: gid, groups: Array(groups.prefix(Int(max(count, 0)))))
    }

    public init(userName: String, uid: uid_t, gid: gid_t, groups: [gid_t]) {
        self.userName = userName
        self.uid = uid
        self.gid = gid
        self.groups = groups
    }

    public var isRoot: Bool { uid == 0 }
    public var description: String { "\(userName) (uid \(uid), gid \(gid))" }
}

/// How a run ended.
public struct ProcessOutcome: Sendable, CustomStringConvertible {
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    public var termination: Termination
    /// The timeout passed and the group was told to stop.
    public var timedOut: Bool
    /// The last `outputLimit` bytes of stdout and stderr, interleaved as written.
    public var output: String
    public var durationNanoseconds: Int64

    public var succeeded: Bool { termination == .exited(0) && !timedOut }

    /// "exit 0", "exit 3", "killed by signal 15 after timeout"...
    public var description: String {
        let how = switch termination {
        case .exited(let code): "exit \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
        return how + (timedOut ? " after timeout" : "")
    }

    /// The output's last line, or "" (for one-line log messages).
    public var lastOutputLine: String {
        output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
    }
}
