import Glibc

/// Small synchronous file operations the service agents need (pid files,
/// metadata headers, the metalogger copy). Local files only, so they do not
/// block the loop for long.
enum AgentFiles {
    /// The file's bytes, at most `limit`; nil when it cannot be read.
    static func read(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, min($0.count, limit - result.count)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    static func readText(_ path: String) -> String? {
        read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes `bytes` to a temporary file and renames it over `path`, so readers see old or new, never half.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o640) -> Bool {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { return false }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { close(fd); unlink(temporary); return false }
            offset += written
        }
        guard fsync(fd) == 0, close(fd) == 0 else { unlink(temporary); return false }
        return rename(temporary, path) == 0
    }

    static func copy(_ source: String, to destination: String) -> Bool {
        guard let bytes = read(source, limit: Int.max) else { return false }
        return write(bytes, to: destination)
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Names in `directory` (not . and ..), sorted; empty when it cannot be read.
    static func list(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The process ids in a pid file (haproxy writes one per line), or [] when absent.
    static func pids(in path: String) -> [pid_t] {
        (readText(path) ?? "").split(whereSeparator: \.isWhitespace).compactMap { pid_t($0) }.filter { $0 > 0 }
    }

    /// A live process (not a zombie) with this pid.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = readText("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
        return state != "Z" && state != "X"
    }
}
