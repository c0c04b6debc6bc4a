import HaloConfig
import Testing

/// `control_socket_group NAME` in global_defs: who besides root may use haloctl.
@Suite struct ControlSocketGroupTests {
    @Test func groupIsReadFromGlobalDefs() {
        let result = load("global_defs {\n    control_socket_group halo-admin\n}\n" + instanceConfig(""))
        #expect(result.errors.isEmpty, "\(diagnostics(result))")
        #expect(diagnostics(result).isEmpty, "a known keyword draws no warning: \(diagnostics(result))")
        #expect(result.configuration?.globals.controlSocketGroup == "halo-admin")
    }

    @Test func withoutTheKeywordTheSocketIsRootOnly() {
        #expect(config(instanceConfig("")).globals.controlSocketGroup == nil)
    }

    @Test func missingGroupNameIsAnError() {
        let result = load("global_defs {\n    control_socket_group\n}\n" + instanceConfig(""))
        #expect(!result.errors.isEmpty)
        #expect(result.configuration?.globals.controlSocketGroup == nil)
    }
}
