import Foundation
import Glibc
import HaloLab
import Testing

/// A sync group's own track_script reaches every member, and its hooks are
/// called as GROUP (priority 0) once the members agree on a state.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct SyncGroupTrackingTests {
    @Test func groupTrackScriptFaultsEveryMemberAndGroupHooksSayGroup() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let flag = try pair.workPath("group-fail")
        let hookLog = try pair.workPath("group-hooks.log")
        let check = try pair.script("check_group.sh", "#!/bin/bash\n[ ! -e \(flag) ]\n")
        // The pause makes a hook that halod did not wait for at exit miss the log.
        let hook = try pair.script("group_hook.sh", "#!/bin/bash\nsleep 0.2\nprintf '%s|' \"$@\" >> \(hookLog)\necho >> \(hookLog)\n")
        func instance(_ name: String, vrid: Int, vip: String) -> String {
            "vrrp_instance \(name) {\n    state MASTER\n    interface eth0\n    virtual_router_id \(vrid)\n    priority 150\n"
                + "    advert_int 0.1\n    virtual_ipaddress {\n        \(vip)/24\n    }\n}\n"
        }
        let config = "global_defs {\n    vrrp_version 3\n    vrrp_garp_master_delay 0\n}\n"
            + "vrrp_script chk_group {\n    script \(check)\n    interval 0.1\n}\n"
            + instance("VI_1", vrid: 51, vip: PairLab.vip4) + instance("VI_2", vrid: 52, vip: "192.0.2.101")
            + "vrrp_sync_group G {\n    group {\n        VI_1\n        VI_2\n    }\n    track_script {\n        chk_group\n    }\n"
            + "    notify \(hook) generic\n    notify_fault \"\(hook) fault 'of the group'\"\n}\n"
        let n1 = try pair.halod("n1", config)
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        #expect(pair.lab.awaitAddress("192.0.2.101", on: "n1", seconds: 2))
        usleep(300_000)

        FileManager.default.createFile(atPath: flag, contents: nil)
        #expect(n1.awaitLog("(VI_1) Entering FAULT STATE", seconds: 2), "\(n1.log)")
        #expect(n1.awaitLog("(VI_2) Entering FAULT STATE", seconds: 2), "\(n1.log)")
        #expect(pair.lab.awaitAddress(PairLab.vip4, on: "n1", present: false, seconds: 2))
        unlink(flag)
        #expect(pair.awaitSoleHolder("n1", seconds: 3), "\(n1.log)")
        n1.signal(SIGTERM)
        #expect(n1.waitForExit(seconds: 10) == 0)
        let hooks = lines(ofFile: hookLog)
        #expect(hooks.first == "generic|GROUP|G|BACKUP|0|" || hooks.first == "generic|GROUP|G|MASTER|0|", "\(hooks)")
        let fault = try #require(hooks.firstIndex(of: "fault|of the group|"), "\(hooks)\n\(n1.log)")
        #expect(hooks[fault + 1] == "generic|GROUP|G|FAULT|0|", "\(hooks)")
        #expect(hooks.suffix(2) == ["generic|GROUP|G|MASTER|0|", "generic|GROUP|G|STOP|0|"], "\(hooks)")
    }
}
