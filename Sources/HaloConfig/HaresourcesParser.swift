/// heartbeat's `haresources` file: one resource group per line, `NODE RESOURCE...`.
/// A `\` at the end of a line continues it on the next; `#` starts a comment
/// (at the start of a word, as heartbeat's shell reading does); `::` separates a
/// resource's arguments (`Filesystem::/dev/drbd0::/data::ext4`).
public struct HaresourcesLine: Hashable, Sendable {
    /// heartbeat's preferred node for the group (where auto_failback brings it back).
    public var node: String
    public var resources: [HaresourcesEntry]
    /// Where the line (its node name) starts.
    public var location: SourceLocation
    /// The logical line as written, continuations joined: shown in the import's comments.
    public var text: String
}

/// One `NAME::ARG1::ARG2` word of a haresources line.
public struct HaresourcesEntry: Hashable, Sendable {
    public var name: String
    public var arguments: [String]
    public var location: SourceLocation
    public var text: String
}

public enum HaresourcesParser {
    /// The lines of `text` (read from `file`), with an error for each line that names a node but no resource.
    public static func parse(_ text: String, file: String, diagnostics: inout DiagnosticCollector) -> [HaresourcesLine] {
        var lines: [HaresourcesLine] = []
        var words: [(text: String, location: SourceLocation)] = []
        var continued = false
        var lineNumber = 0
        for physical in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let (found, continues) = self.words(of: physical, file: file, line: lineNumber)
            if !continued, !words.isEmpty { finish(&words, into: &lines, diagnostics: &diagnostics) }
            words += found
            continued = continues
        }
        finish(&words, into: &lines, diagnostics: &diagnostics)
        return lines
    }

    private static func finish(_ words: inout [(text: String, location: SourceLocation)], into lines: inout [HaresourcesLine],
                               diagnostics: inout DiagnosticCollector) {
        defer { words = [] }
        guard let node = words.first else { return }
        let text = words.map(\.text).joined(separator: " ")
        guard words.count > 1 else {
            diagnostics.error(node.location, "haresources line names node '\(node.text)' but no resources")
            return
        }
        let entries = words.dropFirst().map { word -> HaresourcesEntry in
            let fields = word.text.haresourcesFields
            return HaresourcesEntry(name: fields[0], arguments: Array(fields.dropFirst()), location: word.location, text: word.text)
        }
        for entry in entries where entry.name.isEmpty {
            diagnostics.error(entry.location, "haresources resource '\(entry.text)' has no name before '::'")
        }
        lines.append(HaresourcesLine(node: node.text, resources: entries.filter { !$0.name.isEmpty }, location: node.location, text: text))
    }

    /// The words of one physical line up to a comment, and whether it ends in `\`.
    private static func words(of line: Substring, file: String, line number: Int) -> ([(text: String, location: SourceLocation)], Bool) {
        var words: [(text: String, location: SourceLocation)] = []
        var current = ""
        var start = 0
        var column = 0
        for character in line {
            column += 1
            if character.isWhitespace {
                if !current.isEmpty { words.append((current, SourceLocation(file: file, line: number, column: start))) }
                current = ""
                continue
            }
            if current.isEmpty {
                if character == "#" { break }
                start = column
            }
            current.append(character)
        }
        if !current.isEmpty { words.append((current, SourceLocation(file: file, line: number, column: start))) }
        guard let last = words.last, last.text.hasSuffix("\\") else { return (words, false) }
        words.removeLast()
        let kept = String(last.text.dropLast())
        if !kept.isEmpty { words.append((kept, last.location)) }
        return (words, true)
    }
}

extension String {
    /// Split at every `::` (empty fields kept, so `a::::b` has an empty middle argument).
    var haresourcesFields: [String] {
        var fields: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: "::") {
            fields.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        fields.append(String(rest))
        return fields
    }
}
