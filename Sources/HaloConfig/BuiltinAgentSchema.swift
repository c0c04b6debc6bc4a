/// What a `builtin:NAME` resource agent accepts: its parameters, which are
/// required, and what each means. Pure data, so config-test checks a resource
/// without the agent's code, and `meta-data` prints the same text.
public struct BuiltinAgentSchema: Sendable {
    public struct Parameter: Hashable, Sendable {
        public var name: String
        public var required: Bool
        public var summary: String
        /// Shown in meta-data and used when the parameter is absent; nil: no default.
        public var defaultValue: String?

        public init(_ name: String, required: Bool = false, default defaultValue: String? = nil, _ summary: String) {
            self.name = name
            self.required = required
            self.summary = summary
            self.defaultValue = defaultValue
        }
    }

    public var name: String
    public var summary: String
    public var parameters: [Parameter]
    /// Checks of the values given (parameter name -> value); each returned string is one
    /// error, said at the resource's line. Names and presence are checked before this runs.
    public var checkValues: @Sendable ([String: String]) -> [String]

    public init(name: String, summary: String, parameters: [Parameter],
                checkValues: @escaping @Sendable ([String: String]) -> [String] = { _ in [] }) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.checkValues = checkValues
    }

    public func parameter(named name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// Every built-in agent, by name. Each agent's schema lives beside nothing
    /// else in its own `BuiltinAgentSchema+NAME.swift`.
    public static let catalog: [String: BuiltinAgentSchema] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The list the catalog is built from; an agent is added here and in `BuiltinAgents.make`.
    static let all: [BuiltinAgentSchema] = [filesystem, drbd, ip, nfs, mfsmaster, mogilefsd, haproxy, mysql]
}
