import Foundation
import Glibc
import HaloLab
import Testing

/// `vrrp_script` tracking on a real pair: a checked service dying moves the
/// VIP, its return brings it back, and negative weights in a dual-master setup
/// move only the failing host's VIP.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ScriptTrackingTests {
    static let vip2 = "192.0.2.101"

    @Test func serviceDyingOnTheMasterMovesTheVIPAndItsReturnBringsItBack() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let port = 9421
        var service = try pair.startService(on: "n1", port: port, name: "service-n1")
        _ = try pair.startService(on: "n2", port: port, name: "service-n2")
        let check = try pair.serviceCheck(port: port)
        // interval 0.2 s, fall 2, rise 2; advert 0.1 s: Master_Down_Interval = 3 × 0.1 + skew ≈ 0.36 s.
        let scriptBlock = """
            vrrp_script chk_service {
                script "\(check)"
                interval 0.2
                fall 2
                rise 2
                weight -60
            }

            """
        func config(_ state: String, _ priority: Int) -> String {
            LabConfig.instance(state: state, priority: priority, advertInterval: "0.1", version: 3,
                               vips: ["\(PairLab.vip4)/24"], instanceLines: ["track_script {", "    chk_service", "}"])
                .replacingOccurrences(of: "vrrp_instance VI_1 {", with: scriptBlock + "vrrp_instance VI_1 {")
        }
        let n1 = try pair.halod("n1", config("MASTER", 150))
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        let n2 = try pair.halod("n2", config("BACKUP", 100))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 3), "\(n2.log)")
        #expect(n1.awaitLog("Script chk_service is now up", seconds: 2), "\(n1.log)")
        usleep(500_000)

        service.kill()
        let bound = 2 * 0.2 + 0.36 + 0.6
        let failover = pair.timeUntilSoleHolder("n2", seconds: 5)
        #expect(failover != nil && failover! < bound, "failover took \(failover ?? -1) s\n\(pair.logs(n1, n2))")
        #expect(n1.log.contains("effective priority 150 -> 90 (tracker weight -60): script chk_service down"), "\(n1.log)")
        print("service failover: \(String(format: "%.3f", failover ?? -1)) s (bound \(bound) s)")

        service = try pair.startService(on: "n1", port: port, name: "service-n1-again")
        let failback = pair.timeUntilSoleHolder("n1", seconds: 5)
        #expect(failback != nil && failback! < bound, "failback took \(failback ?? -1) s\n\(pair.logs(n1, n2))")
        #expect(n1.log.contains("effective priority 90 -> 150 (tracker weight 0): script chk_service up"), "\(n1.log)")
        print("service failback: \(String(format: "%.3f", failback ?? -1)) s")
        #expect(!n1.log.contains("FAULT"))
    }

    /// Two instances per host, each host master of one VIP; a failing check subtracts 60 on its own host only.
    @Test func dualMasterNegativeWeightsMoveOnlyTheFailingHostsVIP() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let flag = try pair.workPath("fail")
        let check = try pair.script("check_flag.sh", "#!/bin/bash\n# Fails while this host's flag file exists.\n[ ! -e \"\(flag)-$1\" ]\n")
        func config(host: String, vi1Priority: Int, vi2Priority: Int) -> String {
            func instance(_ name: String, vrid: Int, priority: Int, vip: String) -> String {
                """
                vrrp_instance \(name) {
                    state BACKUP
                    interface eth0
                    virtual_router_id \(vrid)
                    priority \(priority)
                    advert_int 0.1
                    track_script {
                        chk_local
                    }
                    virtual_ipaddress {
                        \(vip)/24
                    }
                }

                """
            }
            return """
                global_defs {
                    router_id \(host)
                    vrrp_version 3
                    vrrp_garp_master_delay 0
                }
                vrrp_script chk_local {
                    script "\(check) \(host)"
                    interval 0.2
                    weight -60
                }

                """ + instance("VI_1", vrid: 51, priority: vi1Priority, vip: PairLab.vip4)
                + instance("VI_2", vrid: 52, priority: vi2Priority, vip: Self.vip2)
        }
        let n1 = try pair.halod("n1", config(host: "n1", vi1Priority: 150, vi2Priority: 100))
        let n2 = try pair.halod("n2", config(host: "n2", vi1Priority: 100, vi2Priority: 150))
        #expect(pair.awaitSoleHolder("n1", of: PairLab.vip4, seconds: 5), "\(pair.logs(n1, n2))")
        #expect(pair.awaitSoleHolder("n2", of: Self.vip2, seconds: 5), "\(pair.logs(n1, n2))")
        usleep(500_000)

        // n1's check fails: 150 - 60 = 90 < 100, VI_1 goes to n2; VI_2 (100 - 60 on n1) stays on n2.
        FileManager.default.createFile(atPath: "\(flag)-n1", contents: nil)
        #expect(pair.awaitSoleHolder("n2", of: PairLab.vip4, seconds: 3), "\(pair.logs(n1, n2))")
        #expect(pair.holders(of: Self.vip2) == ["n2"])
        #expect(n1.awaitLog("(VI_2) effective priority 100 -> 40", seconds: 1), "\(n1.log)")
        unlink("\(flag)-n1")
        #expect(pair.awaitSoleHolder("n1", of: PairLab.vip4, seconds: 3), "\(pair.logs(n1, n2))")
        #expect(pair.holders(of: Self.vip2) == ["n2"])

        // Now n2's check fails: only VI_2 moves, to n1.
        FileManager.default.createFile(atPath: "\(flag)-n2", contents: nil)
        #expect(pair.awaitSoleHolder("n1", of: Self.vip2, seconds: 3), "\(pair.logs(n1, n2))")
        #expect(pair.holders(of: PairLab.vip4) == ["n1"])
        unlink("\(flag)-n2")
        #expect(pair.awaitSoleHolder("n2", of: Self.vip2, seconds: 3), "\(pair.logs(n1, n2))")
        #expect(pair.holders(of: PairLab.vip4) == ["n1"])
    }

    /// `init_fail` starts the script down: with weight 0 the instance starts in
    /// FAULT and leaves it only after `rise` successes; `reverse` makes success the failing case.
    @Test func initFailStartsDownUntilRiseSuccessesAndReverseInvertsTheCheck() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scripts = """
            vrrp_script chk_starts_failed {
                script /bin/true
                interval 0.1
                rise 3
                init_fail
            }
            vrrp_script chk_reversed {
                script /bin/true
                interval 0.1
                weight -30 reverse
            }

            """
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"],
            instanceLines: ["track_script {", "    chk_starts_failed", "    chk_reversed", "}"])
            .replacingOccurrences(of: "vrrp_instance VI_1 {", with: scripts + "vrrp_instance VI_1 {"))
        #expect(n1.awaitLog("Entering FAULT STATE", seconds: 3), "\(n1.log)")
        #expect(n1.awaitLog("fault cleared: script chk_starts_failed up", seconds: 3), "\(n1.log)")
        let log = n1.log
        /// Seconds of the day from a `--log-console` line ("YYYY-MM-DD HH:MM:SS.mmm halod[...]").
        func time(of text: String) -> Double? {
            guard let line = log.split(separator: "\n").first(where: { $0.contains(text) }) else { return nil }
            let clock = line.split(separator: " ").dropFirst().first?.split(separator: ":").compactMap { Double($0) } ?? []
            return clock.count == 3 ? clock[0] * 3600 + clock[1] * 60 + clock[2] : nil
        }
        let faulted = try #require(time(of: "Entering FAULT STATE"), "\(log)")
        let cleared = try #require(time(of: "fault cleared: script chk_starts_failed up"), "\(log)")
        // Three successes 0.1 s apart (the first at most 2 ms after start): not before 0.2 s.
        #expect(cleared - faulted >= 0.19, "fault cleared after \(cleared - faulted) s, rise 3 × 0.1 s")
        // A succeeding check with `weight -30 reverse` counts as failing: 150 - 30.
        #expect(log.contains("effective priority 150 -> 120 (tracker weight -30): script chk_reversed up"), "\(log)")
        #expect(pair.awaitSoleHolder("n1", seconds: 3), "\(n1.log)")
    }

    /// track_file adds value × weight (garbage reads as 0), and an instance's
    /// `track_script` line overrides the script's own weight.
    @Test func trackFileValueTimesWeightAndPerInstanceScriptWeightOverride() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let level = try pair.workPath("level")
        let trackers = """
            vrrp_script chk_ok {
                script /bin/true
                interval 0.1
                weight 50
            }
            vrrp_track_file level {
                file \(level)
                weight -10
                init_file 0
            }

            """
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"],
            instanceLines: ["track_script {", "    chk_ok weight 15", "}", "track_file {", "    level", "}"])
            .replacingOccurrences(of: "vrrp_instance VI_1 {", with: trackers + "vrrp_instance VI_1 {"))
        #expect(n1.awaitLog("effective priority 150 -> 165 (tracker weight 15): script chk_ok up", seconds: 3), "\(n1.log)")
        #expect(try String(contentsOfFile: level, encoding: .utf8) == "0\n", "init_file creates the file")
        try "5\n".write(toFile: level, atomically: true, encoding: .utf8)
        #expect(n1.awaitLog("effective priority 165 -> 115 (tracker weight -35): track file level value 0 -> 5", seconds: 2), "\(n1.log)")
        try "not a number\n".write(toFile: level, atomically: false, encoding: .utf8)
        #expect(n1.awaitLog("effective priority 115 -> 165 (tracker weight 15): track file level value 5 -> 0", seconds: 2), "\(n1.log)")
    }
}
