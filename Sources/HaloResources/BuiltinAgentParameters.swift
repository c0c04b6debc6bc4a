/// A built-in agent's parameters as given in the config, with the errors said
/// the same way for every agent (validation normally catches them first).
public struct BuiltinAgentParameters {
    public let agent: String
    public let values: [String: String]

    public init(agent: String, _ values: [String: String]) {
        self.agent = agent
        self.values = values
    }

    public func required(_ name: String) throws -> String {
        guard let value = values[name], !value.isEmpty else { throw BuiltinAgentError("builtin:\(agent) needs '\(name)'") }
        return value
    }

    public func value(_ name: String, default defaultValue: String) -> String { values[name] ?? defaultValue }

    public func yes(_ name: String) throws -> Bool {
        switch values[name] ?? "no" {
        case "yes": return true
        case "no": return false
        case let other: throw BuiltinAgentError("builtin:\(agent): '\(name)' is yes or no, not '\(other)'")
        }
    }

    public func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = values[name] else { return defaultValue }
        guard let number = Int(text), range.contains(number) else {
            throw BuiltinAgentError("builtin:\(agent): '\(name)' must be from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return number
    }
}
