import Foundation
import Glibc
import HaloLab

/// Runs the haloctl built next to halod, optionally as another user, and talks
/// to control sockets directly for the protocol tests.
enum HaloctlRunner {
    static var binaryPath: String {
        URL(fileURLWithPath: Halod.binaryPath).deletingLastPathComponent().appendingPathComponent("haloctl").path
    }

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// `user`: run through `setpriv` as that user (and `group`, with no supplementary groups).
    static func run(_ arguments: [String], user: String? = nil, group: String? = nil) throws -> Result {
        let process = Process()
        var command = [binaryPath] + arguments
        if let user {
            command = ["setpriv", "--reuid=\(user)", "--regid=\(group ?? user)", "--clear-groups"] + command
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                      error: String(decoding: errorData, as: UTF8.self))
    }
}

/// A raw connection to a control socket, for sending what haloctl never would.
final class RawControlConnection {
    let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// The next reply line, or nil at end of stream or timeout.
    func readLine() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while recv(fd, &byte, 1, 0) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
        return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
    }

    /// True when the server closed its end: end of stream, or a reset when it
    /// closed with our unread bytes still queued (as after an oversize line).
    var isClosedByServer: Bool {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, 0)
        return count == 0 || (count < 0 && errno == ECONNRESET)
    }
}

extension PairLab {
    /// The control socket and state directory of `host`, inside this lab's work directory.
    func controlPaths(_ host: String) throws -> (socket: String, state: String) {
        let directory = try lab.makeWorkDirectory()
        return ("\(directory)/\(host)-run/halod.sock", "\(directory)/\(host)-state")
    }

    /// halod with its own control socket and state directory.
    func controlledHalod(_ host: String, _ config: String, name: String? = nil) throws -> LabProcess {
        let paths = try controlPaths(host)
        let process = try Halod.start(name ?? "halod-\(host)", in: lab, host: host, config: config,
                                      extraArguments: ["--control-socket", paths.socket, "--state-dir", paths.state])
        adopt(process)
        return process
    }

    /// haloctl against `host`'s halod.
    func haloctl(_ host: String, _ arguments: String..., user: String? = nil, group: String? = nil) throws -> HaloctlRunner.Result {
        let paths = try controlPaths(host)
        let command = [arguments[0], "--socket", paths.socket] + arguments.dropFirst()
        return try HaloctlRunner.run(command, user: user, group: group)
    }
}
