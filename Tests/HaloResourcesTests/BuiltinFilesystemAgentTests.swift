import Foundation
import Glibc
import HaloLab
import HaloResources
import Testing

/// builtin:filesystem on a real ext4 loop device: mount with fsck, monitor with
/// the write probe, refusals read from /proc/self/mountinfo, and a busy umount
/// whose users are killed (SIGTERM, then SIGKILL for one that ignores it).
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for loop devices and mount"))
struct BuiltinFilesystemAgentTests {
    private func agent(_ device: String, _ directory: String, _ extra: [String: String] = [:]) throws -> BuiltinFilesystemAgent {
        try BuiltinFilesystemAgent(parameters: ["device": device, "directory": directory, "fstype": "ext4"].merging(extra) { _, new in new })
    }

    @Test func mountsAfterFsckMonitorsWithAWriteProbeAndUnmounts() throws {
        let scratch = try ScratchDirectory("fs"), loop = try LoopDevice()
        defer { loop.release(); scratch.remove() }
        let directory = scratch.path + "/data"  // created by the agent
        let fs = try agent(loop.device, directory, ["fsck": "yes", "check_write": "yes", "options": "noatime"])
        #expect(try BuiltinAgentHarness.results(fs, [.probe, .start, .monitor, .start]) == [.notRunning, .success, .success, .success])
        #expect(loop.mountPoints == [directory], "mounted once, at the directory (a second start adopts it)")
        let mountinfo = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(mountinfo.split(separator: "\n").contains { $0.contains(" \(directory) ") && $0.contains("noatime") && $0.contains(" - ext4 ") })
        try "kept".write(toFile: directory + "/file", atomically: true, encoding: .utf8)
        #expect(try BuiltinAgentHarness.results(fs, [.stop, .monitor, .stop]) == [.success, .notRunning, .success])
        #expect(loop.mountPoints.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory + "/file"), "the file lives on the device, not the directory")
        // Mounted again: the file written before is there (same device, same data).
        #expect(try BuiltinAgentHarness.results(fs, [.start]) == [.success])
        #expect((try? String(contentsOfFile: directory + "/file", encoding: .utf8)) == "kept")
        #expect(try BuiltinAgentHarness.results(fs, [.stop]) == [.success])
    }

    @Test func refusesADeviceMountedElsewhereAndADirectoryHoldingAnotherMount() throws {
        let scratch = try ScratchDirectory("fs-refuse"), loop = try LoopDevice()
        defer { loop.release(); scratch.remove() }
        let other = try LoopDevice()
        defer { other.release() }
        let elsewhere = scratch.path + "/elsewhere", wanted = scratch.path + "/wanted"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try Shell.run(["mount", loop.device, elsewhere])
        let fs = try agent(loop.device, wanted)
        let refused = try BuiltinAgentHarness.results(fs, [.start, .probe])
        #expect(refused[0] == .failed(reason: "\(loop.device) is already mounted on \(elsewhere); refusing to mount it a second time", hard: true))
        #expect(refused[1] == .notRunning, "mounted elsewhere is not running here")
        #expect(loop.mountPoints == [elsewhere])

        try FileManager.default.createDirectory(atPath: wanted, withIntermediateDirectories: true)
        try Shell.run(["mount", other.device, wanted])
        try Shell.run(["umount", elsewhere])
        let covered = try BuiltinAgentHarness.results(fs, [.start])
        #expect(covered == [.failed(reason: "\(wanted) already has \(other.device) (ext4) mounted on it; refusing to mount \(loop.device) over it", hard: true)])
        #expect(loop.mountPoints.isEmpty && other.mountPoints == [wanted])
    }

    @Test func aBusyMountHasItsUsersKilledAndThenUnmounts() throws {
        let scratch = try ScratchDirectory("fs-busy"), loop = try LoopDevice()
        defer { loop.release(); scratch.remove() }
        let directory = scratch.path + "/data"
        let fs = try agent(loop.device, directory)
        #expect(try BuiltinAgentHarness.results(fs, [.start]) == [.success])
        // One user holds a file open and dies on SIGTERM; the other ignores SIGTERM and sits in the mount.
        try "x".write(toFile: directory + "/open", atomically: true, encoding: .utf8)
        let holder = try MountUser("exec 3<\(directory)/open; exec sleep 600")
        let stubborn = try MountUser("trap '' TERM; cd \(directory) && while :; do sleep 1; done")
        defer { holder.kill(); stubborn.kill() }
        #expect(eventually { (try? Shell.run(["fuser", "-m", directory])).map { !$0.isEmpty } ?? false }, "users in place")
        let log = Box<[String]>([])
        let steps = try BuiltinAgentHarness.run(fs, [.stop, .monitor], log: log)
        #expect(steps.map(\.result) == [.success, .notRunning], "\(log.value)")
        #expect(loop.mountPoints.isEmpty)
        #expect(log.value.contains { $0.contains("sending SIGTERM to its users") }, "\(log.value)")
        #expect(log.value.contains { $0.contains("sending SIGKILL to its users") }, "the TERM-ignoring user needs KILL: \(log.value)")
        #expect(eventually(seconds: 5) { !holder.process.isRunning && !stubborn.process.isRunning })
    }

    @Test func missingDeviceFailsTheMountWithMountsMessage() throws {
        let scratch = try ScratchDirectory("fs-missing")
        let fs = try agent(scratch.path + "/no-such-device", scratch.path + "/data")
        let results = try BuiltinAgentHarness.results(fs, [.start, .probe, .stop])
        #expect(BuiltinAgentHarness.isFailure(results[0], containing: "mount -t ext4"), "\(results)")
        #expect(BuiltinAgentHarness.isFailure(results[0], containing: "no-such-device"), "\(results)")
        #expect(Array(results.dropFirst()) == [.notRunning, .success])
    }

    @Test func mountinfoParsingUnescapesPathsAndMatchesBlockDevicesByNumber() {
        let table = MountTable(mountinfo: """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            40 22 7:3 / /srv/my\\040data rw,noatime shared:20 - ext4 /dev/loop3 rw
            41 40 0:50 / /srv/my\\040data rw - tmpfs tmpfs rw
            broken line
            """)
        #expect(table.entries.count == 3)
        #expect(table.mount(at: "/srv/my data/")?.fstype == "tmpfs", "the later mount covers the earlier one")
        #expect(table.entries[1].mountPoint == "/srv/my data" && table.entries[1].deviceNumber == "7:3")
        #expect(table.mounts(of: "tmpfs").map(\.mountPoint) == ["/srv/my data"])
    }
}

/// Polls `condition` for up to `seconds`.
func eventually(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}

/// A shell command run as a user of a mount; killed at the end of the test if still alive.
final class MountUser {
    let process = Process()

    init(_ script: String) throws {
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
    }

    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
