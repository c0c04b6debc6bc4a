/// Errors and warnings found while reading a configuration, each tied to the
/// place in the text that caused it.

public enum Severity: String, Hashable, Sendable, Comparable {
    case warning
    case error

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs == .warning && rhs == .error }
}

public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var severity: Severity
    public var location: SourceLocation
    /// One line, no trailing period, no newline.
    public var message: String

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// `file:line:column: severity: message`, the form compilers use so editors can jump to it.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Collects diagnostics, drops exact repeats (the same problem reached twice,
/// e.g. through an include read twice) and hands them back sorted by file and
/// position.
public struct DiagnosticCollector: Sendable {
    private var seen: Set<Diagnostic> = []
    private var ordered: [Diagnostic] = []

    public init() {}

    public mutating func error(_ location: SourceLocation, _ message: String) {
        add(Diagnostic(.error, location, message))
    }

    public mutating func warning(_ location: SourceLocation, _ message: String) {
        add(Diagnostic(.warning, location, message))
    }

    public mutating func add(_ diagnostic: Diagnostic) {
        // Messages are one line by contract; a newline from user text would break that.
        var clean = diagnostic
        clean.message = String(clean.message.map { $0.isNewline ? " " : $0 })
        if seen.insert(clean).inserted { ordered.append(clean) }
    }

    public var hasErrors: Bool { ordered.contains { $0.severity == .error } }

    /// Sorted by file, line, column; ties keep the order they were found in.
    public var sorted: [Diagnostic] {
        ordered.enumerated().sorted { a, b in
            a.element.location != b.element.location ? a.element.location < b.element.location : a.offset < b.offset
        }.map(\.element)
    }
}
