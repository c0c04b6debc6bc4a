import Foundation
import Glibc
import HaloLab
import Testing

/// NFS over "DRBD" in a halod pair, with the storage agents for real: the DRBD
/// role from scripts/drbdadm-standin (this kernel has no DRBD module), one ext4
/// loop device standing for the replicated disk (both nodes are namespaces on
/// one kernel; each halod has its own mount namespace, as two hosts would),
/// nfs-ganesha exporting it with a fixed fsid, an extra address (builtin:ip),
/// and the VIP last. A client reads a file through libnfs' nfs-cat, a
/// userspace NFSv4 client (this kernel has no NFS client), before, during and
/// after the failover.
@Suite(.serialized, .enabled(if: LabRequirement.canRun && storageToolsInstalled,
                             "needs root, nfs-ganesha, libnfs-utils, psmisc and e2fsprogs (scripts/setup)"))
struct StorageResourceLabTests {

    static let extraAddress = "192.0.2.101"
    static let fileText = "written before the failover\n"

    /// Everything on the host side: loop device with ext4 and a file on it, per-node
    /// stand-in directories and ganesha run directories; removed at the end.
    final class Storage {
        let scratch = NSTemporaryDirectory() + "halo-storage-lab-\(getpid())-\(UUID().uuidString.prefix(6))"
        let image: String
        var device = ""

        init() throws {
            image = scratch + "/disk.img"
            try FileManager.default.createDirectory(atPath: scratch + "/mnt", withIntermediateDirectories: true)
            do {
                try Shell.run(["truncate", "-s", "64M", image])
                device = try Shell.run(["losetup", "--find", "--show", image]).trimmingCharacters(in: .whitespacesAndNewlines)
                try Shell.run(["mkfs.ext4", "-q", "-F", device])
                // The data the client will read, put on the disk before any node mounts it.
                let seed = scratch + "/seed"
                try FileManager.default.createDirectory(atPath: seed, withIntermediateDirectories: true)
                try Shell.run(["mount", device, seed])
                defer { _ = try? Shell.run(["umount", seed]) }
                try FileManager.default.createDirectory(atPath: seed + "/export", withIntermediateDirectories: true)
                try StorageResourceLabTests.fileText.write(toFile: seed + "/export/file.txt", atomically: true, encoding: .utf8)
                for node in ["n1", "n2"] {
                    let directory = stateDirectory(node)
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    try FileManager.default.createSymbolicLink(atPath: directory + "/drbdadm", withDestinationPath: Self.standIn)
                    try "r0\n".write(toFile: directory + "/resources", atomically: true, encoding: .utf8)
                    try stateDirectory(node == "n1" ? "n2" : "n1").write(toFile: directory + "/peer", atomically: true, encoding: .utf8)
                }
                // n2's first promotion fails once (DRBD still settling): the retry must carry it.
                try "1\n".write(toFile: stateDirectory("n2") + "/fail-primary", atomically: true, encoding: .utf8)
            } catch {
                release()
                throw error
            }
        }

        static let standIn = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/drbdadm-standin").path

        func stateDirectory(_ node: String) -> String { "\(scratch)/drbd-\(node)" }
        func runDirectory(_ node: String) -> String { "\(scratch)/run-\(node)" }
        var mountPoint: String { scratch + "/mnt" }

        func role(_ node: String) -> String {
            ((try? String(contentsOfFile: stateDirectory(node) + "/role-r0", encoding: .utf8)) ?? "Secondary")
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func drbdCalls(_ node: String) -> [String] {
            ((try? String(contentsOfFile: stateDirectory(node) + "/calls", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// The ganesha a node's agent started, if it still runs.
        func ganeshaPID(_ node: String) -> Int32? {
            guard let text = try? String(contentsOfFile: runDirectory(node) + "/ganesha.pid", encoding: .utf8),
                  let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8), comm.hasPrefix("ganesha") else { return nil }
            return pid
        }

        /// Kills any ganesha left behind (its mount namespace then goes, and with it the mount), detaches the loop device.
        func release() {
            for node in ["n1", "n2"] { if let pid = ganeshaPID(node) { kill(pid, SIGKILL) } }
            usleep(200_000)
            if !device.isEmpty { _ = try? Shell.run(["losetup", "-d", device]) }
            try? FileManager.default.removeItem(atPath: scratch)
        }
    }

    private func config(_ node: String, priority: Int, storage: Storage) -> String {
        let instance = LabConfig.instance(state: "BACKUP", priority: priority, advertInterval: "0.5", version: 3,
                                          vips: ["\(PairLab.vip4)/24"])
        return instance + """
        resource_group storage {
            follow VI_1
            vip_position last
            resource disk {
                agent builtin:drbd
                resource r0
                drbdadm \(storage.stateDirectory(node))/drbdadm
            }
            resource data {
                agent builtin:filesystem
                device \(storage.device)
                directory \(storage.mountPoint)
                fstype ext4
                fsck yes
            }
            resource export {
                agent builtin:nfs
                exports \(storage.mountPoint)/export
                pseudo /export
                fsid 7
                grace 0
                run_dir \(storage.runDirectory(node))
            }
            resource alias {
                agent builtin:ip
                address \(Self.extraAddress)/24
                interface eth0
            }
            monitor_interval 2
            start_timeout 60
            stop_timeout 60
        }

        """
    }

    /// "(storage) NAME: start" / "stop" lines of a node's log, in order, as "NAME start".
    private func steps(_ process: LabProcess) -> [String] {
        process.log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "(storage) ") else { return nil }
            let rest = line[range.upperBound...]
            let words = rest.split(separator: " ")
            guard words.count == 2, words[0].hasSuffix(":"), ["start", "stop"].contains(words[1]) else { return nil }
            return "\(words[0].dropLast()) \(words[1])"
        }
    }

    private func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }

