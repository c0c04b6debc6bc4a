import CHaloLinux
import Foundation
import Glibc
import HaloLinux

/// A client that pings an address every `period` from inside a namespace and
/// records when each reply came back, so a test or benchmark can measure the
/// client-visible gap of a failover from the client's side of the switch.
public final class PingProbe: @unchecked Sendable {
    public struct Reply: Sendable {
        public var sequence: UInt16
        /// CLOCK_MONOTONIC nanoseconds.
        public var sentAt: Int64
        public var receivedAt: Int64
    }

    private let lock = NSLock()
    private var replies: [Reply] = []
    private var sent: [UInt16: Int64] = [:]
    private var running = true
    private let finished = DispatchSemaphore(value: 0)
    private let target: [UInt8]
    private let periodNanoseconds: Int64

    /// Starts probing `target` (IPv4) from `namespace` at once.
    public init(from namespace: NetworkNamespace, target: String, periodMilliseconds: Int = 10) throws {
        guard let bytes = Self.ipv4Bytes(target) else { throw Shell.Failure(command: ["ping", target], status: 2, output: "not an IPv4 address") }
        self.target = bytes
        self.periodNanoseconds = Int64(periodMilliseconds) * 1_000_000
        let fd = try namespace.perform { () -> Int32 in
            socket(AF_INET, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue), Int32(IPPROTO_ICMP))
        }
        guard fd >= 0 else { throw Shell.Failure(command: ["socket(ICMP)"], status: errno, output: "") }
        Thread { [self] in loop(fd) }.start()
    }

    /// Stops probing and returns every reply, in arrival order.
    public func stop() -> [Reply] {
        lock.withLock { running = false }
        finished.wait()
        return lock.withLock { replies }
    }

    /// Replies so far (probing continues).
    public var snapshot: [Reply] { lock.withLock { replies } }

    /// CLOCK_MONOTONIC nanoseconds, the clock every lab timestamp uses.
    public static func now() -> Int64 { MonotonicClock.nanoseconds() }

    private func loop(_ fd: Int32) {
        defer { close(fd); finished.signal() }
        let identifier = UInt16.random(in: 1...UInt16.max)
        var sequence: UInt16 = 0
        var nextSend = Self.now()
        var buffer = [UInt8](repeating: 0, count: 1500)
        while lock.withLock({ running }) {
            let now = Self.now()
            if now >= nextSend {
                sequence &+= 1
                let packet = Self.echoRequest(identifier: identifier, sequence: sequence)
                lock.withLock { sent[sequence] = now }
                _ = halo_send_ipv4(fd, packet, packet.count, target)
                nextSend += periodNanoseconds
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let waitMilliseconds = max(0, Int32((nextSend - Self.now()) / 1_000_000))
            guard poll(&poller, 1, waitMilliseconds) > 0 else { continue }
            let length = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            let receivedAt = Self.now()
            guard length >= 28 else { continue }
            let headerLength = Int(buffer[0] & 0x0f) * 4
            guard length >= headerLength + 8, buffer[headerLength] == 0,  // echo reply
                  Array(buffer[12..<16]) == target else { continue }
            let replyID = UInt16(buffer[headerLength + 4]) << 8 | UInt16(buffer[headerLength + 5])
            let replySequence = UInt16(buffer[headerLength + 6]) << 8 | UInt16(buffer[headerLength + 7])
            guard replyID == identifier else { continue }
            lock.withLock {
                if let sentAt = sent.removeValue(forKey: replySequence) {
                    replies.append(Reply(sequence: replySequence, sentAt: sentAt, receivedAt: receivedAt))
                }
            }
        }
    }

    static func echoRequest(identifier: UInt16, sequence: UInt16) -> [UInt8] {
        var packet: [UInt8] = [8, 0, 0, 0, UInt8(identifier >> 8), UInt8(identifier & 0xff),
                               UInt8(sequence >> 8), UInt8(sequence & 0xff)] + Array("halo-probe".utf8)
        var sum: UInt32 = 0
        for i in stride(from: 0, to: packet.count, by: 2) {
            sum += UInt32(packet[i]) << 8 | (i + 1 < packet.count ? UInt32(packet[i + 1]) : 0)
        }
        while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        packet[2] = UInt8(checksum >> 8)
        packet[3] = UInt8(checksum & 0xff)
        return packet
    }

    static func ipv4Bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".").compactMap { UInt8($0) }
        return parts.count == 4 ? parts : nil
    }
}

extension Array where Element == PingProbe.Reply {
    /// The longest time the client went without a reply after `start` (ns):
    /// from `start` (or the last reply before it) to the first reply after the
    /// gap. With a 10 ms probe, a healthy path shows about 10 ms.
    public func longestSilence(after start: Int64, until end: Int64) -> Int64 {
        let times = map(\.receivedAt).sorted()
        var last = times.last { $0 <= start } ?? start
        var longest: Int64 = 0
        for t in times where t > start && t <= end {
            longest = Swift.max(longest, t - last)
            last = t
        }
        return Swift.max(longest, end - last)
    }

    /// Time from `start` to the first reply received after it (ns), nil if none.
    public func firstReply(after start: Int64) -> Int64? {
        map(\.receivedAt).filter { $0 > start }.min().map { $0 - start }
    }
}
