import Glibc
import HaloLinux
import HaloNet
import Logging
import VRRP

/// The VRRP engine: builds the runtimes from the configuration, owns the
/// sockets, and feeds kernel events and timers into the routers, all on one
/// event-loop thread.
public final class Engine {
    let loop: EventLoop
    let logger: Logger
    let netlink: NetlinkSocket
    private let events: NetlinkSocket
    /// Replaced by a reload (EngineReload.swift).
    var configuration: EngineConfiguration
    var groups: [GroupRuntime] = []
    var receivers: [SocketKey: AdvertReceiver] = [:]
    var frameSockets: [String: FrameSocket] = [:]
    /// Runtimes a reload took out. Kept referenced: timers and process callbacks
    /// they armed capture them unowned, and may still fire once.
    var retired: [AnyObject] = []
    /// Groups a reload starts once the groups they replace have stopped.
    var pendingStarts: [PendingGroupStart] = []
    private var stopping = false
    /// Called on the loop thread once a shutdown has finished.
    var onStopped: (() -> Void)?
    /// Runs track scripts and hooks without blocking the loop.
    let processes: ProcessRunner
    var notifier: Notifier?
    var scriptTrackers: [String: ScriptTracker] = [:]
    var fileWatcher: TrackFileWatcher?
    /// Standby and failover holds, and the socket haloctl talks to.
    var operatorControl: OperatorControl?
    var controlServer: ControlServer?
    /// READY/STATUS/WATCHDOG/STOPPING to systemd (EngineSystemdNotify.swift); nil outside a Type=notify unit.
    var systemdNotifier: EngineSystemdNotifier?
    var isStopping: Bool { stopping }

    public init(configuration: EngineConfiguration, loop: EventLoop, logger: Logger) throws {
        self.configuration = configuration
        self.loop = loop
        self.logger = logger
        netlink = try NetlinkSocket()
        events = try NetlinkSocket(groups: NetworkEvent.groups)
        processes = try ProcessRunner(loop: loop)
    }

    var instances: [InstanceRuntime] { groups.flatMap(\.members) }

    /// Resolves interfaces, clears VIPs a crashed run left behind, opens the
    /// sockets and starts every router. Loop thread only.
    public func start() throws {
        for (name, members) in configuration.groupedInstances {
            do {
                try startGroup(name: name, members: members)
            } catch {
                logger.error("(\(name)) cannot start: \(error)")
            }
        }
        attachResourceGroups()
        try openReceivers()
        startTrackersAndHooks()
        try loop.watchReadable(events.fileDescriptor) { [unowned self] in readNetworkEvents() }
        try readTrackers(of: groups, cause: "trackers at start")
        let control = OperatorControl(engine: self)
        operatorControl = control
        for group in groups { group.handleForAll(.startup) }
        control.restoreStandby()
        openControlSocket()
        // 2 ms apart: 50 scripts spawn over 100 ms instead of in one burst that would delay an advert.
        for (index, tracker) in scriptTrackers.values.sorted(by: { $0.spec.name < $1.spec.name }).enumerated() {
            tracker.start(after: Int64(index) * 2_000_000)
        }
    }

    @discardableResult
    func startGroup(name: String, members: [InstanceSpec]) throws -> GroupRuntime {
        var resolved: [(InstanceSpec, Interface, IPAddress)] = []
        for spec in members {
            let interface = try Interface(named: spec.interface)
            guard let primary = try spec.sourceAddress ?? primaryAddress(of: interface, family: spec.family) else {
                throw DaemonError.noSourceAddress(instance: spec.name, interface: spec.interface, family: spec.family)
            }
            resolved.append((spec, interface, primary))
        }
        let group = GroupRuntime(
            name: name, group: RouterGroup(members: resolved.map { $0.0.routerConfiguration(primaryAddress: $0.2) }),
            engine: self, syncGroupNotify: configuration.syncGroups.first { $0.name == name }?.notify)
        for (index, (spec, interface, primary)) in resolved.enumerated() {
            let socket = try sharedSocket(interface: interface, family: spec.family, spec: spec, primary: primary)
            let runtime = try InstanceRuntime(
                spec: spec, interface: interface, primaryAddress: primary, socket: socket,
                frames: try frameSocket(for: interface), memberIndex: index, group: group)
            // Addresses a crashed run left behind must go before we join the election.
            let removed = runtime.virtualAddresses.remove(using: netlink, logger: logger)
            if removed > 0 { logger.warning("(\(spec.name)) removed \(removed) virtual address(es) left by an earlier run") }
            group.members.append(runtime)
        }
        groups.append(group)
        return group
    }

