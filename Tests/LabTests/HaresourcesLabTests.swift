import Foundation
import Glibc
import HaloLab
import Testing

/// `haresources FILE` in a halod pair: heartbeat's line `n1 IPaddr::IP/24/eth0
/// svc::NODE::db svc::NODE::web` with `svc` a heartbeat-style script from a
/// resource directory. Each script call appends "NODE NAME ACTION ip=up|down" to
/// one order file, so the order (and whether the IPaddr address was there) is read back.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct HaresourcesLabTests {
    static let extraAddress = "192.0.2.120"

    final class Scratch {
        let directory = NSTemporaryDirectory() + "/halo-hares-lab-\(getpid())-\(UUID().uuidString.prefix(6))"
        init() throws { try FileManager.default.createDirectory(atPath: directory + "/resource.d", withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: directory) }
        var orderFile: String { directory + "/order" }
        func lines(of node: String) -> [String] {
            ((try? String(contentsOfFile: orderFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
                .filter { $0.hasPrefix(node + " ") }
        }

        /// heartbeat's calling convention: `svc NODE NAME start|stop|status`; status prints
        /// running/stopped and exits 0 either way, as old heartbeat scripts do.
        func writeScript() throws {
            let script = """
            #!/bin/sh
            state=\(directory)/"$1-$2".on
            if ip -4 addr show dev eth0 | grep -q ' \(HaresourcesLabTests.extraAddress)/'; then ip=up; else ip=down; fi
            case "$3" in
              start) echo "$1 $2 start ip=$ip" >> \(orderFile); touch "$state" ;;
              stop) echo "$1 $2 stop ip=$ip" >> \(orderFile); rm -f "$state" ;;
              status) if [ -e "$state" ]; then echo running; else echo stopped; fi ;;
            esac
            exit 0
            """
            try script.write(toFile: directory + "/resource.d/svc", atomically: true, encoding: .utf8)
            chmod(directory + "/resource.d/svc", 0o755)
        }

        /// The same line on both nodes (heartbeat's file is shared); the script's
        /// first argument tells the nodes' calls apart in the order file.
        func haresources(for node: String) throws -> String {
            let path = directory + "/haresources-\(node)"
            let text = """
            # heartbeat resource group, preferred node n1
            n1 IPaddr::\(HaresourcesLabTests.extraAddress)/24/eth0 \\
               svc::\(node)::db svc::\(node)::web
            """
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    private func config(_ node: String, priority: Int, scratch: Scratch) throws -> String {
        let state = priority > 100 ? "MASTER" : "BACKUP"
        let instance = LabConfig.instance(state: state, priority: priority, advertInterval: "0.2", version: 3, vips: ["\(PairLab.vip4)/24"])
        return instance + """
        haresources \(try scratch.haresources(for: node)) {
            follow VI_1
            resource_directory \(scratch.directory)/resource.d
            monitor_interval 1
        }

        """
    }

    private func awaitLines(_ scratch: Scratch, _ node: String, _ expected: [String], seconds: Double = 15) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if scratch.lines(of: node) == expected { return true }
            usleep(50_000)
        }
        return scratch.lines(of: node) == expected
    }

    @Test func resourcesStartInOrderOnTheMasterAndStopInReverseOnFailover() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let scratch = try Scratch()
        try scratch.writeScript()
        let n1 = try pair.halod("n1", try config("n1", priority: 150, scratch: scratch))
        // IPaddr first (the scripts see the address), then db, then web.
        let started = ["n1 db start ip=up", "n1 web start ip=up"]
        #expect(awaitLines(scratch, "n1", started), "\(n1.log)")
        #expect(pair.awaitSoleHolder("n1", of: Self.extraAddress, seconds: 6))
        let n2 = try pair.halod("n2", try config("n2", priority: 100, scratch: scratch))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 5), "\(n2.log)")
        #expect(n1.awaitLog("group haresources-n1_2 started", seconds: 5), "every start confirmed by the script's status: \(n1.log)")
        usleep(1_500_000)
        #expect(scratch.lines(of: "n2").isEmpty, "the backup starts nothing")
        #expect(pair.holders(of: Self.extraAddress) == ["n1"])

        // The master leaves: web, then db stop while the address is still up, then it goes; n2 starts the group.
        n1.signal(SIGTERM)
        #expect(awaitLines(scratch, "n1", started + ["n1 web stop ip=up", "n1 db stop ip=up"]), "\(n1.log)")
        #expect(awaitLines(scratch, "n2", ["n2 db start ip=up", "n2 web start ip=up"]), "\(n2.log)")
        #expect(pair.awaitSoleHolder("n2", of: Self.extraAddress, seconds: 6), "\(pair.logs(n1, n2))")
        #expect(pair.awaitSoleHolder("n2", seconds: 6))
    }
}
