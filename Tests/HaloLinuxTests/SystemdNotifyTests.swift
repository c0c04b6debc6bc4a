import CHaloLinux
import Foundation
import Glibc
import HaloLab
import HaloLinux
import Testing

/// A datagram socket standing in for systemd's notification socket: what
/// sd_notify senders write to NOTIFY_SOCKET, one message per datagram.
final class NotifyReceiver {
    let fileDescriptor: Int32
    let address: String

    /// `address`: a path, or "@name" for an abstract socket.
    init(address: String) throws {
        self.address = address
        fileDescriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fileDescriptor >= 0 else { throw SystemError("socket") }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(address.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fileDescriptor, $0, length) }
        }
        guard bound == 0 else {
            close(fileDescriptor)
            throw SystemError("bind(\(address))")
        }
    }

    deinit {
        close(fileDescriptor)
        if address.hasPrefix("/") { unlink(address) }
    }

    /// The next datagram, or nil after `seconds` without one.
    func receive(seconds: Double) -> String? {
        var poller = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(seconds * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fileDescriptor, &buffer, buffer.count, 0)
        return count < 0 ? nil : String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    /// Reads messages until one satisfies `match` or `seconds` pass; returns all read.
    func collect(seconds: Double, until match: (String) -> Bool) -> [String] {
        let deadline = Date().addingTimeInterval(seconds)
        var messages: [String] = []
        while Date() < deadline {
            guard let message = receive(seconds: max(0.01, deadline.timeIntervalSinceNow)) else { continue }
            messages.append(message)
            if match(message) { break }
        }
        return messages
    }
}

@Suite struct SystemdNotifySocketTests {
    @Test func sendsOneDatagramToAPathSocket() throws {
        let path = "/tmp/halo-notify-\(getpid())-path.sock"
        let receiver = try NotifyReceiver(address: path)
        try SystemdNotifySocket(address: path).send(["READY=1", "STATUS=VI_1 MASTER"])
        #expect(receiver.receive(seconds: 2) == "READY=1\nSTATUS=VI_1 MASTER")
    }

    @Test func sendsToAnAbstractSocket() throws {
        let name = "@halo-notify-\(getpid())-abstract"
        let receiver = try NotifyReceiver(address: name)
        try SystemdNotifySocket(address: name).send(["WATCHDOG=1"])
        #expect(receiver.receive(seconds: 2) == "WATCHDOG=1")
    }

    @Test func aMissingSocketIsAnErrorNamingIt() throws {
        let socket = try SystemdNotifySocket(address: "/tmp/halo-notify-\(getpid())-absent.sock")
        #expect(throws: SystemError.self) { try socket.send(["READY=1"]) }
        do {
            try socket.send(["READY=1"])
        } catch let error as SystemError {
            #expect(error.code == ENOENT)
            #expect(error.operation.contains("halo-notify-\(getpid())-absent.sock"))
        }
    }

    @Test func relativeAndVsockAddressesAreRefused() {
        #expect(throws: SystemError.self) { try SystemdNotifySocket(address: "run/notify") }
        #expect(throws: SystemError.self) { try SystemdNotifySocket(address: "vsock:2:1234") }
        #expect(throws: SystemError.self) { try SystemdNotifySocket(address: "/" + String(repeating: "x", count: 200)) }
    }

    @Test func watchdogIntervalIsHalfOfWatchdogUsecForThisProcessOnly() {
        let mine: Set<Int32> = [4242, 17]
        func interval(_ environment: [String: String]) -> Int64?? {
            SystemdNotifyEnvironment(environment, acceptedWatchdogPIDs: mine).map(\.watchdogPingInterval)
        }
        #expect(interval([:]) == nil)
        #expect(interval(["NOTIFY_SOCKET": ""]) == nil)
        #expect(interval(["NOTIFY_SOCKET": "/run/systemd/notify"]) == .some(nil))
        #expect(interval(["NOTIFY_SOCKET": "/n", "WATCHDOG_USEC": "10000000"]) == .some(5_000_000_000))
        #expect(interval(["NOTIFY_SOCKET": "/n", "WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "17"]) == .some(5_000_000_000))
        #expect(interval(["NOTIFY_SOCKET": "/n", "WATCHDOG_USEC": "10000000", "WATCHDOG_PID": "99"]) == .some(nil))
        #expect(interval(["NOTIFY_SOCKET": "/n", "WATCHDOG_USEC": "0"]) == .some(nil))
        #expect(interval(["NOTIFY_SOCKET": "/n", "WATCHDOG_USEC": "soon"]) == .some(nil))
    }
}

