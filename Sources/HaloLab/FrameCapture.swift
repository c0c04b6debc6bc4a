import Foundation
import Glibc
import HaloLinux

/// Captures Ethernet frames of one EtherType arriving on a namespace's eth0
/// (AF_PACKET), with arrival times, so tests can count announcements.
public final class FrameCapture: @unchecked Sendable {
    public struct Frame: Sendable {
        public var bytes: [UInt8]
        /// CLOCK_MONOTONIC nanoseconds.
        public var at: Int64
    }

    private let lock = NSLock()
    private var frames: [Frame] = []
    private var running = true
    private let finished = DispatchSemaphore(value: 0)

    /// `etherType` e.g. 0x0806 for ARP, 0x86DD for IPv6.
    public init(in namespace: NetworkNamespace, etherType: UInt16) throws {
        let fd = try namespace.perform { () -> Int32 in
            let fd = socket(AF_PACKET, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue), Int32(etherType.bigEndian))
            guard fd >= 0 else { throw SystemError("socket(AF_PACKET)") }
            return fd
        }
        Thread { [self] in capture(fd) }.start()
    }

    private func capture(_ fd: Int32) {
        defer { close(fd); finished.signal() }
        var buffer = [UInt8](repeating: 0, count: 2048)
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while lock.withLock({ running }) {
            guard poll(&poller, 1, 20) > 0 else { continue }
            let length = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard length > 0 else { continue }
            let frame = Frame(bytes: Array(buffer.prefix(length)), at: MonotonicClock.nanoseconds())
            lock.withLock { frames.append(frame) }
        }
    }

    public var captured: [Frame] { lock.withLock { frames } }

    public func stop() -> [Frame] {
        lock.withLock { running = false }
        finished.wait()
        return captured
    }
}
