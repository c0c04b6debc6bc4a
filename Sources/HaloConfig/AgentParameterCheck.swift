/// One parameter an agent declares (an OCF agent's `meta-data`).
public struct AgentParameterSpec: Hashable, Sendable {
    public var name: String
    public var required: Bool

    public init(name: String, required: Bool) {
        self.name = name
        self.required = required
    }
}

extension Resource {
    /// Given parameters checked against what the agent declares, at the resource's line:
    /// a missing required one is an error (the agent would fail to start), an unknown
    /// one a warning with the nearest declared name (the agent ignores it).
    public func parameterDiagnostics(declared: [AgentParameterSpec]) -> [Diagnostic] {
        let agentName = agent?.description ?? "agent"
        let names = declared.map(\.name)
        let given = Set(parameters.map(\.name))
        var found: [Diagnostic] = []
        for parameter in declared where parameter.required && !given.contains(parameter.name) {
            found.append(Diagnostic(.error, location, "resource '\(name)': \(agentName) requires parameter '\(parameter.name)' (its meta-data says so)"))
        }
        for parameter in parameters where !names.contains(parameter.name) {
            let hint = EditDistance.suggestion(for: parameter.name, among: names).map { "; did you mean '\($0)'?" } ?? ""
            found.append(Diagnostic(.warning, location, "resource '\(name)': \(agentName) has no parameter '\(parameter.name)' in its meta-data\(hint)"))
        }
        return found
    }
}