    /// Links, scripts and files as they are now, fed into `groups` before they
    /// join (or rejoin) the election.
    func readTrackers(of groups: [GroupRuntime], cause: String) throws {
        let links = try netlink.links()
        let known = Set(links.map(\.name))
        for instance in groups.flatMap(\.members) {
            for link in links { instance.linkChanged(link) }
            for name in [instance.spec.interface] + instance.spec.trackedInterfaces.map(\.name) where !known.contains(name) {
                instance.linkChanged(LinkStatus(interfaceIndex: 0, name: name, isUp: false, hasCarrier: false))
            }
        }
        // File values (and init_fail scripts) count from the start, before the first election.
        for group in groups {
            for member in group.members.indices { group.trackersChanged(member: member, cause: cause) }
        }
    }

    private func primaryAddress(of interface: Interface, family: AddressFamily) throws -> IPAddress? {
        switch family {
        case .ipv4: try interface.primaryIPv4(using: netlink).map(IPAddress.v4)
        case .ipv6: try interface.linkLocalIPv6(using: netlink).map(IPAddress.v6)
        }
    }

    // MARK: - Sockets: one per interface and family, shared by the instances there

    struct SocketKey: Hashable { var interface: String; var family: AddressFamily }
    var sockets: [SocketKey: VRRPSocket] = [:]
    /// The multicast group each socket joined (none: unicast only so far).
    var joinedGroups: [SocketKey: IPAddress] = [:]

    func sharedSocket(interface: Interface, family: AddressFamily, spec: InstanceSpec, primary: IPAddress) throws -> VRRPSocket {
        let key = SocketKey(interface: interface.name, family: family)
        if let socket = sockets[key] { return socket }
        let multicast = configuration.instances.contains { $0.interface == interface.name && $0.family == family && $0.unicastPeers == nil }
        let group = configuration.instances.first { $0.interface == interface.name && $0.family == family && $0.unicastPeers == nil }?.group
        var source6: IPv6Address?
        if case .v6(let address) = primary { source6 = address }
        let socket = try VRRPSocket(family: family, interface: interface, multicastGroup: multicast ? group : nil, source6: source6)
        sockets[key] = socket
        if multicast, let group { joinedGroups[key] = group }
        return socket
    }

    func frameSocket(for interface: Interface) throws -> FrameSocket {
        if let socket = frameSockets[interface.name] { return socket }
        let socket = try FrameSocket(interface: interface)
        frameSockets[interface.name] = socket
        return socket
    }

    /// One receiver per socket, serving the instances on its interface and family;
    /// a socket no instance uses any more is closed. Called again after a reload.
    func openReceivers() throws {
        for (key, socket) in sockets {
            let members = instances.filter { $0.spec.interface == key.interface && $0.spec.family == key.family }
            if members.isEmpty {
                loop.unwatch(socket.fileDescriptor)
                receivers[key] = nil
                sockets[key] = nil
                joinedGroups[key] = nil
            } else if let receiver = receivers[key] {
                receiver.serve(members)
            } else {
                let receiver = AdvertReceiver(socket: socket, instances: members, logger: logger)
                receivers[key] = receiver
                try loop.watchReadable(socket.fileDescriptor) { receiver.readAvailable() }
            }
        }
    }

    // MARK: - Kernel events

    private func readNetworkEvents() {
        let received: [NetworkEvent]
        do {
            received = try events.readEvents()
        } catch {
            // ENOBUFS: we missed events; re-read the link table so no carrier change is lost.
            logger.warning("netlink events: \(error); resynchronising links")
            if let links = try? netlink.links() {
                for instance in instances { links.forEach(instance.linkChanged) }
            }
            return
        }
        for event in received {
            switch event {
            case .link(let status):
                for instance in instances { instance.linkChanged(status) }
            case .linkRemoved(let index, let name):
                for instance in instances {
                    instance.linkChanged(LinkStatus(interfaceIndex: index, name: name, isUp: false, hasCarrier: false))
                }
            case .addressRemoved(let address):
                for instance in instances { instance.addressRemoved(address) }
            case .addressAdded:
                break
            }
        }
    }

    func stateChanged(_ instance: InstanceRuntime, from: RouterState, to: RouterState, reason: RouterStateChangeReason) {
        operatorControl?.stateChanged(instance, from: from, to: to)
        systemdStateChanged()
        if let word = notifyWord(for: to, retiring: instance.group.onRetired != nil) {
            notifier?.stateChanged(.instance, name: instance.spec.name, notify: instance.spec.notify, state: word,
                                   priority: Int(instance.router.effectivePriority))
        }
    }

