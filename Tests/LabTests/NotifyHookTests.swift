import Foundation
import Glibc
import HaloLab
import Testing

/// Notify hooks and the notify FIFO on a real node: exact argv, event order
/// under flapping, one hook at a time, timeouts that kill the hook's process
/// group, and adverts that stay on time while hooks or scripts hang.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct NotifyHookTests {
    /// keepalived's words for the states halod logs ("Entering X STATE"); INIT at shutdown is STOP.
    private func notifiedStates(in log: String) -> [String] {
        log.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "(VI_1) Entering ") else { return nil }
            let state = line[range.upperBound...].prefix { $0 != " " }
            switch state {
            case "MASTER", "BACKUP", "FAULT": return String(state)
            case "INIT": return "STOP"
            default: return nil
            }
        }
    }

    /// Live (non-zombie) processes with `argument` in their command line.
    private func processes(withArgument argument: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                  String(decoding: data, as: UTF8.self).split(separator: "\0").contains(Substring(argument)),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            return !stat.contains(") Z")
        }
    }

    @Test func hooksGetTheExactArgvInEventOrderUnderRapidFlapping() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let hookLog = try pair.workPath("hooks.log")
        let fifoLog = try pair.workPath("fifo.log")
        let fifo = try pair.workPath("notify.fifo")
        let flag = try pair.workPath("flap")
        // Each hook takes 50 ms before it writes: hooks run concurrently or out of order would interleave.
        let hook = try pair.script("hook.sh", "#!/bin/bash\nsleep 0.05\nprintf '%s|' \"$@\" >> \(hookLog)\necho >> \(hookLog)\n")
        let fifoReader = try pair.script("fifo.sh", "#!/bin/bash\nwhile read -r line; do echo \"$line\" >> \(fifoLog); done < \"$1\"\n")
        let config = LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["\(PairLab.vip4)/24"],
            globalLines: ["notify_fifo \(fifo)", "notify_fifo_script \(fifoReader)"],
            instanceLines: ["track_file {", "    flap", "}",
                            "notify_master \"\(hook) master 'two words' plain\"",
                            "notify_backup \(hook) backup", "notify_fault \(hook) fault", "notify_stop \(hook) stop",
                            "notify \(hook) generic"])
            .replacingOccurrences(of: "vrrp_instance VI_1 {", with: "vrrp_track_file flap {\n    file \(flag)\n    weight 0\n}\nvrrp_instance VI_1 {")
        try "0\n".write(toFile: flag, atomically: false, encoding: .utf8)
        let n1 = try pair.halod("n1", config)
        #expect(pair.awaitSoleHolder("n1", seconds: 4), "\(n1.log)")
        // Flap: fault, clear, fault, ... faster than the hooks can run.
        for round in 0..<6 {
            try "\(round % 2 == 0 ? 1 : 0)\n".write(toFile: flag, atomically: false, encoding: .utf8)
            usleep(40_000)
        }
        try "0\n".write(toFile: flag, atomically: false, encoding: .utf8)
        #expect(n1.awaitLog("fault cleared", seconds: 2))
        #expect(pair.awaitSoleHolder("n1", seconds: 3), "\(n1.log)")
        n1.signal(SIGTERM)
        #expect(n1.waitForExit(seconds: 10) == 0, "\(n1.log)")

        let states = notifiedStates(in: n1.log)
        #expect(states.filter { $0 == "FAULT" }.count >= 2, "flapping produced too few transitions: \(states)")
        #expect(states.last == "STOP")
        let specific = ["MASTER": "master|two words|plain|", "BACKUP": "backup|", "FAULT": "fault|", "STOP": "stop|"]
        let expected = states.flatMap { [specific[$0]!, "generic|INSTANCE|VI_1|\($0)|150|"] }
        #expect(lines(ofFile: hookLog) == expected, "\(n1.log)")
        #expect(lines(ofFile: fifoLog) == states.map { "INSTANCE \"VI_1\" \($0) 150" }, "\(n1.log)")
    }

    @Test func aHungHookIsKilledWithItsGroupAtItsTimeoutWhileAdvertsStayOnTime() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let childFile = try pair.workPath("hook-child.pid")
        // The leader dies on SIGTERM; its child ignores SIGTERM and must still die (SIGKILL to the group).
        let hung = try pair.script("hung.sh", "#!/bin/bash\n(trap '' TERM; exec sleep 1000) &\necho $! > \(childFile)\nwait\n")
        let n1 = try pair.halod("n1", LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.01", version: 3, vips: ["\(PairLab.vip4)/24"],
            globalLines: ["notify_timeout 1"], instanceLines: ["notify_master \(hung)"]))
        #expect(n1.awaitLog("Entering MASTER STATE", seconds: 3), "\(n1.log)")
        #expect(n1.awaitLog("after timeout", seconds: 3), "\(n1.log)")
        let line = try #require(n1.log.split(separator: "\n").first { $0.contains("notify_master") && $0.contains("after timeout") })
        #expect(line.contains("killed by signal 15 after timeout"), "\(line)")
        let milliseconds = try #require(Int(line.components(separatedBy: " in ").last?.prefix { $0.isNumber } ?? ""))
        #expect(milliseconds >= 1000 && milliseconds < 1300, "hook killed after \(milliseconds) ms, timeout 1000 ms")
        print("hung notify hook: killed \(milliseconds) ms after it started (notify_timeout 1 s)")
        let child = try #require(pid_t(String(contentsOfFile: childFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        usleep(2_500_000)
        #expect(kill(child, 0) != 0 || (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8))?.contains(") Z") == true,
                "the hook's child that ignored SIGTERM is still alive")
        n1.signal(SIGTERM)
        #expect(n1.waitForExit(seconds: 10) == 0)
        let lateness = try #require(advertLateness(in: n1.log), "\(n1.log)")
        print("advert send lateness with a hung hook (advert_int 0.01): p50 \(lateness.p50) ms, p99 \(lateness.p99) ms, max \(lateness.max) ms over \(lateness.count)")
        #expect(lateness.count > 250)
        // Loose on purpose (lab suites run in parallel on 2 cores); a loop blocked by a
        // hanging child would be late by its whole timeout, hundreds of times this.
        #expect(lateness.p99 < 50, "p99 \(lateness.p99) ms")
        #expect(lateness.max < 500, "max \(lateness.max) ms")
    }

    @Test func fiftyHungScriptsDoNotDelayAdverts() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        // Ignores SIGTERM, so each timeout ends with the SIGKILL to its group.
        let hang = try pair.script("hang.sh", "#!/bin/bash\ntrap '' TERM\nsleep 987.25 &\nwait\n")
        let names = (1...50).map { "hang_\($0)" }
        let scripts = names.map { "vrrp_script \($0) {\n    script \(hang)\n    interval 1\n    timeout 2\n    weight 1\n}\n" }.joined()
        let config = LabConfig.instance(
            state: "MASTER", priority: 150, advertInterval: "0.01", version: 3, vips: ["\(PairLab.vip4)/24"],
            instanceLines: ["track_script {"] + names.map { "    \($0)" } + ["}"])
            .replacingOccurrences(of: "vrrp_instance VI_1 {", with: scripts + "vrrp_instance VI_1 {")
        let n1 = try pair.halod("n1", config)
        #expect(n1.awaitLog("Entering MASTER STATE", seconds: 3), "\(n1.log)")
        usleep(6_000_000)
        n1.signal(SIGTERM)
        #expect(n1.waitForExit(seconds: 10) == 0, "\(n1.log)")
        let summary = try #require(n1.log.split(separator: "\n").first { $0.contains("Script hang_1: ") && $0.contains(" runs, ") })
        #expect(summary.contains("timed out") && !summary.contains(" 0 timed out") && !summary.contains(" 0 skipped"), "\(summary)")
        let lateness = try #require(advertLateness(in: n1.log), "\(n1.log)")
        print("advert send lateness with 50 hung scripts (advert_int 0.01): p50 \(lateness.p50) ms, p99 \(lateness.p99) ms, max \(lateness.max) ms over \(lateness.count); \(summary)")
        #expect(lateness.count > 400)
        // Loose on purpose (lab suites run in parallel on 2 cores); a loop blocked by a
        // hanging child would be late by its whole timeout, hundreds of times this.
        #expect(lateness.p99 < 50, "p99 \(lateness.p99) ms")
        #expect(lateness.max < 500, "max \(lateness.max) ms")
        #expect(!n1.log.contains("FAULT"))
        // Scripts that ignore SIGTERM do not outlive the daemon.
        usleep(200_000)
        #expect(processes(withArgument: "987.25").isEmpty)
    }
}
