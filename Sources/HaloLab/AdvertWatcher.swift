import Foundation
import Glibc
import HaloLinux
import HaloNet

/// Listens for VRRP adverts (IPv4 multicast) from inside a namespace and
/// records who sent each one and when, so a benchmark can time a takeover
/// from the wire: the new master's first advert after the old master's last.
public final class AdvertWatcher: @unchecked Sendable {
    public struct Heard: Sendable {
        public var source: IPAddress
        public var priority: UInt8
        /// The advert's VRID, to tell apart instances of one node.
        public var virtualRouterID: UInt8
        /// CLOCK_MONOTONIC nanoseconds.
        public var at: Int64
    }

    private let lock = NSLock()
    private var heard: [Heard] = []
    private var running = true
    private let finished = DispatchSemaphore(value: 0)

    public init(in namespace: NetworkNamespace) throws {
        let socket = try namespace.perform {
            try VRRPSocket(family: .ipv4, interface: Interface(named: "eth0"), multicastGroup: IPAddress("224.0.0.18"))
        }
        Thread { [self] in listen(socket) }.start()
    }

    private func listen(_ socket: VRRPSocket) {
        defer { finished.signal() }
        var poller = pollfd(fd: socket.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while lock.withLock({ running }) {
            guard poll(&poller, 1, 20) > 0 else { continue }
            while let datagram = try? socket.receive() {
                let at = PingProbe.now()
                // IPv4 header (IHL words) then VRRP: VRID is the second byte, priority the third.
                let bytes = datagram.bytes
                guard let first = bytes.first else { continue }
                let offset = Int(first & 0x0f) * 4 + 2
                guard bytes.count > offset else { continue }
                let heardNow = Heard(source: datagram.source, priority: bytes[offset], virtualRouterID: bytes[offset - 1], at: at)
                lock.withLock { heard.append(heardNow) }
            }
        }
    }

    public func stop() -> [Heard] {
        lock.withLock { running = false }
        finished.wait()
        return lock.withLock { heard }
    }
}

extension Array where Element == AdvertWatcher.Heard {
    /// From the last advert `old` sent before `fault` to the first live advert
    /// `new` sent after it (ns): the takeover as RFC 5798's timers define it.
    public func takeover(from old: IPAddress, to new: IPAddress, around fault: Int64) -> Int64? {
        guard let last = last(where: { $0.source == old && $0.at <= fault && $0.priority > 0 }),
              let first = first(where: { $0.source == new && $0.at > fault && $0.priority > 0 }) else { return nil }
        return first.at - last.at
    }
}
