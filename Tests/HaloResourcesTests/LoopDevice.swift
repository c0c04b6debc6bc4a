import Foundation
import HaloLab

/// An ext4 filesystem on a loop device over a sparse file in /tmp, for
/// filesystem agent tests; `release()` unmounts whatever is still mounted from
/// it (lazily), detaches the device and removes the file, also after failures.
final class LoopDevice {
    let backingFile: String
    let device: String

    init(megabytes: Int = 64) throws {
        backingFile = NSTemporaryDirectory() + "halo-loop-\(getpid())-\(UUID().uuidString.prefix(6)).img"
        try Shell.run(["truncate", "-s", "\(megabytes)M", backingFile])
        do {
            device = try Shell.run(["losetup", "--find", "--show", backingFile]).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            try? FileManager.default.removeItem(atPath: backingFile)
            throw error
        }
        do {
            try Shell.run(["mkfs.ext4", "-q", "-F", device])
        } catch {
            release()
            throw error
        }
    }

    /// Where this device is mounted in this mount namespace (from /proc/self/mountinfo's source field).
    var mountPoints: [String] {
        let info = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return info.split(separator: "\n").compactMap { line in
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2, halves[1].split(separator: " ").dropFirst().first.map(String.init) == device else { return nil }
            return halves[0].split(separator: " ").dropFirst(4).first.map(String.init)
        }
    }

    func release() {
        for point in mountPoints.reversed() { _ = try? Shell.run(["umount", "-l", point]) }
        _ = try? Shell.run(["losetup", "-d", device])
        try? FileManager.default.removeItem(atPath: backingFile)
    }
}
