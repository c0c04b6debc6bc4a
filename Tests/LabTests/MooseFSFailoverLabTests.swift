import Foundation
import Glibc
import HaloLab
import Testing

/// builtin:mfsmaster in a halod pair sharing nothing but the network: n1 runs
/// the master, n2 runs Debian's mfsmetalogger following the VIP. n1 dies
/// (halod and mfsmaster SIGKILLed, link down); n2 restores the metalogger's
/// files and starts the master, and a file made before the failover is still
/// listed through mfsmount (FUSE) on the client. n1 comes back with its older
/// metadata: its group refuses to start mfsmaster and the VIP stays on n2.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct MooseFSFailoverLabTests {
    static let installed = ["/usr/sbin/mfsmaster", "/usr/sbin/mfsmetalogger", "/usr/bin/mfsmount", "/usr/bin/mfscli"]
        .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

    /// Per-node data directories and configs in one scratch directory (both nodes see one filesystem).
    final class Files {
        let directory = NSTemporaryDirectory() + "halo-mfs-lab-\(getpid())-\(UUID().uuidString.prefix(6))"
        init() throws { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func masterData(_ node: String) -> String { "\(directory)/\(node)-master" }
        var metaloggerData: String { "\(directory)/n2-metalogger" }
        var mountPoint: String { "\(directory)/mnt" }

        func write(_ name: String, _ text: String) throws -> String {
            let path = "\(directory)/\(name)"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// mfsmaster.cfg for `node`, starting from an empty file system.
        func masterConfig(_ node: String) throws -> String {
            try MooseFSMasterFiles.write(in: directory, configName: "\(node)-mfsmaster.cfg", dataDirectory: masterData(node)).config
        }

        func metaloggerConfig() throws -> String {
            try FileManager.default.createDirectory(atPath: metaloggerData, withIntermediateDirectories: true)
            return try write("n2-mfsmetalogger.cfg", """
                WORKING_USER = root
                WORKING_GROUP = root
                DATA_PATH = \(metaloggerData)
                MASTER_HOST = \(PairLab.vip4)
                MASTER_RECONNECTION_DELAY = 1
                META_DOWNLOAD_FREQ = 1

                """)
        }

        /// Every changelog line the metalogger holds.
        var metaloggerChanges: String {
            ((try? FileManager.default.contentsOfDirectory(atPath: metaloggerData)) ?? []).filter { $0.hasPrefix("changelog_ml") }
                .compactMap { try? String(contentsOfFile: "\(metaloggerData)/\($0)", encoding: .utf8) }.joined()
        }

        /// The live pid holding `node`'s master lock, if any.
        func masterPid(_ node: String) -> Int32? {
            let text = (try? String(contentsOfFile: "\(masterData(node))/.mfsmaster.lock", encoding: .utf8)) ?? ""
            guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0, kill(pid, 0) == 0 else { return nil }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return stat.contains(") Z") ? nil : pid
        }
    }

    static func halodConfig(_ node: String, priority: Int, files: Files, masterConfig: String, peer: String) -> String {
        let instance = LabConfig.instance(state: priority > 100 ? "MASTER" : "BACKUP", priority: priority, advertInterval: "0.5",
                                          version: 3, vips: ["\(PairLab.vip4)/24"])
        var resource = ["    resource master {", "        agent builtin:mfsmaster", "        config \(masterConfig)",
                        "        data_dir \(files.masterData(node))", "        peer \(peer)"]
        if node == "n2" { resource.append("        metalogger_data_dir \(files.metaloggerData)") }
        return instance + (["resource_group mfs {", "    follow VI_1"] + resource
            + ["    }", "    monitor_interval 2", "    start_timeout 60", "    stop_timeout 60", "    failure_timeout 600", "}"])
            .joined(separator: "\n") + "\n"
    }

    /// Mounts the file system through the VIP on the client, runs `commands` in it, unmounts;
    /// one shell, so the FUSE mount lives in that shell's mount namespace only.
    static func onClient(_ pair: PairLab, _ files: Files, _ commands: String) -> String? {
        let mount = files.mountPoint
        let script = "mkdir -p \(mount) && mfsmount -H \(PairLab.vip4) \(mount) >/dev/null 2>&1 && cd \(mount) && \(commands); "
            + "status=$?; cd /; umount \(mount) 2>/dev/null || fusermount3 -u \(mount) 2>/dev/null; exit $status"
        return try? pair.client.run("timeout", "30", "sh", "-c", script)
    }

    static func listed(_ pair: PairLab, _ files: Files) -> [String] {
        (onClient(pair, files, "ls") ?? "").split(separator: "\n").map(String.init)
    }

    static func awaitListing(_ pair: PairLab, _ files: Files, contains names: [String], seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if Set(names).isSubset(of: listed(pair, files)) { return true }
            usleep(500_000)
        }
        return false
    }

    @Test func metaloggerNodeTakesOverAndStaleMasterRefusesToStart() throws {
        // Not a skip: where the lab runs (root, CI) these are installed by scripts/setup.
        try #require(Self.installed, "needs moosefs-master, moosefs-metalogger, moosefs-client, moosefs-cli (scripts/setup)")
        let pair = try PairLab()
        defer { pair.tearDown() }
        let files = try Files()
        let n1Config = try files.masterConfig("n1"), n2Config = try files.masterConfig("n2")
        let n1 = try pair.halod("n1", Self.halodConfig("n1", priority: 150, files: files, masterConfig: n1Config, peer: "192.0.2.12"))
        #expect(pair.awaitSoleHolder("n1", seconds: 10), "\(n1.log)")
        #expect(Self.eventually(seconds: 30) { files.masterPid("n1") != nil }, "\(n1.log)")
        let n2 = try pair.halod("n2", Self.halodConfig("n2", priority: 100, files: files, masterConfig: n2Config, peer: "192.0.2.11"))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 10), "\(n2.log)")
        let metalogger = try LabProcess("mfsmetalogger-n2", in: pair.lab.host("n2"),
                                        arguments: ["mfsmetalogger", "-f", "-c", try files.metaloggerConfig()], logDirectory: files.directory)
        pair.adopt(metalogger)

        // A file made through the master before the failover, and seen by the metalogger.
        // The first mount may come while the master still sets up its client port: retried.
        #expect(Self.eventually(seconds: 30) { Self.onClient(pair, files, "touch before-failover") != nil }, "mfsmount through the VIP failed\n\(n1.log)")
        #expect(Self.eventually(seconds: 30) { files.metaloggerChanges.contains("before-failover") }, "\(metalogger.log)")
        #expect(files.masterPid("n2") == nil, "the backup starts no master")

        // n1 dies: its link goes first (a node that is gone answers nothing, not even n2's
        // version query to its master), then its halod and master are killed.
        try pair.lab.setLink(of: "n1", up: false)
        n1.kill()
        if let pid = files.masterPid("n1") { kill(pid, SIGKILL) }
        #expect(n2.awaitLog("restoring metadata from metalogger files in \(files.metaloggerData)", seconds: 30), "\(n2.log)")
        // (The dead n1 still has the address on its cut link, so n2 holds it, not alone.)
        #expect(pair.lab.awaitAddress(PairLab.vip4, on: "n2", seconds: 30), "\(n2.log)")
        #expect(Self.eventually(seconds: 30) { files.masterPid("n2") != nil }, "\(n2.log)")
        #expect(Self.awaitListing(pair, files, contains: ["before-failover"], seconds: 30), "\(n2.log)")
        // n2 moves on: its metadata is now newer than anything n1 has.
        #expect(Self.eventually(seconds: 30) { Self.onClient(pair, files, "touch after-failover") != nil })

        // n1 comes back (its old VIP removed as a reboot would): it must not start its stale master.
        _ = try? pair.lab.host("n1").run("ip", "addr", "del", "\(PairLab.vip4)/24", "dev", "eth0")
        try pair.lab.setLink(of: "n1", up: true)
        let n1Again = try pair.halod("n1", Self.halodConfig("n1", priority: 150, files: files, masterConfig: n1Config, peer: "192.0.2.12"),
                                     name: "halod-n1-again")
        #expect(n1Again.awaitLog("refusing to start mfsmaster: local metadata version", seconds: 60), "\(n1Again.log)")
        #expect(n1Again.log.contains("last known from 192.0.2.12"), "\(n1Again.log)")
        #expect(files.masterPid("n1") == nil, "the stale master was started\n\(n1Again.log)")
        #expect(pair.awaitSoleHolder("n2", seconds: 30), "\(pair.logs(n1Again, n2))")
        #expect(Self.eventually(seconds: 30) { files.masterPid("n2") != nil }, "\(n2.log)")
        #expect(Self.awaitListing(pair, files, contains: ["before-failover", "after-failover"], seconds: 30), "\(pair.logs(n1Again, n2))")
        #expect(files.masterPid("n1") == nil)
    }

    static func eventually(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(200_000)
        }
        return condition()
    }
}