    /// Watches for the VIP to appear on `node`: by then the last resource (alias, whose
    /// address is there once its start is done) has started, and so has the export
    /// before it (vip_position last): clients never reach an address without its export.
    private func vipComesLast(_ process: LabProcess, on node: String, pair: PairLab) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if pair.lab.holds(node, address: PairLab.vip4) {
                return pair.lab.holds(node, address: Self.extraAddress) && process.log.contains("(storage) alias: start")
            }
            usleep(20_000)
        }
        return false
    }

    /// One read of the file through the VIP, as the client: its text, or nil.
    private static func clientRead(_ client: NetworkNamespace) -> String? {
        try? client.run("timeout", "5", "nfs-cat", "nfs://\(PairLab.vip4)/export/file.txt?version=4")
    }

    @Test func nfsOverDRBDFollowsTheMasterInOrderAndTheClientKeepsReading() throws {
        let storage = try Storage()
        defer { storage.release() }
        let pair = try PairLab()
        defer { pair.tearDown() }

        let n1 = try pair.halod("n1", config("n1", priority: 150, storage: storage))
        #expect(vipComesLast(n1, on: "n1", pair: pair), "\(n1.log)")
        #expect(waitUntil(seconds: 60) { steps(n1) == ["disk start", "data start", "export start", "alias start"] && pair.holders(of: PairLab.vip4) == ["n1"] },
                "\(steps(n1))\n\(n1.log)")
        #expect(storage.role("n1") == "Primary")
        #expect(pair.lab.holds("n1", address: Self.extraAddress))
        #expect(waitUntil(seconds: 20) { Self.clientRead(pair.client) == Self.fileText }, "the client reads through the VIP on n1")

        let n2 = try pair.halod("n2", config("n2", priority: 100, storage: storage))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 10), "\(n2.log)")
        usleep(1_500_000)
        #expect(steps(n2).isEmpty && storage.role("n2") == "Secondary", "the backup starts nothing")

        // The client reads on while the master stops: every read until the end is recorded.
        let reads = ReadLog()
        let client = pair.client
        let reader = Thread {
            while !reads.stopped {
                let text = Self.clientRead(client)
                reads.record(text)
                usleep(200_000)
            }
        }
        reader.start()
        defer { reads.stop() }
        #expect(waitUntil(seconds: 10) { reads.successes >= 2 }, "reads succeed before the failover")

        n1.signal(SIGTERM)
        #expect(vipComesLast(n2, on: "n2", pair: pair), "\(n2.log)")
        #expect(waitUntil(seconds: 60) { steps(n1).suffix(4) == ["alias stop", "export stop", "data stop", "disk stop"] }, "\(steps(n1))\n\(n1.log)")
        #expect(waitUntil(seconds: 60) { steps(n2) == ["disk start", "data start", "export start", "alias start"] && pair.holders(of: PairLab.vip4) == ["n2"] },
                "\(steps(n2))\n\(n2.log)")
        #expect(n1.waitForExit(seconds: 30) != nil)
        #expect(storage.ganeshaPID("n1") == nil, "n1's ganesha stopped")
        #expect(storage.ganeshaPID("n2") != nil, "n2 runs its own ganesha")
        #expect(storage.role("n1") == "Secondary" && storage.role("n2") == "Primary")
        #expect(storage.drbdCalls("n1").contains("secondary r0"))
        #expect(storage.drbdCalls("n2").filter { $0 == "primary r0" }.count == 2, "one failed promotion, retried: \(storage.drbdCalls("n2"))")
        #expect(pair.lab.holds("n2", address: Self.extraAddress) && !pair.lab.holds("n1", address: Self.extraAddress))

        // The same file, through the same address, now served by n2.
        let movedAt = Date()
        #expect(waitUntil(seconds: 30) { reads.successes(since: movedAt) >= 3 }, "reads resume after the failover")
        reads.stop()
        #expect(reads.texts.allSatisfy { $0 == Self.fileText }, "only ever the same content: \(Set(reads.texts))")
        let gap = reads.longestOutageSeconds
        print("storage failover: \(reads.successes) reads ok, \(reads.failures) failed, longest outage \(String(format: "%.1f", gap)) s")
    }
}

/// The storage lab's tools: ganesha, the userspace NFS client, mkfs.ext4, fuser.
let storageToolsInstalled = ["/usr/bin/ganesha.nfsd", "/usr/bin/nfs-cat", "/usr/sbin/mkfs.ext4", "/usr/bin/fuser"]
    .allSatisfy(FileManager.default.isExecutableFile)

/// What the reading client saw, in order (thread-safe).
final class ReadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(at: Date, text: String?)] = []
    private var done = false

    var stopped: Bool { lock.withLock { done } }
    func stop() { lock.withLock { done = true } }
    func record(_ text: String?) { lock.withLock { entries.append((Date(), text)) } }
    var successes: Int { lock.withLock { entries.filter { $0.text != nil }.count } }
    var failures: Int { lock.withLock { entries.filter { $0.text == nil }.count } }
    var texts: [String] { lock.withLock { entries.compactMap(\.text) } }

    func successes(since instant: Date) -> Int { lock.withLock { entries.filter { $0.text != nil && $0.at > instant }.count } }

    /// The longest time between two successful reads.
    var longestOutageSeconds: Double {
        lock.withLock {
            let times = entries.filter { $0.text != nil }.map(\.at)
            return zip(times, times.dropFirst()).map { $1.timeIntervalSince($0) }.max() ?? 0
        }
    }
}
