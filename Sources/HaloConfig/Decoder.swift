import HaloNet

/// Shared machinery for turning statements into model values: argument
/// checks with uniform messages, and the place diagnostics and ignored parts
/// are collected while decoding.
struct Decoder {
    var diagnostics: DiagnosticCollector
    var ignored: [IgnoredPart] = []
    /// Reads the files `haresources FILE` names; nil: such statements read nothing.
    var fileSource: (any ConfigFileSource)?
    /// haresources groups without a follow target (group name -> the statement's place).
    var unboundHaresourcesGroups: [String: SourceLocation] = [:]

    init(diagnostics: DiagnosticCollector) { self.diagnostics = diagnostics }

    // MARK: shape of a statement

    /// Complains about a `{ }` given to a keyword that takes none.
    mutating func rejectBlock(_ statement: Statement) {
        if statement.block != nil {
            diagnostics.error(statement.blockOpening ?? statement.location,
                              "'\(statement.name)' does not take a { } block; the block is ignored")
        }
    }

    /// The `{ }` contents of a keyword that needs one, or nil (reported) when missing.
    mutating func block(_ statement: Statement) -> [Statement]? {
        guard let block = statement.block else {
            diagnostics.error(statement.location, "'\(statement.name)' needs a { } block")
            return nil
        }
        return block
    }

    /// The one argument of `KEYWORD VALUE`; extra words are a warning.
    mutating func value(_ statement: Statement) -> Token? {
        rejectBlock(statement)
        guard let first = statement.arguments.first else {
            diagnostics.error(statement.location, "'\(statement.name)' needs a value")
            return nil
        }
        warnExtra(statement, after: 1)
        return first
    }

    mutating func warnExtra(_ statement: Statement, after count: Int) {
        if statement.arguments.count > count {
            let extra = statement.arguments[count]
            diagnostics.warning(extra.location, "unexpected '\(extra.text)' after '\(statement.name)'; ignored")
        }
    }

    /// A keyword that is just present (`nopreempt`); keepalived also accepts an
    /// explicit `true/false`, `on/off`, `yes/no` on some of these.
    mutating func flag(_ statement: Statement) -> Bool {
        rejectBlock(statement)
        guard let word = statement.arguments.first else { return true }
        warnExtra(statement, after: 1)
        switch word.text.lowercased() {
        case "true", "on", "yes", "1": return true
        case "false", "off", "no", "0": return false
        default:
            diagnostics.error(word.location, "'\(statement.name)' takes no value or true/false, not '\(word.text)'")
            return true
        }
    }

    // MARK: values

    mutating func integer(_ statement: Statement, _ range: ClosedRange<Int>) -> Int? {
        guard let token = value(statement) else { return nil }
        return integer(token, range, for: statement.name)
    }

    mutating func integer(_ token: Token, _ range: ClosedRange<Int>, for keyword: String) -> Int? {
        guard let number = Self.parseInteger(token.text) else {
            diagnostics.error(token.location, "'\(keyword)' needs a whole number, not '\(token.text)'")
            return nil
        }
        guard range.contains(number) else {
            diagnostics.error(token.location, "'\(keyword)' must be from \(range.lowerBound) to \(range.upperBound), not \(token.text)")
            return nil
        }
        return number
    }

    static func parseInteger(_ text: String) -> Int? {
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// Decimal seconds within `range`.
    mutating func seconds(_ statement: Statement, _ range: ClosedRange<Milliseconds>) -> Milliseconds? {
        guard let token = value(statement) else { return nil }
        return seconds(token, range, for: statement.name)
    }

    mutating func seconds(_ token: Token, _ range: ClosedRange<Milliseconds>, for keyword: String) -> Milliseconds? {
        guard let time = Milliseconds(decimalSeconds: token.text) else {
            diagnostics.error(token.location, "'\(keyword)' needs a time in seconds (e.g. 2 or 0.5, at most 3 decimals), not '\(token.text)'")
            return nil
        }
        guard range.contains(time) else {
            diagnostics.error(token.location, "'\(keyword)' must be from \(range.lowerBound) to \(range.upperBound), not \(token.text)")
            return nil
        }
        return time
    }

    mutating func address(_ statement: Statement) -> IPAddress? {
        guard let token = value(statement) else { return nil }
        return address(token, for: statement.name)
    }

    mutating func address(_ token: Token, for keyword: String) -> IPAddress? {
        guard let address = IPAddress(token.text) else {
            diagnostics.error(token.location, "'\(keyword)' needs an IPv4 or IPv6 address, not '\(token.text)'")
            return nil
        }
        return address
    }

    mutating func port(_ token: Token, for keyword: String) -> Int? {
        integer(token, 1...65535, for: keyword)
    }

    /// `KEYWORD COMMAND...` split into argv the way keepalived does.
    mutating func command(_ statement: Statement) -> ScriptCommand? {
        rejectBlock(statement)
        guard let first = statement.arguments.first else {
            diagnostics.error(statement.location, "'\(statement.name)' needs a command")
            return nil
        }
        let arguments = ScriptCommand.split(statement.arguments)
        guard !arguments.isEmpty, !arguments[0].isEmpty else {
            diagnostics.error(first.location, "'\(statement.name)' needs a command, not an empty string")
            return nil
        }
        return ScriptCommand(arguments: arguments, location: first.location)
    }

    /// `USER [GROUP]`.
    mutating func scriptUser(_ statement: Statement) -> ScriptUser? {
        rejectBlock(statement)
        guard let user = statement.arguments.first else {
            diagnostics.error(statement.location, "'\(statement.name)' needs a user name")
            return nil
        }
        warnExtra(statement, after: 2)
        return ScriptUser(user: user.text, group: statement.arguments.dropFirst().first?.text)
    }

    // MARK: keywords Halo does not act on

    /// A keyword outside the section's vocabulary: either a keepalived keyword Halo
    /// recognizes but does not implement, or unknown (with a suggestion when one is close).
    mutating func unhandled(_ statement: Statement, in section: KeywordCatalog.Section) {
        let keyword = statement.name
        if let reason = KeywordCatalog.ignoredReason(for: keyword, in: section) {
            diagnostics.warning(statement.location, "'\(keyword)' is \(reason)")
            ignored.append(IgnoredPart(what: keyword, reason: reason, location: statement.location))
            return
        }
        var message = "unknown keyword '\(keyword)' in \(section.rawValue), ignored"
        if let suggestion = EditDistance.suggestion(for: keyword, among: KeywordCatalog.vocabulary(of: section)) {
            message += "; did you mean '\(suggestion)'?"
        }
        diagnostics.warning(statement.location, message)
        ignored.append(IgnoredPart(what: keyword, reason: "unknown keyword", location: statement.location))
    }
}
