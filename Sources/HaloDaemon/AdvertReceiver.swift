import HaloLinux
import HaloNet
import Logging
import VRRP

/// The receive side of one interface and family: one raw socket, checked
/// against every instance configured there, then handed to the instance
/// with the advert's VRID. Drops are counted per reason.
final class AdvertReceiver {
    let socket: VRRPSocket
    private(set) var policy: ReceivePolicy
    private var instances: [UInt8: InstanceRuntime] = [:]
    private(set) var drops: [DropReason: Int] = [:]
    private let logger: Logger

    init(socket: VRRPSocket, instances: [InstanceRuntime], logger: Logger) {
        self.socket = socket
        self.logger = logger
        policy = ReceivePolicy(family: socket.family, ownAddresses: [], instances: [])
        serve(instances)
    }

    /// The instances on this socket (again after a reload), keeping the drop counts.
    func serve(_ instances: [InstanceRuntime]) {
        var own = Set(instances.map(\.primaryAddress))
        own.formUnion(instances.compactMap(\.spec.sourceAddress))
        policy = ReceivePolicy(family: socket.family, ownAddresses: own, instances: instances.map { $0.spec.receiveExpectation() })
        self.instances = Dictionary(instances.map { ($0.spec.virtualRouterID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Reads everything waiting on the socket.
    func readAvailable() {
        while true {
            let datagram: ReceivedDatagram
            do {
                guard let next = try socket.receive() else { return }
                datagram = next
            } catch {
                logger.error("receive on \(socket.interface.name): \(error)")
                return
            }
            let outcome: ReceiveOutcome
            switch socket.family {
            case .ipv4:
                outcome = policy.evaluate(ipv4Packet: datagram.bytes)
            case .ipv6:
                outcome = policy.evaluate(
                    payload: datagram.bytes, source: datagram.source,
                    destination: datagram.destination ?? VRRPWire.group(for: .ipv6),
                    hopLimit: UInt8(clamping: datagram.hopLimit ?? 0))
            }
            switch outcome {
            case .accepted(let received):
                guard let instance = instances[received.advertisement.virtualRouterID] else { continue }
                instance.statistics.advertsReceived += 1
                if received.advertisement.priority == 0 { instance.statistics.priorityZeroReceived += 1 }
                for warning in received.warnings {
                    let count = instance.statistics.warnings[warning.kind, default: 0] + 1
                    instance.statistics.warnings[warning.kind] = count
                    if count == 1 || count % 100 == 0 {
                        logger.warning("(\(instance.spec.name)) advert from \(received.source): \(warning) (\(count) so far)")
                    }
                }
                instance.group.handle(.advertReceived(received.advertisement, from: received.source), member: instance.memberIndex)
            case .dropped(let reason, let vrid):
                let count = drops[reason, default: 0] + 1
                drops[reason] = count
                // Log the first few of each reason, then every hundredth: a flood must not flood the log.
                if count <= 5 || count % 100 == 0 {
                    let owner = vrid.flatMap { instances[$0] }.map { "(\($0.spec.name)) " } ?? ""
                    logger.warning("\(owner)dropped advert from \(datagram.source) on \(socket.interface.name): \(reason) (\(count) so far)")
                }
            }
        }
    }
}
