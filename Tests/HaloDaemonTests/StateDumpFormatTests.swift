import Foundation
import HaloControl
@testable import HaloDaemon
import Testing
import VRRP

/// The keepalived-style dumps rendered from a fixed snapshot: the layout
/// keepalived's readers parse, and the values where they look for them.
@Suite struct StateDumpFormatTests {
    static let instance = StateDumpSnapshot.Instance(
        name: "VI_1", interface: "eth0", family: "ipv4", vrid: 51, version: 3, state: "MASTER",
        basePriority: 150, effectivePriority: 140, masterPriority: 100, masterAddress: "192.0.2.11",
        advertIntervalCentiseconds: 100, preempt: true, preemptDelayMilliseconds: 0,
        lastTransition: 1_795_828_388.25, sourceAddress: "192.0.2.11", unicastPeers: [], multicastGroup: "224.0.0.18",
        usesPassword: false, virtualAddresses: ["192.0.2.100/24 dev eth0 scope global"], excludedAddresses: [],
        holdsAddresses: true, trackedInterfaces: ["eth1 weight -20"], trackedScripts: ["chk_haproxy weight -10"],
        trackedFiles: [], dontTrackPrimary: false,
        garp: .init(delaySeconds: 5, repeats: 5, refreshSeconds: 0, refreshRepeats: 1,
                    lowerPriorityDelaySeconds: 0, lowerPriorityRepeats: 5),
        stats: .init(advertsReceived: 3, advertsSent: 120, becameMaster: 1, releasedMaster: 0, packetLengthErrors: 2,
                     ttlErrors: 4, invalidType: 0, advertIntervalErrors: 1, addressListErrors: 0, authInvalidType: 0,
                     authTypeMismatch: 0, authFailure: 6, priorityZeroReceived: 1, priorityZeroSent: 0))

    static var snapshot: StateDumpSnapshot {
        var handingOff = instance
        handingOff.name = "VI_6"
        handingOff.family = "ipv6"
        handingOff.state = "HANDOFF"
        handingOff.advertIntervalCentiseconds = 20
        handingOff.unicastPeers = ["2001:db8::12"]
        handingOff.lastTransition = nil
        return StateDumpSnapshot(
            time: 1_795_828_400.5, node: "n1", routerID: "LB1", instances: [instance, handingOff],
            syncGroups: [SyncGroupStatus(name: "G1", members: ["VI_1", "VI_6"], state: "MIXED")],
            scripts: [.init(name: "chk_haproxy", command: "/usr/lib/halo/check_haproxy", intervalMilliseconds: 2000,
                            timeoutMilliseconds: 1500, weight: -10, rise: 2, fall: 3, status: "GOOD", state: "idle")],
            resourceGroups: [ResourceStatusFixtures.group])
    }

