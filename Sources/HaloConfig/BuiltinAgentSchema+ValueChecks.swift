/// Value checks shared by the built-in agents' schemas: each returns the
/// problem as one sentence naming the parameter, or nil when the value is fine.
extension BuiltinAgentSchema {
    /// Absent (nil) is fine: presence is checked by the required flag.
    static func checkYesNo(_ values: [String: String], _ name: String) -> String? {
        guard let value = values[name], value != "yes", value != "no" else { return nil }
        return "'\(name)' is yes or no, not '\(value)'"
    }

    static func checkInteger(_ values: [String: String], _ name: String, in range: ClosedRange<Int>) -> String? {
        guard let value = values[name] else { return nil }
        guard let number = Int(value), range.contains(number) else {
            return "'\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(value)'"
        }
        return nil
    }

    static func checkAbsolutePath(_ values: [String: String], _ name: String) -> String? {
        guard let value = values[name], !value.hasPrefix("/") else { return nil }
        return "'\(name)' must be an absolute path, not '\(value)'"
    }

    /// Linux interface names: 1 to 15 bytes, no '/', ':' or whitespace.
    static func checkInterfaceName(_ values: [String: String], _ name: String) -> String? {
        guard let value = values[name] else { return nil }
        if value.isEmpty || value.utf8.count > 15 || value.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
            return "'\(name)' '\(value)' is not an interface name (1 to 15 characters, no '/', ':' or spaces)"
        }
        return nil
    }
}
