import Foundation

/// Memory and CPU of a process tree, read from /proc.
struct ProcessStats {
    /// Resident set size and proportional set size in kB, summed over `pids`.
    static func memory(of pids: [Int32]) -> (rssKB: Int, pssKB: Int) {
        var rss = 0, pss = 0
        for pid in pids {
            rss += field("VmRSS:", in: "/proc/\(pid)/status")
            pss += field("Pss:", in: "/proc/\(pid)/smaps_rollup")
        }
        return (rss, pss)
    }

    /// CPU time in nanoseconds, summed over `pids` and their threads: the scheduler's
    /// own run time (/proc/PID/task/TID/schedstat), exact where utime + stime are
    /// sampled at the clock tick (one tick over 30 s is 0.033 %, as much as a whole
    /// idle daemon at 1 s adverts). Falls back to the ticks without schedstat.
    static func cpuNanoseconds(of pids: [Int32]) -> Int {
        pids.reduce(0) { sum, pid in
            let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            let runTimes = threads.compactMap { thread in
                (try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/schedstat", encoding: .utf8))
                    .flatMap { $0.split(separator: " ").first.flatMap { Int($0) } }
            }
            if !threads.isEmpty && runTimes.count == threads.count { return sum + runTimes.reduce(0, +) }
            return sum + cpuTicks(of: pid) * (1_000_000_000 / Int(sysconf(Int32(_SC_CLK_TCK))))
        }
    }

    /// utime + stime in clock ticks.
    private static func cpuTicks(of pid: Int32) -> Int {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name: state is field 3; utime 14 and stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }

    /// The pid and its descendants (the supervisor and its engine; keepalived and its VRRP child).
    static func tree(of root: Int32) -> [Int32] {
        var result = [root]
        var index = 0
        while index < result.count {
            let children = (try? String(contentsOfFile: "/proc/\(result[index])/task/\(result[index])/children", encoding: .utf8)) ?? ""
            result += children.split(separator: " ").compactMap { Int32($0) }
            index += 1
        }
        return result
    }

    private static func field(_ name: String, in path: String) -> Int {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return Int(line.dropFirst(name.count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
        }
        return 0
    }
}
