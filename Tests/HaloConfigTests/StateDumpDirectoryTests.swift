import HaloConfig
import Testing

/// `state_dump_directory PATH` in global_defs: where halod writes keepalived.data/.stats/.json.
@Suite struct StateDumpDirectoryTests {
    @Test func directoryIsReadFromGlobalDefs() {
        let result = load("global_defs {\n    state_dump_directory /var/run/halo\n}\n" + instanceConfig(""))
        #expect(result.errors.isEmpty, "\(diagnostics(result))")
        #expect(diagnostics(result).isEmpty, "a known keyword draws no warning: \(diagnostics(result))")
        #expect(result.configuration?.globals.stateDumpDirectory == "/var/run/halo")
    }

    @Test func withoutTheKeywordTheDefaultApplies() {
        #expect(config(instanceConfig("")).globals.stateDumpDirectory == nil)
    }

    @Test func aRelativePathIsAnErrorNamingTheLine() {
        let result = load("global_defs {\n    state_dump_directory dumps\n}\n" + instanceConfig(""))
        let messages = result.errors.map { "\($0)" }
        #expect(messages.contains { $0.contains(":2:") && $0.contains("absolute path") && $0.contains("'dumps'") }, "\(messages)")
        #expect(result.configuration?.globals.stateDumpDirectory == nil)
    }
}
