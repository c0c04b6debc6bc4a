/// How the loader reaches files, kept behind a protocol so lexing, parsing and
/// validation stay pure: tests and the fuzzer use `InMemoryFileSource`, the
/// daemon uses `SystemFileSource`.
public protocol ConfigFileSource {
    /// The whole file as text (invalid UTF-8 is replaced, not rejected), or why it cannot be read.
    func read(path: String) -> Result<String, FileSourceError>
    /// Paths matching a shell glob pattern (already absolute or relative to the
    /// working directory), sorted. No match is an empty list, not an error.
    func expand(pattern: String) -> [String]
}

public struct FileSourceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Files held in a dictionary keyed by path; glob patterns are matched with
/// `GlobPattern` against those paths.
public struct InMemoryFileSource: ConfigFileSource, Sendable {
    public var files: [String: String]

    public init(_ files: [String: String]) { self.files = files }

    public func read(path: String) -> Result<String, FileSourceError> {
        if let text = files[Path.normalize(path)] ?? files[path] { return .success(text) }
        return .failure(FileSourceError("No such file or directory"))
    }

    public func expand(pattern: String) -> [String] {
        let normalized = Path.normalize(pattern)
        return files.keys.filter { GlobPattern.matches(pattern: normalized, path: Path.normalize($0)) }.sorted()
    }
}

/// Path arithmetic on `/`-separated strings, without touching the filesystem.
public enum Path {
    public static func isAbsolute(_ path: String) -> Bool { path.hasPrefix("/") }

    /// The directory holding `path` ("." for a bare file name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `pattern` as seen from `directory`, as keepalived resolves an include
    /// relative to the file that contains it.
    public static func resolve(_ pattern: String, from directory: String) -> String {
        if isAbsolute(pattern) || directory == "." { return pattern }
        return directory.hasSuffix("/") ? directory + pattern : directory + "/" + pattern
    }

    /// Drops `.` components and folds `..` where possible, so that `a/./b.conf`
    /// and `a/b.conf` are recognized as one file when detecting include cycles.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if part == "..", isAbsolute(path) { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if isAbsolute(path) { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}

/// Shell glob matching (`*`, `?`, `[abc]`, `[a-z]`, `[!x]`) where wildcards do not
/// cross `/`, as glob(3) does.
public enum GlobPattern {
    public static func matches(pattern: String, path: String) -> Bool {
        let patternParts = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let pathParts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard patternParts.count == pathParts.count else { return false }
        return zip(patternParts, pathParts).allSatisfy { matchComponent(Array($0), Array($1)) }
    }

    public static func hasWildcards(_ pattern: String) -> Bool {
        pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    private static func matchComponent(_ pattern: [Character], _ name: [Character]) -> Bool {
        // Iterative matcher with one backtrack point for the last `*`: linear in practice
        // and never recursive, so hostile patterns from the fuzzer cannot blow the stack.
        var p = 0, n = 0
        var starPattern = -1, starName = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "*" {
                starPattern = p; starName = n; p += 1
                continue
            }
            if p < pattern.count, let next = matchOne(pattern, p, name[n]) {
                p = next; n += 1
                continue
            }
            guard starPattern >= 0 else { return false }
            p = starPattern + 1; starName += 1; n = starName
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// Index after the pattern element at `p` when it matches `c`, else nil.
    private static func matchOne(_ pattern: [Character], _ p: Int, _ c: Character) -> Int? {
        switch pattern[p] {
        case "?": return p + 1
        case "[":
            var i = p + 1
            var negate = false
            if i < pattern.count, pattern[i] == "!" || pattern[i] == "^" { negate = true; i += 1 }
            var matched = false
            var first = true
            while i < pattern.count, pattern[i] != "]" || first {
                first = false
                if i + 2 < pattern.count, pattern[i + 1] == "-", pattern[i + 2] != "]" {
                    if pattern[i] <= c && c <= pattern[i + 2] { matched = true }
                    i += 3
                } else {
                    if pattern[i] == c { matched = true }
                    i += 1
                }
            }
            // An unclosed `[` is a literal, as in glob(3).
            guard i < pattern.count else { return pattern[p] == c ? p + 1 : nil }
            return matched != negate ? i + 1 : nil
        default:
            return pattern[p] == c ? p + 1 : nil
        }
    }
}
