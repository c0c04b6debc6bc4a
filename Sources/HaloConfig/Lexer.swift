/// Splits keepalived.conf text into tokens, line by line. keepalived's grammar
/// is line-oriented (a statement is a keyword and its arguments up to the end of
/// the line or a brace), so the lexer keeps line boundaries.

public struct Token: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case word
        /// A `"..."` string: may hold spaces, `{`, `#`; the quotes are not part of `text`.
        case quoted
        case openBrace
        case closeBrace
    }

    public var kind: Kind
    public var text: String
    public var location: SourceLocation

    public init(_ kind: Kind, _ text: String, _ location: SourceLocation) {
        self.kind = kind
        self.text = text
        self.location = location
    }

    public var isBrace: Bool { kind == .openBrace || kind == .closeBrace }
}

/// The tokens of one physical line (never empty once comments are dropped).
public struct SourceLine: Hashable, Sendable {
    public var tokens: [Token]
    public init(_ tokens: [Token]) { self.tokens = tokens }
}

public enum Lexer {
    /// Comments start at `!` or `#` anywhere outside quotes, as keepalived 2.2.7
    /// treats them (`priority 90#x` reads as `priority 90`); so a comment in any
    /// script, Chinese included, may follow a value on the same line.
    public static func lines(of text: String, file: String, diagnostics: inout DiagnosticCollector) -> [SourceLine] {
        var result: [SourceLine] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so it must be named as a separator itself.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let tokens = tokenize(rawLine, file: file, line: lineNumber, diagnostics: &diagnostics)
            if !tokens.isEmpty { result.append(SourceLine(tokens)) }
        }
        return result
    }

    static func tokenize(_ line: Substring, file: String, line number: Int,
                         diagnostics: inout DiagnosticCollector) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        var wordColumn = 0
        var column = 0
        func location(_ column: Int) -> SourceLocation { SourceLocation(file: file, line: number, column: column) }
        func flushWord() {
            if !word.isEmpty { tokens.append(Token(.word, word, location(wordColumn))) }
            word = ""
        }
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            column += 1
            if character == "!" || character == "#" { break }
            if character.isWhitespace {
                flushWord()
            } else if character == "{" || character == "}" {
                flushWord()
                tokens.append(Token(character == "{" ? .openBrace : .closeBrace, String(character), location(column)))
            } else if character == "\"" && word.isEmpty {
                let start = column
                var text = ""
                var closed = false
                index = line.index(after: index)
                while index < line.endIndex {
                    let inner = line[index]
                    column += 1
                    if inner == "\"" { closed = true; break }
                    text.append(inner)
                    index = line.index(after: index)
                }
                if !closed {
                    diagnostics.error(location(start), "unterminated quoted string: missing closing '\"'")
                    tokens.append(Token(.quoted, text, location(start)))
                    return tokens
                }
                tokens.append(Token(.quoted, text, location(start)))
            } else {
                if word.isEmpty { wordColumn = column }
                // A carriage return from a CRLF file counts as whitespace above; other
                // control characters are kept so the parser can name the bad token.
                word.append(character)
            }
            index = line.index(after: index)
        }
        flushWord()
        return tokens
    }
}
