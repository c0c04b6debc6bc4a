import Glibc
import HaloLinux
import HaloNet
import VRRP

/// `builtin:ip`, heartbeat's IPaddr: an address added to an interface through
/// the daemon's netlink socket (the VIPs' code path) and announced with
/// gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) so
/// neighbours move their caches to this node; stop removes it.
public final class BuiltinIPAgent: BuiltinAgent {
    public let prefix: IPPrefix
    public let interfaceName: String
    public let label: String?
    public let announcements: Int
    /// Between announcements (keepalived's default gratuitous-ARP repeat is 1 s apart too).
    public var announcementSpacingNanoseconds: Int64 = 1_000_000_000
    /// Opened on first use when the context has none (tests of the agent alone).
    private var ownNetlink: NetlinkSocket?

    public init(parameters: [String: String]) throws {
        let parameters = BuiltinAgentParameters(agent: "ip", parameters)
        let text = try parameters.required("address")
        guard text.contains("/"), let prefix = IPPrefix(text) else {
            throw BuiltinAgentError("builtin:ip: 'address' '\(text)' is not an address with a prefix length")
        }
        self.prefix = prefix
        interfaceName = try parameters.required("interface")
        label = parameters.values["label"]
        announcements = try parameters.integer("announcements", default: 3, in: 0...100)
    }

    public func run(_ action: AgentAction, timeoutMilliseconds: Int, context: BuiltinAgentContext,
                    completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let result: AgentResult
        do {
            let netlink = try netlink(context)
            let interface = try Interface(named: interfaceName)
            let address = InterfaceAddress(prefix: prefix, interfaceIndex: interface.index, label: label, noDAD: true)
            switch action {
            case .start: result = try add(address, on: interface, netlink: netlink, context: context)
            case .stop: result = try remove(address, netlink: netlink)
            case .monitor, .probe: result = try isPresent(address, netlink: netlink) ? .success : .notRunning
            }
        } catch let error as SystemError where error.code == ENODEV {
            // No such interface: nothing of ours can be on it.
            result = action == .start ? .failed(reason: "interface \(interfaceName) does not exist", hard: true)
                : action == .stop || action == .probe ? (action == .stop ? .success : .notRunning)
                : .failed(reason: "interface \(interfaceName) does not exist", hard: false)
        } catch {
            result = .failed(reason: "\(prefix) on \(interfaceName): \(error)", hard: action == .start)
        }
        context.finish(result, nil, completion)
    }

    private func netlink(_ context: BuiltinAgentContext) throws -> NetlinkSocket {
        if let netlink = context.netlink { return netlink }
        if let ownNetlink { return ownNetlink }
        let made = try NetlinkSocket()
        ownNetlink = made
        return made
    }

    private func add(_ address: InterfaceAddress, on interface: Interface, netlink: NetlinkSocket,
                     context: BuiltinAgentContext) throws -> AgentResult {
        do {
            try netlink.addAddress(address)
            context.log("added \(prefix) to \(interfaceName)")
        } catch let error as SystemError where error.code == EEXIST {
            // Already there (adopted after a restart): still announce, the neighbours may point elsewhere.
        }
        try announce(on: interface, context: context)
        return .success
    }

    private func remove(_ address: InterfaceAddress, netlink: NetlinkSocket) throws -> AgentResult {
        do {
            try netlink.removeAddress(address)
        } catch let error as SystemError where error.code == EADDRNOTAVAIL {
            // Already gone: stopped is what was asked.
        }
        return .success
    }

    private func isPresent(_ address: InterfaceAddress, netlink: NetlinkSocket) throws -> Bool {
        let family: AddressFamily = if case .v4 = prefix.address { .ipv4 } else { .ipv6 }
        return try netlink.addresses(family: family, interfaceIndex: address.interfaceIndex)
            .contains { $0.prefix.address == prefix.address }
    }

    /// The first frame now, the rest spaced on the loop (the start does not wait for them).
    private func announce(on interface: Interface, context: BuiltinAgentContext) throws {
        guard announcements > 0, let mac = MACAddress(bytes: interface.macAddress) else { return }
        let frame: [UInt8] = switch prefix.address {
        case .v4(let address): GratuitousARP(senderMAC: mac, address: address).frame()
        case .v6(let address): UnsolicitedNeighborAdvertisement(senderMAC: mac, address: address).frame()
        }
        let socket = try FrameSocket(interface: interface)
        try socket.send(frame: frame)
        for repeatIndex in 1..<announcements {
            context.after(nanoseconds: Int64(repeatIndex) * announcementSpacingNanoseconds) { [log = context.log, prefix] in
                do { try socket.send(frame: frame) } catch { log("announcing \(prefix): \(error)") }
            }
        }
    }
}
