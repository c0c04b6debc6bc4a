import HaloLinux

/// Runs OCF agents' `meta-data` (once per agent) and `validate-all` (once per
/// resource, with its parameters) for `halod --config-test`, all at once on a
/// private loop, and waits for them. Agents that are not installed are skipped.
public enum OCFMetadataProbe {
    public struct Report: Sendable {
        /// The parsed meta-data, or why it could not be had.
        public var metadata: Result<OCFMetadata, OCFMetadata.ParseError>
        /// validate-all's judgement, nil when the agent has no such action.
        public var validation: ValidationOutcome?
    }

    public enum ValidationOutcome: Hashable, Sendable {
        case valid
        /// OCF 2, 5 or 6: this resource cannot run with this configuration on this host.
        case invalid(String)
        /// Another failure (1, 4, timeout): worth a warning, not a verdict.
        case doubtful(String)
    }

    /// Reports by position in `resources`; resources that are not OCF or whose script is absent are left out.
    public static func run(_ resources: [ResourceDefinition], metadataTimeoutMilliseconds: Int = 5000,
                           validateTimeoutMilliseconds: Int = 20_000) throws -> [Int: Report] {
        let loop = try EventLoop()
        let processes = try ProcessRunner(loop: loop)
        var metadataByAgent: [String: Result<OCFMetadata, OCFMetadata.ParseError>] = [:]
        var validations: [Int: ValidationOutcome] = [:]
        var pending = 0
        func finished() {
            pending -= 1
            if pending == 0 { loop.stop() }
        }
        func launch(_ invocation: AgentInvocation, timeout: Int, completion: @escaping (ProcessOutcome) -> Void) -> Bool {
            var spec = ProcessSpec(arguments: invocation.arguments, timeoutNanoseconds: Int64(timeout) * 1_000_000,
                                   environment: invocation.environment)
            spec.outputLimit = 1 << 20
            guard (try? processes.start(spec, completion: { completion($0); finished() })) != nil else { return false }
            pending += 1
            return true
        }
        var present: [Int] = []
        for (index, resource) in resources.enumerated() {
            guard let start = resource.invocation(.start, timeoutMilliseconds: validateTimeoutMilliseconds), case .ocf = resource.kind,
                  let agent = start.arguments.first else { continue }
            var metadata = start
            metadata.arguments = [agent, "meta-data"]
            if metadataByAgent[agent] == nil {
                metadataByAgent[agent] = .failure(OCFMetadata.ParseError(description: "meta-data did not finish"))
                let started = launch(metadata, timeout: metadataTimeoutMilliseconds) { outcome in
                    metadataByAgent[agent] = outcome.succeeded
                        ? Result { () throws(OCFMetadata.ParseError) in try OCFMetadata.parse(outcome.output) }
                        : .failure(OCFMetadata.ParseError(description: "meta-data: \(outcome)"))
                }
                guard started else { metadataByAgent[agent] = nil; continue }
            }
            var validate = start
            validate.arguments = [agent, "validate-all"]
            if launch(validate, timeout: validateTimeoutMilliseconds, completion: { validations[index] = validation($0) }) {
                present.append(index)
            }
        }
        if pending > 0 { loop.run() }
        var reports: [Int: Report] = [:]
        for index in present {
            guard let agent = resources[index].invocation(.start, timeoutMilliseconds: 1)?.arguments.first,
                  let metadata = metadataByAgent[agent] else { continue }
            // Agents without validate-all answer 3 (unimplemented) or usage text; both say nothing.
            let declaresValidate = (try? metadata.get())?.actions.contains("validate-all") ?? false
            reports[index] = Report(metadata: metadata, validation: declaresValidate ? validations[index] : nil)
        }
        return reports
    }

    static func validation(_ outcome: ProcessOutcome) -> ValidationOutcome {
        let detail = outcome.lastOutputLine.isEmpty ? "" : ": \(outcome.lastOutputLine)"
        if outcome.timedOut { return .doubtful("validate-all timed out") }
        switch outcome.termination {
        case .exited(0): return .valid
        case .exited(let code) where [2, 5, 6].contains(code):
            return .invalid("validate-all exit \(code) (\(ResourceDefinition.ocfMeanings[code] ?? "error"))\(detail)")
        case .exited(3): return .valid
        case .exited(let code): return .doubtful("validate-all exit \(code) (\(ResourceDefinition.ocfMeanings[code] ?? "unknown code"))\(detail)")
        case .signaled(let signal): return .doubtful("validate-all killed by signal \(signal)")
        }
    }
}
