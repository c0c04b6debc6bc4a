import Foundation
import Glibc
import HaloLab
import HaloNet
import Testing

/// Configuration reload (SIGHUP, `haloctl reload`) and `haloctl config-test`
/// on a real halod pair at advert_int 0.1 s.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ReloadLabTests {
    static let vips = ["VI_1": "192.0.2.100", "VI_2": "192.0.2.101", "VI_3": "192.0.2.102"]
    static let vrids = ["VI_1": 51, "VI_2": 52, "VI_3": 53]
    static let n1Address = IPAddress.v4(IPv4Address(192, 0, 2, 11))

    /// One node's configuration: each instance at `priority` unless `overrides` says otherwise.
    static func config(_ node: String, priority: Int, instances: [String], overrides: [String: Int] = [:],
                       extraVIPs: [String: [String]] = [:], preamble: String = "", instanceLines: [String: String] = [:]) -> String {
        var text = "global_defs {\n    router_id \(node)\n    vrrp_version 3\n    vrrp_garp_master_delay 0\n}\n" + preamble
        for name in instances {
            let addresses = ["\(vips[name]!)/24"] + (extraVIPs[name] ?? [])
            text += """
                vrrp_instance \(name) {
                    state BACKUP
                    interface eth0
                    virtual_router_id \(vrids[name]!)
                    priority \(overrides[name] ?? priority)
                    advert_int 0.1
                \(instanceLines[name] ?? "")
                    virtual_ipaddress {
                \(addresses.map { "        \($0)" }.joined(separator: "\n"))
                    }
                }

                """
        }
        return text
    }

    /// Starts n1 (priority 150) then n2 (100) with `n2Instances`; n1 is master of each of its own.
    static func startPair(_ pair: PairLab, n1Instances: [String], n2Instances: [String]) throws -> (LabProcess, LabProcess) {
        let n1 = try pair.controlledHalod("n1", config("n1", priority: 150, instances: n1Instances))
        for name in n1Instances {
            #expect(pair.awaitSoleHolder("n1", of: vips[name]!, seconds: 6), "\(n1.log)")
        }
        let n2 = try pair.controlledHalod("n2", config("n2", priority: 100, instances: n2Instances))
        #expect(n2.awaitLog("control socket", seconds: 5), "\(n2.log)")
        for name in n2Instances where !n1Instances.contains(name) {
            #expect(pair.awaitSoleHolder("n2", of: vips[name]!, seconds: 6), "\(n2.log)")
        }
        usleep(500_000)
        return (n1, n2)
    }

    /// The file halod-n1 was started with (Halod.start writes it into the lab's work directory).
    static func configPath(_ pair: PairLab, _ process: LabProcess) throws -> String {
        "\(try pair.lab.makeWorkDirectory())/\(process.name).conf"
    }

    /// What `process` logged after `mark` (a length of its log taken earlier).
    static func log(_ process: LabProcess, since mark: Int) -> String {
        String(process.log.dropFirst(mark))
    }

    /// The longest silence between n1's adverts for `vrid` within the window (ns).
    static func longestAdvertGap(_ heard: [AdvertWatcher.Heard], vrid: Int, from start: Int64, to end: Int64) -> Int64 {
        let times = heard.filter { $0.source == n1Address && Int($0.virtualRouterID) == vrid && $0.priority > 0 }
            .map(\.at).filter { $0 >= start && $0 <= end }
        guard times.count > 1 else { return .max }
        return zip(times, times.dropFirst()).map { $1 - $0 }.max() ?? .max
    }

    @Test func anInvalidConfigurationIsRefusedAndTheOldOneKeepsRunning() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try Self.startPair(pair, n1Instances: ["VI_1"], n2Instances: ["VI_1"])
        let path = try Self.configPath(pair, n1)
        let good = try String(contentsOfFile: path, encoding: .utf8)
        let goodCopy = path + ".good"
        try good.write(toFile: goodCopy, atomically: true, encoding: .utf8)
        // Line 9: a VRID out of range, and the priority that would hand the VIP to n2.
        let bad = good.replacingOccurrences(of: "virtual_router_id 51", with: "virtual_router_id 300")
            .replacingOccurrences(of: "priority 150", with: "priority 10")
        try bad.write(toFile: path, atomically: true, encoding: .utf8)
        let mark = n1.log.count

        let reload = try pair.haloctl("n1", "reload")
        #expect(reload.status == 1, "\(reload)")
        #expect(reload.error.contains("\(path):9:"), "the error names file:line:\n\(reload.error)")
        #expect(reload.error.contains("still running the loaded configuration"), "\(reload.error)")
        n1.signal(SIGHUP)
        #expect(n1.awaitLog("reload requested (SIGHUP)", seconds: 5), "\(n1.log)")
        usleep(1_000_000)
        let after = Self.log(n1, since: mark)
        #expect(after.components(separatedBy: "reload refused").count == 3, "both refusals logged:\n\(after)")
        #expect(after.contains("\(path):9:"), "\(after)")
        #expect(!after.contains("Entering"), "no transition on n1:\n\(after)")
        #expect(pair.holders(of: Self.vips["VI_1"]!) == ["n1"], "\(pair.logs(n1, n2))")
        #expect(!n2.log.contains("Entering MASTER"), "\(n2.log)")

        // config-test of the running (now bad) file, then of a good one: the daemon only reports.
        let badTest = try pair.haloctl("n1", "config-test")
        #expect(badTest.status != 0, "\(badTest)")
        #expect(badTest.output.contains("\(path):9:"), "\(badTest.output)")
        let goodTest = try pair.haloctl("n1", "config-test", "-f", goodCopy)
        #expect(goodTest.status == 0, "\(goodTest)")
        #expect(goodTest.output.contains("VI_1"), "\(goodTest.output)")
        #expect(!Self.log(n1, since: mark).contains("Entering"), "\(n1.log)")
        #expect(pair.holders(of: Self.vips["VI_1"]!) == ["n1"])
    }

    @Test(arguments: ["SIGHUP", "haloctl"])
    func changingOneInstanceLeavesTheOtherWithoutAGapOrTransition(_ via: String) throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try Self.startPair(pair, n1Instances: ["VI_1", "VI_2"], n2Instances: ["VI_1", "VI_2"])
        let path = try Self.configPath(pair, n1)
        // SIGHUP: VI_2 gains a VIP (stays master); haloctl: VI_2 drops below n2 (n2 preempts it).
        let extraVIP = "192.0.2.103"
        let changed = via == "SIGHUP"
            ? Self.config("n1", priority: 150, instances: ["VI_1", "VI_2"], extraVIPs: ["VI_2": ["\(extraVIP)/24"]])
            : Self.config("n1", priority: 150, instances: ["VI_1", "VI_2"], overrides: ["VI_2": 50])
        let watcher = try AdvertWatcher(in: pair.client)
        usleep(500_000)
        let mark = n1.log.count
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        let start = PingProbe.now()
        if via == "SIGHUP" {
            n1.signal(SIGHUP)
            #expect(pair.lab.awaitAddress(extraVIP, on: "n1", seconds: 5), "\(n1.log)")
        } else {
            let reload = try pair.haloctl("n1", "reload")
            #expect(reload.status == 0, "\(reload)")
            #expect(reload.output.contains("(VI_2) changed in place: (VI_2) priority 150 -> 50"), "\(reload.output)")
            #expect(reload.output.contains("reload: 1 unchanged, 0 added, 0 removed, 1 changed"), "\(reload.output)")
            #expect(pair.awaitSoleHolder("n2", of: Self.vips["VI_2"]!, seconds: 5), "\(pair.logs(n1, n2))")
        }
        usleep(1_000_000)
        let end = PingProbe.now()
        let heard = watcher.stop()
        let after = Self.log(n1, since: mark)
        #expect(after.contains("reload: 1 unchanged, 0 added, 0 removed, 1 changed"), "\(after)")
        #expect(!after.contains("(VI_1) Entering"), "VI_1 changed state:\n\(after)")
        #expect(!n2.log.contains("(VI_1) Entering MASTER"), "\(n2.log)")
        #expect(pair.holders(of: Self.vips["VI_1"]!) == ["n1"], "\(pair.logs(n1, n2))")
        let gap = Self.longestAdvertGap(heard, vrid: 51, from: start - 300_000_000, to: end)
        print("reload via \(via): VI_1's longest advert gap \(gap / 1_000_000) ms")
        #expect(gap < 200_000_000, "VI_1's adverts paused \(gap / 1_000_000) ms during the reload")
        if via == "SIGHUP" {
            #expect(pair.holders(of: Self.vips["VI_2"]!) == ["n1"], "\(pair.logs(n1, n2))")
            #expect(!after.contains("(VI_2) Entering"), "an added VIP needs no transition:\n\(after)")
        } else {
            #expect(after.contains("(VI_2) Entering BACKUP"), "\(after)")
        }
    }

    @Test func aNewVRIDRestartsOnlyThatInstance() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try Self.startPair(pair, n1Instances: ["VI_1", "VI_2"], n2Instances: ["VI_1", "VI_2"])
        let path = try Self.configPath(pair, n1)
        // VI_2 moves to VRID 54 with its own VIP: n1 leaves VRID 52 (n2 takes its VIP) and runs 54 alone.
        let moved = "192.0.2.104"
        let changed = Self.config("n1", priority: 150, instances: ["VI_1", "VI_2"])
            .replacingOccurrences(of: "virtual_router_id 52", with: "virtual_router_id 54")
            .replacingOccurrences(of: "\(Self.vips["VI_2"]!)/24", with: "\(moved)/24")
        let watcher = try AdvertWatcher(in: pair.client)
        usleep(500_000)
        let mark = n1.log.count
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        let start = PingProbe.now()
        n1.signal(SIGHUP)
        #expect(pair.awaitSoleHolder("n2", of: Self.vips["VI_2"]!, seconds: 5), "\(pair.logs(n1, n2))")
        #expect(pair.awaitSoleHolder("n1", of: moved, seconds: 5), "\(pair.logs(n1, n2))")
        usleep(500_000)
        let end = PingProbe.now()
        let heard = watcher.stop()
        let after = Self.log(n1, since: mark)
        #expect(after.contains("(VI_2) changed: (VI_2) virtual_router_id 52 -> 54; handing off and restarting this group"), "\(after)")
        #expect(after.contains("(VI_2) stopped (reload)") && after.contains("(VI_2) starting (reload)"), "\(after)")
        #expect(!after.contains("(VI_1) Entering"), "\(after)")
        let gap = Self.longestAdvertGap(heard, vrid: 51, from: start - 300_000_000, to: end)
        print("restart of VI_2: VI_1's longest advert gap \(gap / 1_000_000) ms")
        #expect(gap < 200_000_000, "VI_1's adverts paused \(gap / 1_000_000) ms during the reload")
        #expect(heard.contains { $0.source == Self.n1Address && $0.virtualRouterID == 52 && $0.priority == 0 },
                "VI_2 left VRID 52 with a priority-0 advert")
        #expect(heard.contains { $0.source == Self.n1Address && $0.virtualRouterID == 54 && $0.priority == 150 })
    }

    @Test func aChangedScriptIsReplacedForTheInstanceTrackingItOnly() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let script = { (command: String) in
            "vrrp_script chk {\n    script \"\(command)\"\n    interval 0.2\n    fall 2\n    weight -100\n}\n"
        }
        let tracking = ["VI_2": "    track_script {\n        chk\n    }"]
        let n1 = try pair.controlledHalod("n1", Self.config("n1", priority: 150, instances: ["VI_1", "VI_2"],
                                                             preamble: script("/bin/true"), instanceLines: tracking))
        for name in ["VI_1", "VI_2"] { #expect(pair.awaitSoleHolder("n1", of: Self.vips[name]!, seconds: 6), "\(n1.log)") }
        let n2 = try pair.controlledHalod("n2", Self.config("n2", priority: 100, instances: ["VI_1", "VI_2"]))
        #expect(n2.awaitLog("control socket", seconds: 5), "\(n2.log)")
        usleep(700_000)
        let mark = n1.log.count
        try Self.config("n1", priority: 150, instances: ["VI_1", "VI_2"], preamble: script("/bin/false"), instanceLines: tracking)
            .write(toFile: try Self.configPath(pair, n1), atomically: true, encoding: .utf8)
        let reload = try pair.haloctl("n1", "reload")
        #expect(reload.status == 0, "\(reload)")
        #expect(reload.output.contains("(VI_2) changed in place: vrrp_script chk"), "\(reload.output)")
        // The new check fails: VI_2 drops to 50 and n2 (100) preempts it; VI_1 tracks nothing and stays.
        #expect(pair.awaitSoleHolder("n2", of: Self.vips["VI_2"]!, seconds: 5), "\(pair.logs(n1, n2))")
        usleep(500_000)
        let after = Self.log(n1, since: mark)
        #expect(after.contains("(VI_2) effective priority 150 -> 50"), "\(after)")
        #expect(!after.contains("(VI_1) Entering"), "\(after)")
        #expect(pair.holders(of: Self.vips["VI_1"]!) == ["n1"], "\(pair.logs(n1, n2))")
    }

    @Test func aRemovedInstanceStopsTheResourceGroupFollowingIt() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let order = try pair.workPath("order")
        let up = try pair.workPath("n1-app.up")
        let resources = """
            resource_group app {
                follow VI_2
                resource app {
                    agent exec
                    start /bin/sh -c "echo start >> \(order) && touch \(up)"
                    stop /bin/sh -c "echo stop >> \(order) && rm -f \(up)"
                    monitor /bin/test -e \(up)
                }
            }

            """
        let n1 = try pair.controlledHalod("n1", Self.config("n1", priority: 150, instances: ["VI_1", "VI_2"]) + resources)
        #expect(pair.awaitSoleHolder("n1", of: Self.vips["VI_2"]!, seconds: 8), "\(n1.log)")
        #expect(pair.awaitSoleHolder("n1", of: Self.vips["VI_1"]!, seconds: 2), "\(n1.log)")
        let n2 = try pair.controlledHalod("n2", Self.config("n2", priority: 100, instances: ["VI_1", "VI_2"]))
        #expect(n2.awaitLog("control socket", seconds: 5), "\(n2.log)")
        let started = Date().addingTimeInterval(5)
        while !FileManager.default.fileExists(atPath: up) && Date() < started { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: up), "\(n1.log)")
        let mark = n1.log.count

        try Self.config("n1", priority: 150, instances: ["VI_1"]).write(toFile: try Self.configPath(pair, n1), atomically: true, encoding: .utf8)
        let reload = try pair.haloctl("n1", "reload")
        #expect(reload.status == 0, "\(reload)")
        #expect(reload.output.contains("(VI_2) removed"), "\(reload.output)")
        #expect(pair.awaitSoleHolder("n2", of: Self.vips["VI_2"]!, seconds: 8), "\(pair.logs(n1, n2))")
        let stopped = Date().addingTimeInterval(5)
        while FileManager.default.fileExists(atPath: up) && Date() < stopped { usleep(50_000) }
        #expect(!FileManager.default.fileExists(atPath: up), "the resource still runs:\n\(n1.log)")
        #expect(lines(ofFile: order) == ["start", "stop"], "\(n1.log)")
        #expect(n1.awaitLog("(VI_2) stopped (reload)", seconds: 5), "\(n1.log)")
        #expect(!Self.log(n1, since: mark).contains("(VI_1) Entering"), "\(n1.log)")
        #expect(pair.holders(of: Self.vips["VI_1"]!) == ["n1"])
    }

    @Test func anAddedInstanceStartsAndARemovedOneHandsItsVIPToThePeer() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try Self.startPair(pair, n1Instances: ["VI_1", "VI_2"], n2Instances: ["VI_1", "VI_2", "VI_3"])
        let path = try Self.configPath(pair, n1)
        let probe = try PingProbe(from: pair.client, target: Self.vips["VI_2"]!)
        usleep(300_000)
        let mark = n1.log.count
        try Self.config("n1", priority: 150, instances: ["VI_1", "VI_3"]).write(toFile: path, atomically: true, encoding: .utf8)
        let start = PingProbe.now()
        let reload = try pair.haloctl("n1", "reload")
        #expect(reload.status == 0, "\(reload)")
        #expect(reload.output.contains("(VI_2) removed"), "\(reload.output)")
        #expect(reload.output.contains("(VI_3) added"), "\(reload.output)")
        #expect(reload.output.contains("reload: 1 unchanged, 1 added, 1 removed, 0 changed"), "\(reload.output)")
        #expect(pair.awaitSoleHolder("n2", of: Self.vips["VI_2"]!, seconds: 5), "\(pair.logs(n1, n2))")
        #expect(pair.awaitSoleHolder("n1", of: Self.vips["VI_3"]!, seconds: 5), "\(pair.logs(n1, n2))")
        usleep(500_000)
        let gap = probe.stop().longestSilence(after: start, until: PingProbe.now())
        print("removed instance: client gap on its VIP \(gap / 1_000_000) ms")
        let after = Self.log(n1, since: mark)
        #expect(after.contains("(VI_2) stopped (reload)"), "\(after)")
        #expect(!after.contains("(VI_1) Entering"), "\(after)")
        #expect(pair.holders(of: Self.vips["VI_1"]!) == ["n1"])
        // Make-before-break: priority 0, VIP kept until n2 is heard; a gap near the master-down interval would be a break.
        #expect(gap < 250_000_000, "client went \(gap / 1_000_000) ms without a reply")

        // An engine restarted by the supervisor reads the file as it is now.
        let engine = try #require(n1.enginePID)
        kill(engine, SIGKILL)
        let deadline = Date().addingTimeInterval(10)
        while n1.enginePID == engine && Date() < deadline { usleep(50_000) }
        #expect(n1.enginePID != engine, "\(n1.log)")
        let running = "VRRP engine running 2 instance(s)"
        while n1.log.components(separatedBy: running).count < 3 && Date() < deadline.addingTimeInterval(5) { usleep(50_000) }
        #expect(n1.log.components(separatedBy: running).count == 3, "the new engine started:\n\(n1.log)")
        #expect(pair.awaitSoleHolder("n1", of: Self.vips["VI_3"]!, seconds: 6), "\(pair.logs(n1, n2))")
        #expect(pair.awaitSoleHolder("n1", of: Self.vips["VI_1"]!, seconds: 6), "\(pair.logs(n1, n2))")
        #expect(pair.holders(of: Self.vips["VI_2"]!) == ["n2"], "\(pair.logs(n1, n2))")
    }
}
