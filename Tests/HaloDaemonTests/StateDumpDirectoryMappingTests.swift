@testable import HaloDaemon
import Testing

/// Where the engine writes its dumps: keepalived's /tmp unless global_defs says otherwise.
@Suite struct StateDumpDirectoryMappingTests {
    @Test func defaultIsKeepalivedsTmp() throws {
        #expect(try engineConfiguration(instanceBlock("VI_1", vrid: 51)).stateDumpDirectory == "/tmp")
    }

    @Test func globalDefsDirectoryReachesTheEngine() throws {
        let text = "global_defs {\n    state_dump_directory /run/halo\n}\n" + instanceBlock("VI_1", vrid: 51)
        #expect(try engineConfiguration(text).stateDumpDirectory == "/run/halo")
    }

    @Test func fileNamesAreKeepaliveds() {
        #expect(StateDumpFiles.fileName(.data) == "keepalived.data")
        #expect(StateDumpFiles.fileName(.stats) == "keepalived.stats")
        #expect(StateDumpFiles.fileName(.json) == "keepalived.json")
    }
}
