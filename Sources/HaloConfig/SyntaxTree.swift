/// The shape of a keepalived configuration before any keyword is interpreted:
/// statements (a keyword and its arguments) that may own a `{ }` block of
/// further statements.
public struct Statement: Hashable, Sendable {
    public var keyword: Token
    public var arguments: [Token]
    /// nil for a plain line; the statements inside `{ }` otherwise (possibly none).
    public var block: [Statement]?
    /// Where the `{` was, to point at a block that is never closed.
    public var blockOpening: SourceLocation?

    public init(keyword: Token, arguments: [Token] = [], block: [Statement]? = nil, blockOpening: SourceLocation? = nil) {
        self.keyword = keyword
        self.arguments = arguments
        self.block = block
        self.blockOpening = blockOpening
    }

    public var name: String { keyword.text }
    public var location: SourceLocation { keyword.location }
    /// The whole statement as written, for messages and for list blocks whose
    /// entries are not keywords (addresses in `virtual_ipaddress`, names in `group`).
    public var words: [String] { [keyword.text] + arguments.map(\.text) }
}

/// Builds statements from lines, handling `{` at the end of a line or alone on
/// the next, several statements and braces on one line, and recovering from
/// unbalanced braces so one broken block does not swallow the rest.
public enum StatementParser {
    /// Top-level sections. Seeing one of these open a block while another block is
    /// still open means a `}` is missing: the open blocks are closed there, so the
    /// following section is read on its own and its problems are still reported.
    public static let sectionKeywords: Set<String> = [
        "global_defs", "vrrp_script", "vrrp_instance", "vrrp_sync_group", "virtual_server",
        "virtual_server_group", "vrrp_track_file", "vrrp_track_process", "static_ipaddress",
        "static_routes", "static_rules", "linkbeat_interfaces", "garp_group", "bfd_instance",
    ]

    private struct OpenBlock {
        var statement: Statement
        var children: [Statement] = []
    }

    public static func parse(_ lines: [SourceLine], diagnostics: inout DiagnosticCollector) -> [Statement] {
        var topLevel: [Statement] = []
        var open: [OpenBlock] = []

        func appendToCurrent(_ statement: Statement) {
            if open.isEmpty { topLevel.append(statement) } else { open[open.count - 1].children.append(statement) }
        }
        func closeInnermost() {
            let finished = open.removeLast()
            var statement = finished.statement
            statement.block = finished.children
            appendToCurrent(statement)
        }
        func reportAndCloseAll() {
            // Report only the outermost: it is the block whose `}` is missing as far as
            // brace counting can tell, and one report per missing brace is the promise.
            if let outer = open.first {
                diagnostics.error(outer.statement.blockOpening ?? outer.statement.location,
                                  "'\(outer.statement.name)' block is never closed (missing '}')")
            }
            while !open.isEmpty { closeInnermost() }
        }
        func openBlock(_ statement: Statement, at brace: SourceLocation) {
            var statement = statement
            statement.blockOpening = brace
            if !open.isEmpty, sectionKeywords.contains(statement.name) { reportAndCloseAll() }
            open.append(OpenBlock(statement: statement))
        }

        for line in lines {
            var pending: Statement?
            var isFirstTokenOfLine = true
            for token in line.tokens {
                defer { isFirstTokenOfLine = false }
                switch token.kind {
                case .openBrace:
                    if let statement = pending {
                        pending = nil
                        openBlock(statement, at: token.location)
                    } else if isFirstTokenOfLine, let previous = lastPlainStatement(open: open, topLevel: topLevel) {
                        // `{` alone at the start of a line belongs to the statement on the line before.
                        if open.isEmpty { topLevel.removeLast() } else { open[open.count - 1].children.removeLast() }
                        openBlock(previous, at: token.location)
                    } else {
                        diagnostics.error(token.location, "'{' without a keyword before it")
                        let placeholder = Token(.word, "{", token.location)
                        open.append(OpenBlock(statement: Statement(keyword: placeholder, blockOpening: token.location)))
                    }
                case .closeBrace:
                    if let statement = pending { appendToCurrent(statement); pending = nil }
                    if open.isEmpty {
                        diagnostics.error(token.location, "unexpected '}' with no open block")
                    } else {
                        closeInnermost()
                    }
                case .word, .quoted:
                    if pending == nil {
                        pending = Statement(keyword: token)
                    } else {
                        pending!.arguments.append(token)
                    }
                }
            }
            if let statement = pending { appendToCurrent(statement) }
        }
        if !open.isEmpty { reportAndCloseAll() }
        return dropPlaceholders(topLevel)
    }

    private static func lastPlainStatement(open: [OpenBlock], topLevel: [Statement]) -> Statement? {
        let candidate = open.isEmpty ? topLevel.last : open[open.count - 1].children.last
        guard let statement = candidate, statement.block == nil, statement.keyword.kind != .openBrace else { return nil }
        return statement
    }

    /// Blocks opened by a stray `{` were kept only to balance braces; their content was
    /// already reported as misplaced, so they are removed.
    private static func dropPlaceholders(_ statements: [Statement]) -> [Statement] {
        statements.compactMap { statement in
            if statement.keyword.text == "{" && statement.keyword.kind == .word && statement.arguments.isEmpty
                && statement.block != nil && statement.keyword.location == statement.blockOpening {
                return nil
            }
            var copy = statement
            copy.block = statement.block.map(dropPlaceholders)
            return copy
        }
    }
}
