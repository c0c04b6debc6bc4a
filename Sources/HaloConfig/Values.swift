import HaloNet

/// A span of time in whole milliseconds. keepalived writes times as decimal
/// seconds ("0.01", "1.5"); keeping integers avoids the rounding surprises of
/// floating point (1.1 s is exactly 1100 ms here).
public struct Milliseconds: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: Int

    public init(_ value: Int) { self.value = value }

    public static func seconds(_ seconds: Int) -> Milliseconds { Milliseconds(seconds * 1000) }

    /// Centiseconds, the unit VRRPv3 puts on the wire.
    public var centiseconds: Int { value / 10 }

    /// Decimal seconds: "1s", "1.5s", "0.01s".
    public var description: String {
        let whole = value / 1000, fraction = value % 1000
        guard fraction != 0 else { return "\(whole)s" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)s"
    }

    /// Parses `SECONDS[.FRACTION]` with at most millisecond precision, exactly.
    public init?(decimalSeconds text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), whole.count <= 9, fraction.count <= 3,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || !fraction.isEmpty
        else { return nil }
        let wholeValue = whole.isEmpty ? 0 : Int(whole)!
        let fractionValue = fraction.isEmpty ? 0 : Int(fraction + String(repeating: "0", count: 3 - fraction.count))!
        value = wholeValue * 1000 + fractionValue
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// A command line as keepalived runs it: `notify_master`, `script`, etc. keepalived
/// splits the configured text into argv itself, honouring quotes, and runs it
/// without a shell.
public struct ScriptCommand: Hashable, Sendable, CustomStringConvertible {
    /// argv, program first.
    public var arguments: [String]
    public var location: SourceLocation

    public init(arguments: [String], location: SourceLocation) {
        self.arguments = arguments
        self.location = location
    }

    public var program: String { arguments.first ?? "" }

    /// Re-quoted for display, so an argument with spaces reads as one.
    public var description: String {
        arguments.map { $0.isEmpty || $0.contains(where: \.isWhitespace) ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    /// One configured token (typically a `"..."` string) is split on white space,
    /// with `'...'` and `"..."` grouping and `\` escaping the next character; several
    /// tokens are taken one argument each, as keepalived does.
    public static func split(_ tokens: [Token]) -> [String] {
        guard tokens.count == 1 else { return tokens.map(\.text) }
        var arguments: [String] = []
        var current = ""
        var inArgument = false
        var quote: Character?
        var escaped = false
        for character in tokens[0].text {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" && quote != "'" { escaped = true; inArgument = true; continue }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "'" || character == "\"" { quote = character; inArgument = true; continue }
            if character.isWhitespace {
                if inArgument { arguments.append(current); current = ""; inArgument = false }
                continue
            }
            current.append(character)
            inArgument = true
        }
        if inArgument { arguments.append(current) }
        return arguments
    }
}

/// `script_user USER [GROUP]` / `user USER [GROUP]`: who scripts run as.
public struct ScriptUser: Hashable, Sendable, CustomStringConvertible {
    public var user: String
    public var group: String?

    public init(user: String, group: String? = nil) {
        self.user = user
        self.group = group
    }

    public var description: String { group.map { "\(user):\($0)" } ?? user }
}

/// Something in the file that Halo read but will not act on, and why; listed by
/// `--config-test` so nothing is dropped silently.
public struct IgnoredPart: Hashable, Sendable {
    public var what: String
    public var reason: String
    public var location: SourceLocation

    public init(what: String, reason: String, location: SourceLocation) {
        self.what = what
        self.reason = reason
        self.location = location
    }
}