/// A real halod (supervisor + engine) in a lab namespace, started the way
/// systemd starts a Type=notify unit: NOTIFY_SOCKET and WATCHDOG_USEC in its
/// environment, the socket a datagram socket this test reads.
@Suite(.enabled(if: LabRequirement.canRun, "needs root for network namespaces"), .serialized)
struct SystemdNotifyLabTests {
    @Test func halodReportsReadyStatusWatchdogAndStopping() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        try lab.addHost("n1", addresses: ["192.0.2.11/24"])
        let directory = try lab.makeWorkDirectory()
        let receiver = try NotifyReceiver(address: "\(directory)/notify.sock")
        let configPath = "\(directory)/halod.conf"
        try LabConfig.instance(state: "MASTER", priority: 150, advertInterval: "0.1", version: 3, vips: ["192.0.2.100/24"])
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = receiver.address
        environment["WATCHDOG_USEC"] = "400000"
        let halod = try LabProcess(
            "halod", in: lab.host("n1"),
            arguments: [Halod.binaryPath, "--log-console", "-f", configPath, "--control-socket", "\(directory)/halod.sock",
                        "--state-dir", "\(directory)/state"],
            logDirectory: directory, environment: environment)
        defer { halod.kill() }

        let startup = receiver.collect(seconds: 20) { $0.contains("READY=1") }
        try #require(startup.contains { $0.contains("READY=1") }, "no READY=1; got \(startup)\n\(halod.log)")
        let ready = startup.first { $0.contains("READY=1") } ?? ""
        #expect(ready.contains("STATUS=VI_1 BACKUP"), "first status: \(ready)")

        let untilMaster = receiver.collect(seconds: 15) { $0.contains("STATUS=VI_1 MASTER") }
        #expect(untilMaster.contains { $0.contains("STATUS=VI_1 MASTER") }, "no MASTER status; got \(untilMaster)\n\(halod.log)")
        #expect(lab.awaitAddress("192.0.2.100", on: "n1", seconds: 5))

        // 200 ms pings: several within two seconds, even on a loaded machine.
        var pings = 0
        _ = receiver.collect(seconds: 2) { message in
            if message == "WATCHDOG=1" { pings += 1 }
            return false
        }
        #expect(pings >= 3, "\(pings) WATCHDOG=1 in 2 s at WATCHDOG_USEC=400000")

        // systemctl reload: RELOADING=1 when the engine starts reading the file, READY=1 when done.
        halod.signal(SIGHUP)
        let reloading = receiver.collect(seconds: 15) { $0.contains("READY=1") }
        let reloadingIndex = reloading.firstIndex { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") }
        let readyIndex = reloading.firstIndex { $0.contains("READY=1") }
        #expect(reloadingIndex != nil && readyIndex != nil && reloadingIndex! < readyIndex!, "after SIGHUP: \(reloading)\n\(halod.log)")

        halod.signal(SIGTERM)
        let stopping = receiver.collect(seconds: 15) { $0.contains("STOPPING=1") }
        let stop = stopping.first { $0.contains("STOPPING=1") }
        #expect(stop != nil, "no STOPPING=1; got \(stopping)\n\(halod.log)")
        #expect(stop?.contains("STATUS=stopping: VI_1 HANDING-OFF") == true, "\(stop ?? "")")
        #expect(halod.waitForExit(seconds: 15) == 0, "\(halod.log)")
    }

    @Test func watchdogMeantForAnotherProcessIsNotPinged() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        try lab.addHost("n1", addresses: ["192.0.2.11/24"])
        let directory = try lab.makeWorkDirectory()
        let receiver = try NotifyReceiver(address: "\(directory)/notify.sock")
        let configPath = "\(directory)/halod.conf"
        try LabConfig.instance(state: "BACKUP", priority: 100, vips: ["192.0.2.100/24"])
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = receiver.address
        environment["WATCHDOG_USEC"] = "200000"
        environment["WATCHDOG_PID"] = "1"
        let halod = try LabProcess(
            "halod", in: lab.host("n1"),
            arguments: [Halod.binaryPath, "-f", configPath, "--control-socket", "\(directory)/halod.sock",
                        "--state-dir", "\(directory)/state"],
            logDirectory: directory, environment: environment)
        defer { halod.kill() }

        let startup = receiver.collect(seconds: 20) { $0.contains("READY=1") }
        try #require(startup.contains { $0.contains("READY=1") }, "no READY=1; got \(startup)\n\(halod.log)")
        let later = receiver.collect(seconds: 1.5) { _ in false }
        #expect(!(startup + later).contains { $0.contains("WATCHDOG=1") }, "\(startup + later)")
        halod.signal(SIGTERM)
        #expect(halod.waitForExit(seconds: 15) == 0, "\(halod.log)")
    }
}
