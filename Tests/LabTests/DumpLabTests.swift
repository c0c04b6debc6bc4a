import Foundation
import Glibc
import HaloControl
import HaloLab
import Testing

/// keepalived's dump signals on a running halod pair (through the supervisor and
/// to the engine directly) and `haloctl dump`: the files keepalived's tools read,
/// with the state and counters `haloctl status` shows.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct DumpLabTests {
    /// SIGRTMIN+2 as glibc numbers it (keepalived's JSON signal).
    static let jsonSignal = __libc_current_sigrtmin() + 2

    /// n1 MASTER 150 and n2 BACKUP 100, each dumping into its own directory.
    private func startPair(_ pair: PairLab) throws -> (n1: LabProcess, n2: LabProcess, dumps: [String: String]) {
        let work = try pair.lab.makeWorkDirectory()
        var dumps: [String: String] = [:]
        var nodes: [LabProcess] = []
        for (host, state, priority) in [("n1", "MASTER", 150), ("n2", "BACKUP", 100)] {
            let directory = "\(work)/\(host)-dumps"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            dumps[host] = directory
            let config = LabConfig.instance(state: state, priority: priority, advertInterval: "0.1", version: 3,
                                            vips: ["\(PairLab.vip4)/24"], globalLines: ["state_dump_directory \(directory)"])
            nodes.append(try pair.controlledHalod(host, config))
            if host == "n1" { #expect(pair.awaitSoleHolder("n1", seconds: 6), "\(nodes[0].log)") }
        }
        #expect(nodes[1].awaitLog("Entering BACKUP STATE", seconds: 3), "\(nodes[1].log)")
        #expect(nodes[1].awaitLog("control socket", seconds: 3))
        usleep(500_000)
        return (nodes[0], nodes[1], dumps)
    }

    /// Waits for a dump file (any, or one that replaced the file with inode `replacing`) and
    /// returns its text. A new dump is told by its inode, not its text: every dump is a fresh
    /// file renamed over the last, and two dumps within one advert interval read the same.
    private func awaitDump(_ path: String, replacing previous: ino_t? = nil, seconds: Double = 5) -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let inode = inode(of: path), inode != previous,
               let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty { return text }
            usleep(20_000)
        }
        return nil
    }

    private func inode(of path: String) -> ino_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_ino : nil
    }

    /// `Key: N` of the first instance in a stats dump: a two-space line when
    /// `section` is nil, else a four-space line under `  section:`.
    private func counter(_ stats: String, section: String?, key: String) -> Int? {
        var current: String?
        let firstInstance = stats.components(separatedBy: "\nVRRP Instance: ")[0]
        for line in firstInstance.split(separator: "\n").map(String.init) {
            if line.hasPrefix("    ") {
                if let section, current == section, line.hasPrefix("    \(key): ") { return Int(line.dropFirst(6 + key.count)) }
            } else if line.hasPrefix("  ") {
                current = line.hasSuffix(":") ? String(line.dropFirst(2).dropLast()) : nil
                if section == nil, line.hasPrefix("  \(key): ") { return Int(line.dropFirst(4 + key.count)) }
            }
        }
        return nil
    }

    private func status(_ pair: PairLab, _ host: String) throws -> InstanceStatus {
        let result = try pair.haloctl(host, "status", "--json")
        #expect(result.status == 0, "\(result.error)")
        let reply = try ControlEncoding.decode(ControlReply.self, from: Array(result.output.trimmingCharacters(in: .newlines).utf8))
        return try #require(reply.status?.instances.first { $0.name == "VI_1" })
    }

    @Test func signalsWriteKeepalivedsFilesWithTheStateAndCountersOfTheStatus() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2, dumps) = try startPair(pair)
        let n1Engine = try #require(n1.enginePID, "\(n1.log)")

        // SIGUSR1 to the supervisor (the pid keepalived's tools find): forwarded to the engine.
        n1.signal(SIGUSR1)
        let data = try #require(awaitDump("\(dumps["n1"]!)/keepalived.data"), "\(n1.log)")
        let lines = data.split(separator: "\n").map(String.init)
        #expect(lines.first == "------< Global definitions >------")
        #expect(lines.contains(" VRRP Instance = VI_1"), "\(data)")
        #expect(lines.contains("  State = MASTER") && lines.contains("  Virtual Router ID = 51"), "\(data)")
        #expect(lines.contains("  Priority = 150") && lines.contains("    192.0.2.100/24 dev eth0 scope global"), "\(data)")
        var info = stat()
        #expect(stat("\(dumps["n1"]!)/keepalived.data", &info) == 0 && info.st_mode & 0o777 == 0o644)

        // SIGUSR2 straight to the engine; the counters never run ahead of a later status.
        kill(n2.enginePID ?? n2.pid, SIGUSR2)
        let stats = try #require(awaitDump("\(dumps["n2"]!)/keepalived.stats"), "\(n2.log)")
        #expect(stats.hasPrefix("VRRP Instance: VI_1\n  Advertisements:\n"), "\(stats)")
        let backup = try status(pair, "n2")
        let received = try #require(counter(stats, section: "Advertisements", key: "Received"), "\(stats)")
        #expect(received > 0 && received <= backup.adverts.received, "dump \(received), status later \(backup.adverts.received)")
        #expect(counter(stats, section: nil, key: "Became master") == 0, "n2 has never been master: \(stats)")
        #expect(counter(stats, section: "Priority Zero", key: "Sent") == backup.adverts.priorityZeroSent)
        for heading in ["  Packet Errors:", "  Authentication Errors:", "    Address List: 0", "  Released master: 0"] {
            #expect(stats.contains(heading + (heading.hasSuffix(":") ? "\n" : "")), "\(heading) missing: \(stats)")
        }

        // The JSON signal, to the supervisor and to the engine.
        n1.signal(Self.jsonSignal)
        let json = try #require(awaitDump("\(dumps["n1"]!)/keepalived.json"), "\(n1.log)")
        let master = try status(pair, "n1")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], "\(json)")
        let entry = try #require(entries.first)
        let fields = try #require(entry["data"] as? [String: Any])
        let counters = try #require(entry["stats"] as? [String: Any])
        #expect(fields["iname"] as? String == "VI_1" && fields["state"] as? Int == 2 && fields["vrid"] as? Int == 51)
        #expect(fields["vips"] as? [String] == ["192.0.2.100/24 dev eth0 scope global"])
        #expect(fields["effective_priority"] as? Int == master.effectivePriority)
        #expect(counters["become_master"] as? Int == 1, "\(json)")
        let sent = try #require(counters["advert_sent"] as? Int)
        #expect(sent > 0 && sent <= master.adverts.sent, "dump \(sent), status later \(master.adverts.sent)")
        let firstJSON = try #require(inode(of: "\(dumps["n1"]!)/keepalived.json"))
        kill(n1Engine, Self.jsonSignal)
        let again = try #require(awaitDump("\(dumps["n1"]!)/keepalived.json", replacing: firstJSON), "a second dump replaces the first")
        #expect(again.hasPrefix("[{\"data\":"))

        // Nothing was killed by a signal it did not expect, and no temporary files remain.
        #expect(n1.enginePID == n1Engine && kill(n1Engine, 0) == 0, "\(n1.log)")
        #expect(!n1.log.contains("engine killed by signal"), "\(n1.log)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dumps["n1"]!).sorted()
        #expect(left == ["keepalived.data", "keepalived.json"], "\(left)")
    }

    @Test func haloctlDumpPrintsTheDumpsWithoutWritingFiles() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2, dumps) = try startPair(pair)
        let data = try pair.haloctl("n2", "dump")
        #expect(data.status == 0, "\(data.error)\n\(pair.logs(n1, n2))")
        #expect(data.output.contains(" VRRP Instance = VI_1\n") && data.output.contains("  State = BACKUP\n"), "\(data.output)")
        #expect(data.output.contains("  Master router = 192.0.2.11\n"), "\(data.output)")
        let stats = try pair.haloctl("n1", "dump", "--stats")
        #expect(stats.status == 0 && stats.output.contains("  Became master: 1\n"), "\(stats.output)")
        let json = try pair.haloctl("n1", "dump", "--json")
        #expect(json.status == 0)
        let entries = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect((entries?.first?["data"] as? [String: Any])?["iname"] as? String == "VI_1", "\(json.output)")
        let both = try pair.haloctl("n1", "dump", "--stats", "--json")
        #expect(both.status != 0 && both.error.contains("choose one"), "\(both)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dumps["n1"]!).isEmpty, "haloctl dump writes no file")
    }
}
