import Glibc

/// One line of /proc/self/mountinfo: what is mounted where.
public struct MountEntry: Hashable, Sendable {
    /// major:minor of the mounted filesystem's device (for a block device, its st_rdev).
    public var deviceNumber: String
    public var mountPoint: String
    public var fstype: String
    public var source: String

    public init(deviceNumber: String, mountPoint: String, fstype: String, source: String) {
        self.deviceNumber = deviceNumber
        self.mountPoint = mountPoint
        self.fstype = fstype
        self.source = source
    }
}

/// The mounts of this mount namespace, read from /proc/self/mountinfo (the kernel's
/// own view, unlike /etc/mtab), and the questions the filesystem agent asks of them.
public struct MountTable: Sendable {
    public var entries: [MountEntry]

    public init(entries: [MountEntry]) { self.entries = entries }

    /// Parses mountinfo text (proc(5)): fields up to " - " then fstype and source;
    /// paths have space, tab, newline and backslash as octal escapes.
    public init(mountinfo: String) {
        entries = mountinfo.split(separator: "\n").compactMap { line in
            let halves = line.split(separator: " - ", maxSplits: 1, omittingEmptySubsequences: false)
            guard halves.count == 2 else { return nil }
            let head = halves[0].split(separator: " ")
            let tail = halves[1].split(separator: " ")
            guard head.count >= 5, tail.count >= 2 else { return nil }
            return MountEntry(deviceNumber: String(head[2]), mountPoint: Self.unescape(head[4]),
                              fstype: String(tail[0]), source: Self.unescape(tail[1]))
        }
    }

    public static func current() -> MountTable {
        MountTable(mountinfo: SystemFiles.read("/proc/self/mountinfo") ?? "")
    }

    /// The topmost mount at `directory` (later lines cover earlier ones), if any.
    public func mount(at directory: String) -> MountEntry? {
        let wanted = Self.normalized(directory)
        return entries.last { $0.mountPoint == wanted }
    }

    /// Every mount of `device`: by device number for a block device, else by source text.
    public func mounts(of device: String) -> [MountEntry] {
        let number = SystemFiles.blockDeviceNumber(device)
        return entries.filter { entry in
            if let number { return entry.deviceNumber == number }
            return entry.source == device
        }
    }

    /// Whether `entry` is `device` (same rules as `mounts(of:)`).
    public static func entry(_ entry: MountEntry, isDevice device: String) -> Bool {
        if let number = SystemFiles.blockDeviceNumber(device) { return entry.deviceNumber == number }
        return entry.source == device
    }

    /// Without a trailing slash (mountinfo never has one, except for "/").
    static func normalized(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
               let value = UInt8(String(decoding: utf8[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Small synchronous reads of /proc and /sys files and stat calls: fast, never on a
/// network filesystem, so they may run on the loop thread.
public enum SystemFiles {
    /// The whole file as text, or nil when it cannot be read.
    public static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` to `path` (created 0644, truncated), throwing with the path on failure.
    public static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BuiltinAgentError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw BuiltinAgentError("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += count
        }
    }

    /// `mkdir -p`, throwing with the path that could not be made.
    public static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw BuiltinAgentError("cannot create directory \(current): \(String(cString: strerror(errno)))")
            }
        }
        guard isDirectory(path) else { throw BuiltinAgentError("\(path) exists and is not a directory") }
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// "major:minor" of a block device node, as mountinfo writes it; nil for anything else.
    public static func blockDeviceNumber(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFBLK else { return nil }
        let device = UInt64(info.st_rdev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        return "\(major):\(minor)"
    }

    /// The pid in a pid file, if the file holds one.
    public static func pid(inFile path: String) -> pid_t? {
        read(path).flatMap { pid_t($0.trimmingCharacters()) }
    }

    /// Whether `pid` is alive and runs a program named `command` (/proc/PID/comm: guards against a reused pid).
    public static func process(_ pid: pid_t, isRunning command: String) -> Bool {
        guard pid > 0, let comm = read("/proc/\(pid)/comm")?.trimmingCharacters() else { return false }
        // comm is cut at 15 bytes; a zombie has not released its pid but is no longer running.
        let state = read("/proc/\(pid)/stat").flatMap { $0.split(separator: ")").last?.split(separator: " ").first }
        return command.hasPrefix(comm) && !comm.isEmpty && state != "Z"
    }
}

extension String {
    /// Without leading and trailing whitespace and newlines (Foundation is not used here).
    func trimmingCharacters() -> String {
        let trimmed = drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        return String(trimmed)
    }
}