    /// After a group carried out a batch of actions (and queued its GROUP hooks):
    /// during a shutdown, see whether everything has stopped.
    func groupActionsPerformed() {
        finishRetirements()
        if stopping { finishShutdownIfDone() }
    }

    /// keepalived's state words for hooks and the FIFO; Init counts as STOP only at shutdown.
    func notifyWord(for state: RouterState, retiring: Bool = false) -> String? {
        switch state {
        case .master: "MASTER"
        case .backup: "BACKUP"
        case .fault: "FAULT"
        case .initialize: stopping || retiring ? "STOP" : nil
        case .handingOff: nil
        }
    }

    // MARK: - Shutdown

    /// Planned stop: every master hands off (priority 0, VIPs kept until the
    /// successor is heard or the bound passes); then `onStopped` runs.
    public func shutdown() {
        guard !stopping else { return }
        stopping = true
        logger.info("shutting down: handing off mastership")
        for tracker in scriptTrackers.values { tracker.stop() }
        for group in groups { group.handleForAll(.shutdown) }
        // Whatever the routers do, never hang: after the longest bound plus a margin, force it.
        let longest = instances.map { $0.router.configuration.effectiveHandoffBound.nanoseconds }.max() ?? 0
        loop.schedule(at: MonotonicClock.nanoseconds() + longest + 1_000_000_000) { [unowned self] in
            guard onStopped != nil, !groups.allSatisfy(\.isStopped) else { return }
            logger.warning("hand-off did not finish in time; removing virtual addresses")
            for instance in instances where instance.holdsAddresses { instance.perform(.removeVirtualAddresses) }
            awaitHooksThenStop()
        }
        finishShutdownIfDone()
    }

    private func finishShutdownIfDone() {
        guard groups.allSatisfy(\.isStopped) else { return }
        awaitHooksThenStop()
    }

    private var awaitingHooks = false

    /// notify_stop hooks (and any still queued) finish first; each is bounded by
    /// its timeout, and the whole wait by the timeout plus the kill grace period.
    private func awaitHooksThenStop() {
        guard onStopped != nil, !awaitingHooks else { return }
        awaitingHooks = true
        let bound = configuration.hooks.notifyTimeoutNanoseconds + 3_000_000_000
        loop.schedule(at: MonotonicClock.nanoseconds() + bound) { [unowned self] in
            if onStopped != nil { logger.warning("notify hooks still running at exit") }
            completeShutdown()
        }
        if let notifier { notifier.whenIdle { [unowned self] in completeShutdown() } } else { completeShutdown() }
    }

    private func completeShutdown() {
        guard let onStopped else { return }
        self.onStopped = nil
        controlServer?.stop()
        operatorControl?.cancelHolds()
        for instance in instances { instance.cancelAllTimers() }
        // Hooks are done (or past their timeout); what is left (the FIFO reader, a
        // check ignoring SIGTERM) must not outlive the daemon, nor be started again.
        notifier?.stopRestarting()
        processes.killAll()
        logStatistics()
        onStopped()
    }

    /// One line per instance and per receive socket: what a stop leaves for the operator.
    func logStatistics() {
        for tracker in scriptTrackers.values.sorted(by: { $0.spec.name < $1.spec.name }) { logger.info("\(tracker.summary)") }
        for instance in instances {
            let s = instance.statistics
            logger.info("(\(instance.spec.name)) adverts sent \(s.advertsSent), received \(s.advertsReceived), transitions \(s.transitions); advert send lateness \(s.advertLateness.summary)")
        }
        for (interface, family, drops) in dropCounts where !drops.isEmpty {
            let list = drops.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            logger.info("\(interface) \(family) drops: \(list)")
        }
    }

    /// Drop counters per interface and family, for logs and status.
    var dropCounts: [(interface: String, family: AddressFamily, drops: [DropReason: Int])] {
        receivers.values.map { ($0.socket.interface.name, $0.socket.family, $0.drops) }
    }
}

public enum DaemonError: Error, CustomStringConvertible {
    case noSourceAddress(instance: String, interface: String, family: AddressFamily)

    public var description: String {
        switch self {
        case .noSourceAddress(let instance, let interface, let family):
            "(\(instance)) \(interface) has no \(family == .ipv4 ? "IPv4 address" : "IPv6 link-local address") to send adverts from"
        }
    }
}
