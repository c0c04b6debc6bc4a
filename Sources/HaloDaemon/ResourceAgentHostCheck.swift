import HaloConfig
import HaloResources

/// `halod --config-test`'s look at the resource agents on this host: each
/// installed OCF agent's meta-data against the parameters given (missing
/// required: error; unknown: warning), its validate-all (exit 2, 5 or 6: error),
/// and systemd units on a host where systemd does not run (error).
///
/// validate-all runs here, not before a group's first start: a resource that
/// cannot be configured is then reported before the node is trusted with
/// mastership, at the line that configures it, instead of costing a failover.
public enum ResourceAgentHostCheck {
    public static func diagnostics(_ configuration: Configuration) -> [Diagnostic] {
        let resources = configuration.resourceGroups.flatMap(\.resources)
        var found: [Diagnostic] = []
        let definitions = resources.map { ResourceDefinition($0) }
        for (resource, definition) in zip(resources, definitions) {
            if let reason = definition.systemdUnavailableReason {
                found.append(Diagnostic(.error, resource.location, "resource '\(resource.name)': \(reason)"))
            }
        }
        let reports: [Int: OCFMetadataProbe.Report]
        do {
            reports = try OCFMetadataProbe.run(definitions)
        } catch {
            return found + [Diagnostic(.warning, configuration.resourceGroups.first?.location ?? SourceLocation(file: "", line: 0, column: 0),
                                       "cannot run OCF agents' meta-data to check parameters: \(error)")]
        }
        for (index, resource) in resources.enumerated() {
            guard let report = reports[index] else { continue }
            switch report.metadata {
            case .success(let metadata):
                found += resource.parameterDiagnostics(declared: metadata.parameters.map { AgentParameterSpec(name: $0.name, required: $0.required) })
            case .failure(let error):
                found.append(Diagnostic(.warning, resource.location, "resource '\(resource.name)': cannot read \(resource.agent!)'s meta-data (\(error)); parameters not checked"))
            }
            switch report.validation {
            case .invalid(let reason)?:
                found.append(Diagnostic(.error, resource.location, "resource '\(resource.name)': \(resource.agent!) \(reason); it cannot start here"))
            case .doubtful(let reason)?:
                found.append(Diagnostic(.warning, resource.location, "resource '\(resource.name)': \(resource.agent!) \(reason)"))
            case .valid?, nil:
                break
            }
        }
        return found
    }
}
