// For SOCK_* and sockaddr_un: glibc's socket headers can be owned by CHaloLinux's module.
import CHaloLinux
import Foundation
import Glibc
import HaloLab
import Testing

/// halod's log lines reaching syslog and journald for real: syslog(3) writes
/// to /dev/log, here a datagram socket the test binds, linked in as /dev/log
/// inside halod's own mount namespace (an overlay over /dev, so the host's
/// /dev is untouched); journald's native socket is the same kind of catcher,
/// named through HALO_JOURNAL_SOCKET.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct LogDestinationLabTests {
    /// A bound Unix datagram socket that collects what is sent to it.
    private final class DatagramCatcher {
        let path: String
        let fd: Int32
        private(set) var received: [[UInt8]] = []

        init(path: String) throws {
            self.path = path
            unlink(path)
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard fd >= 0, bound == 0 else { throw TCPExchange.Failure(description: "bind \(path): \(String(cString: strerror(errno)))") }
            chmod(path, 0o666)
        }

        deinit {
            close(fd)
            unlink(path)
        }

        /// Reads datagrams until one satisfies `match` (returned) or `seconds` pass (nil).
        func await(seconds: Double, _ match: ([UInt8]) -> Bool) -> [UInt8]? {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while Date() < deadline {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                guard count > 0 else { continue }
                let datagram = Array(buffer[..<count])
                received.append(datagram)
                if match(datagram) { return datagram }
            }
            return nil
        }
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private func startHalod(_ pair: PairLab, directory: String, arguments: [String], environment: [String: String] = [:],
                            wrapper: (([String]) -> [String])? = nil) throws -> LabProcess {
        let configPath = "\(directory)/n1.conf"
        try LabConfig.instance(state: "MASTER", priority: 150, vips: ["\(PairLab.vip4)/24"])
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let command = [Halod.binaryPath, "--dont-fork", "--use-file", configPath, "--pid", "\(directory)/n1.pid",
                       "--control-socket", "\(directory)/n1.sock", "--state-dir", "\(directory)/n1.state"] + arguments
        let process = try LabProcess("halod-n1", in: pair.lab.host("n1"), arguments: wrapper?(command) ?? command,
                                     logDirectory: directory,
                                     environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        pair.adopt(process)
        return process
    }

    @Test func journaldGetsStructuredEntriesWithTheInstanceName() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let directory = try pair.lab.makeWorkDirectory()
        let journal = try DatagramCatcher(path: "\(directory)/journal.sock")
        let halod = try startHalod(pair, directory: directory, arguments: ["--log-journal"],
                                   environment: ["HALO_JOURNAL_SOCKET": journal.path])
        let entry = journal.await(seconds: 10) { text($0).contains("MESSAGE=(VI_1) Entering MASTER STATE") }
        let fields = try #require(entry.map { text($0).split(separator: "\n").map(String.init) },
                                  "no journal entry for the transition; got \(journal.received.map(text)); stderr:\n\(halod.log)")
        #expect(fields.contains("PRIORITY=6"), "\(fields)")
        #expect(fields.contains("SYSLOG_IDENTIFIER=halod"))
        #expect(fields.contains("HALO_INSTANCE=VI_1"))
        #expect(fields.contains { $0.hasPrefix("CODE_FILE=") })
        // A line about no instance has no HALO_INSTANCE field.
        let general = journal.received.map(text).first { $0.contains("MESSAGE=VRRP engine running") }
        #expect(general != nil && !general!.contains("HALO_INSTANCE="), "\(journal.received.map(text))")
        // The journal replaces stderr (no -l): the engine's lines are not written twice.
        #expect(!halod.log.contains("Entering MASTER STATE"), "\(halod.log)")
    }

    @Test func syslogGetsTheFacilityFromDashS() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let directory = try pair.lab.makeWorkDirectory()
        let syslog = try DatagramCatcher(path: "\(directory)/log.sock")
        let overlay = "\(directory)/dev-overlay"
        try FileManager.default.createDirectory(atPath: overlay, withIntermediateDirectories: true)
        // `ip netns exec` gives the shell its own mount namespace: the overlay and the link exist only there.
        let halod = try startHalod(pair, directory: directory, arguments: ["-S", "3", "--log-console"]) { command in
            ["sh", "-c", """
            set -e
            mount -t tmpfs tmpfs \(overlay)
            mkdir \(overlay)/upper \(overlay)/work
            mount -t overlay overlay -o lowerdir=/dev,upperdir=\(overlay)/upper,workdir=\(overlay)/work /dev
            rm -f /dev/log
            ln -s \(syslog.path) /dev/log
            exec "$@"
            """, "sh"] + command
        }
        let line = syslog.await(seconds: 10) { text($0).contains("(VI_1) Entering MASTER STATE") }
        let message = try #require(line.map(text), "nothing on /dev/log; got \(syslog.received.map(text)); stderr:\n\(halod.log)")
        // <PRI> = LOG_LOCAL3 (19 << 3) + LOG_INFO (6) = 158.
        #expect(message.hasPrefix("<158>"), "\(message)")
        #expect(message.contains(" halod["), "ident and pid: \(message)")
        #expect(halod.log.contains("(VI_1) Entering MASTER STATE"), "-l keeps stderr too:\n\(halod.log)")
        #expect(!FileManager.default.fileExists(atPath: "/dev/log") || (try? FileManager.default.destinationOfSymbolicLink(atPath: "/dev/log")) != syslog.path,
                "the host's /dev is untouched")
    }
}
