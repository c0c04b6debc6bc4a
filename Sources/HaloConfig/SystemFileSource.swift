#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The real filesystem, through open/read and glob(3) directly so HaloConfig
/// needs no Foundation.
public struct SystemFileSource: ConfigFileSource, Sendable {
    /// Refuse anything larger: a config is kilobytes, a mistaken include of a
    /// disk image should not exhaust memory.
    public static let maximumFileSize = 16 * 1024 * 1024

    public init() {}

    public func read(path: String) -> Result<String, FileSourceError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(FileSourceError(errorText(errno))) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            return .failure(FileSourceError("Is a directory"))
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(FileSourceError(errorText(errno)))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > Self.maximumFileSize {
                return .failure(FileSourceError("file larger than \(Self.maximumFileSize) bytes"))
            }
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    public func expand(pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(matches.gl_pathc) {
            if let path = matches.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths.sorted()
    }

    private func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

extension SystemFileSource: ScriptFileInspector {
    public func resolveProgram(_ program: String) -> String? {
        guard !program.isEmpty else { return nil }
        var candidates = [program]
        if !program.contains("/") {
            let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            candidates = path.split(separator: ":").map { "\($0)/\(program)" }
        }
        for candidate in candidates where access(candidate, X_OK) == 0 {
            guard let resolved = realpath(candidate, nil) else { continue }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        return nil
    }

    public func ownership(of path: String) -> FileOwnership? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return FileOwnership(uid: Int(status.st_uid), gid: Int(status.st_gid), mode: Int(status.st_mode & 0o7777))
    }

    public func userID(of user: String) -> Int? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwnam_r(user, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return Int(entry.pw_uid)
    }
}