    @Test func dataDumpHasKeepalivedsSectionsAndKeyValueLines() {
        let text = StateDumpText.data(Self.snapshot)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "------< Global definitions >------")
        #expect(lines.contains(" Router ID = LB1"))
        for heading in ["------< VRRP Topology >------", "------< VRRP Sync groups >------", "------< VRRP Scripts >------",
                        "------< Resource groups >------"] {
            #expect(lines.contains(heading), "\(heading) missing:\n\(text)")
        }
        // What collectd-style readers parse: " VRRP Instance = NAME" then "  State = ..." two spaces in.
        let vi1 = try! #require(lines.firstIndex(of: " VRRP Instance = VI_1"))
        let vi6 = try! #require(lines.firstIndex(of: " VRRP Instance = VI_6"))
        let first = Array(lines[vi1..<vi6])
        for line in ["  VRRP Version = 3", "  State = MASTER", "  Interface = eth0", "  Virtual Router ID = 51",
                     "  Priority = 150", "  Effective priority = 140", "  Master priority = 100",
                     "  Advert interval = 1 sec", "  Preempt = enabled", "  Gratuitous ARP delay = 5",
                     "  Last transition = 1795828388.250000 (Sat Nov 28 01:13:08.250000 2026 UTC)",
                     "  Multicast address = 224.0.0.18", "  Virtual IP (1):", "    192.0.2.100/24 dev eth0 scope global",
                     "  Tracked interfaces (1):", "    eth1 weight -20", "  Tracked scripts (1):", "    chk_haproxy weight -10"] {
            #expect(first.contains(line), "\(line) missing:\n\(first.joined(separator: "\n"))")
        }
        #expect(lines.contains("  State = MASTER") && lines.contains("  Halo state = HANDOFF (priority 0 sent, VIPs kept until the successor is heard)"),
                "HANDOFF reads as MASTER for keepalived's readers")
        #expect(lines.contains("  Advert interval = 200 milli-sec"))
        #expect(lines.contains("  Unicast peers = 2001:db8::12"))
        #expect(lines.contains(" VRRP Sync Group = G1, MIXED"))
        #expect(lines.contains(" VRRP Script = chk_haproxy") && lines.contains("  Status = GOOD") && lines.contains("  State = idle"))
        #expect(lines.contains(" Resource group = storage") && lines.contains("   Fail count = 1"))
        #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
    }

    @Test func statsDumpHasKeepalivedsCounterLayout() {
        let text = StateDumpText.stats(Self.snapshot)
        let expected = """
        VRRP Instance: VI_1
          Advertisements:
            Received: 3
            Sent: 120
          Became master: 1
          Released master: 0
          Packet Errors:
            Length: 2
            TTL: 4
            Invalid Type: 0
            Advertisement Interval: 1
            Address List: 0
          Authentication Errors:
            Invalid Type: 0
            Type Mismatch: 0
            Failure: 6
          Priority Zero:
            Received: 1
            Sent: 0
        VRRP Instance: VI_6

        """
        #expect(text.hasPrefix(expected), "\(text)")
        #expect(text.components(separatedBy: "VRRP Instance: ").count == 3)
    }

    @Test func jsonDumpHasKeepalivedsShape() throws {
        let text = StateDumpJSON.render(Self.snapshot)
        #expect(text.hasSuffix("]\n"))
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(entries.count == 2)
        let data = try #require(entries[0]["data"] as? [String: Any])
        let stats = try #require(entries[0]["stats"] as? [String: Any])
        #expect(data["iname"] as? String == "VI_1")
        #expect(data["ifp_ifname"] as? String == "eth0")
        #expect(data["vrid"] as? Int == 51)
        #expect(data["state"] as? Int == 2, "keepalived's MASTER")
        #expect(data["base_priority"] as? Int == 150 && data["effective_priority"] as? Int == 140)
        #expect(data["vips"] as? [String] == ["192.0.2.100/24 dev eth0 scope global"])
        #expect(data["adver_int"] as? Int == 1, "whole seconds as an integer")
        #expect(data["last_transition"] as? Double == 1_795_828_388.25)
        #expect(data["vipset"] as? Bool == true && data["nopreempt"] as? Bool == false)
        #expect(data["auth_data"] == nil, "the password is never written")
        #expect(stats["advert_rcvd"] as? Int == 3 && stats["advert_sent"] as? Int == 120)
        #expect(stats["become_master"] as? Int == 1 && stats["release_master"] as? Int == 0)
        #expect(stats["ip_ttl_err"] as? Int == 4 && stats["auth_failure"] as? Int == 6 && stats["pri_zero_rcvd"] as? Int == 1)
        let second = try #require(entries[1]["data"] as? [String: Any])
        #expect(second["state"] as? Int == 2 && second["halo_state"] as? String == "HANDOFF")
        #expect(second["adver_int"] as? Double == 0.2)
    }

    @Test(arguments: [
        (RouterState.backup, RouterState.master, 1, 0), (.master, .handingOff, 0, 0), (.handingOff, .backup, 0, 1),
        (.master, .fault, 0, 1), (.initialize, .backup, 0, 0), (.fault, .master, 1, 0),
    ])
    func mastershipCounters(from: RouterState, to: RouterState, became: Int, released: Int) {
        var statistics = InstanceStatistics()
        statistics.countMastership(from: from, to: to)
        #expect(statistics.becameMaster == became && statistics.releasedMaster == released)
    }

    @Test func dumpFilesAreReplacedAtomicallyWithMode0644() throws {
        let directory = "/tmp/halo-dump-test-\(getpid())"
        mkdir(directory, 0o700)
        defer {
            unlink(directory + "/keepalived.data")
            rmdir(directory)
        }
        let path = directory + "/" + StateDumpFiles.fileName(.data)
        let previous = umask(0o077)
        defer { umask(previous) }
        try StateDumpFiles.write("first\n", to: path)
        try StateDumpFiles.write("second\n", to: path)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644, "readable by monitoring agents whatever the umask")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(access(path + ".\(getpid()).tmp", F_OK) != 0, "no temporary file left")
    }

    @Test func anUnwritableDirectoryIsAnErrorNamingThePath() {
        do {
            try StateDumpFiles.write("x", to: "/nonexistent-halo-dir/keepalived.data")
            Issue.record("written to a directory that does not exist")
        } catch {
            #expect("\(error)".contains("/nonexistent-halo-dir/keepalived.data"), "\(error)")
        }
    }
}

/// The same group the control tests use, for the dump's resource section.
enum ResourceStatusFixtures {
    static let group = ResourceGroupStatus(
        name: "storage", follows: "VI_1", state: "running", refusal: nil, holdsAddresses: true,
        resources: [ResourceStatus(name: "nfs", agent: "lsb:nfs-kernel-server", state: "started", failCount: 1,
                                   totalFailures: 2, lastError: "monitor: not running", lastStart: nil, lastStop: nil,
                                   lastMonitor: nil)])
}
