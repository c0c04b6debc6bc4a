import HaloLinux
import HaloNet
import Logging
import VRRP

/// One running VRRP instance: the kernel resources it uses and what it has
/// done, driven by its router group. Lives on the engine's loop thread.
final class InstanceRuntime {
    // The fields a steady master's advert reads and writes come first, side by side:
    // after 10 ms asleep an advert pays for each cache line it touches far more
    // than for its instructions.
    /// Strong, though the group owns its members: groups live as long as the engine
    /// (retired ones are kept), and reaching an `unowned` one checks its count every time.
    let group: GroupRuntime
    let loop: EventLoop
    let memberIndex: Int
    let socket: VRRPSocket
    let primaryAddress: IPAddress
    private(set) var state: RouterState = .initialize
    private var ipIdentification: UInt16 = 0
    private var advertDeadline: Int64 = 0
    /// The router's timers, by `RouterTimer.rawValue`: made once, re-armed for each deadline.
    private var timers: [LoopTimer] = []
    /// Where adverts go, each with the last packet sent there: while the advert stays the same
    /// (it does, interval after interval, for a steady master), it is re-stamped, not encoded again.
    private var destinations: [AdvertDestination]
    var statistics = InstanceStatistics()

    private(set) var spec: InstanceSpec
    let interface: Interface
    private(set) var virtualAddresses: VirtualAddresses
    let frames: FrameSocket
    private(set) var holdsAddresses = false
    private(set) var lastTransition: (from: RouterState, to: RouterState, reason: RouterStateChangeReason, at: Int64)?
    private var announcementTimers: Set<LoopTimer> = []
    /// Links (tracked or own) currently without carrier.
    var linksDown: Set<String> = []

    init(spec: InstanceSpec, interface: Interface, primaryAddress: IPAddress, socket: VRRPSocket,
         frames: FrameSocket, memberIndex: Int, group: GroupRuntime) throws {
        self.spec = spec
        self.interface = interface
        self.primaryAddress = primaryAddress
        self.socket = socket
        self.frames = frames
        self.memberIndex = memberIndex
        self.group = group
        loop = group.engine.loop
        virtualAddresses = try VirtualAddresses(instance: spec.name, specs: spec.allAddresses, defaultInterface: interface)
        destinations = AdvertDestination.all(of: spec)
        timers = RouterTimer.allCases.map { timer in
            loop.makeTimer { [unowned self] in timerFired(timer) }
        }
    }

    var router: VirtualRouter { group.group.router(memberIndex) }
    var logger: Logger { group.engine.logger }

    // MARK: - Actions

    func perform(_ action: RouterAction) {
        switch action {
        case .sendAdvertisement(let advertisement): send(advertisement)
        case .addVirtualAddresses where group.resources != nil:
            break  // the resource group adds them at vip_position
        case .removeVirtualAddresses where group.resources != nil:
            cancelAnnouncements()  // the resource group removes them once what stands on them stopped
        case .announceVirtualAddresses where group.resources != nil && !holdsAddresses:
            break  // announced when the resource group adds them
        case .addVirtualAddresses:
            virtualAddresses.add(using: group.engine.netlink, logger: logger)
            holdsAddresses = true
        case .removeVirtualAddresses:
            cancelAnnouncements()
            holdsAddresses = false
            virtualAddresses.remove(using: group.engine.netlink, logger: logger)
        case .announceVirtualAddresses(let reason): announce(reason)
        case .scheduleTimer(let timer, let deadline):
            if timer == .advert { advertDeadline = deadline.nanoseconds }
            loop.arm(timers[timer.rawValue], at: deadline.nanoseconds)
        case .cancelTimer(let timer):
            loop.cancel(timers[timer.rawValue])
        case .stateChanged(let from, let to, let reason):
            state = to
            lastTransition = (from, to, reason, MonotonicClock.nanoseconds())
            statistics.transitions += 1
            statistics.countMastership(from: from, to: to)
            logger.info("(\(spec.name)) Entering \(to) STATE (\(reason))")
            group.engine.stateChanged(self, from: from, to: to, reason: reason)
            group.resources?.routersChanged(from: from, to: to)
        }
    }

    /// Runs from the loop's timer pass, which read the clock once for all due timers.
    private func timerFired(_ timer: RouterTimer) {
        let now = loop.timersDueAt
        if timer == .advert, state == .master {
            statistics.advertLateness.record(now - advertDeadline)
        }
        group.handle(.timerFired(timer), member: memberIndex, at: VRRPInstant(nanoseconds: now))
    }

    private func send(_ advertisement: Advertisement) {
        for index in destinations.indices {
            let destination = destinations[index].address
            do {
                let unchanged = destinations[index].lastSent == advertisement
                switch (primaryAddress, destination) {
                case (.v4(let source), .v4(let target)):
                    ipIdentification = IPv4AdvertisementPacket.nextIdentification(after: ipIdentification)
                    if unchanged {
                        // In place: the stored buffer is the only reference, so nothing is copied.
                        IPv4AdvertisementPacket.restamp(&destinations[index].packet, identification: ipIdentification)
                    } else {
                        destinations[index].packet = try IPv4AdvertisementPacket(
                            advertisement: advertisement, source: source, destination: target,
                            identification: ipIdentification
                        ).encoded(checksum: spec.checksum)
                        destinations[index].lastSent = advertisement
                    }
                default:
                    if !unchanged {
                        destinations[index].packet = try advertisement.encodePayload(
                            source: primaryAddress, destination: destination, checksum: spec.checksum)
                        destinations[index].lastSent = advertisement
                    }
                }
                try socket.send(destinations[index].packet, to: destination)
                statistics.advertsSent += 1
                if advertisement.priority == Priority.leaving { statistics.priorityZeroSent += 1 }
            } catch {
                destinations[index].lastSent = nil
                statistics.sendErrors += 1
                logger.error("(\(spec.name)) cannot send advert to \(destination): \(error)")
            }
        }
    }

    // MARK: - Announcements (gratuitous ARP / unsolicited NA)

    private func announce(_ reason: RouterAction.AnnounceReason) {
        let settings = spec.announcements
        switch reason {
        case .becameMaster:
            cancelAnnouncements()
            sendAnnouncements(count: settings.masterRepeat)
            let followUp = settings.followUpMilliseconds
            if followUp > 0 && (settings.masterDelayMilliseconds == 0 || settings.masterDelayMilliseconds > followUp) {
                scheduleAnnouncement(after: followUp, count: settings.masterRepeat, repeating: false)
            }
            if settings.masterDelayMilliseconds > 0 {
                scheduleAnnouncement(after: settings.masterDelayMilliseconds, count: settings.masterRepeat, repeating: false)
            }
            if settings.refreshMilliseconds > 0 {
                scheduleAnnouncement(after: settings.refreshMilliseconds, count: settings.refreshRepeat, repeating: true)
            }
        case .stayedMasterAfterConflict:
            logger.info("(\(spec.name)) heard another master; staying master and re-announcing the virtual addresses")
            if settings.lowerPriorityDelayMilliseconds > 0 {
                scheduleAnnouncement(after: settings.lowerPriorityDelayMilliseconds, count: settings.lowerPriorityRepeat, repeating: false)
            } else {
                sendAnnouncements(count: settings.lowerPriorityRepeat)
            }
        }
    }

    private func scheduleAnnouncement(after milliseconds: Int64, count: Int, repeating: Bool) {
        let deadline = MonotonicClock.nanoseconds() + milliseconds * 1_000_000
        var timer: LoopTimer?
        timer = loop.schedule(at: deadline) { [unowned self] in
            if let timer { announcementTimers.remove(timer) }
            guard holdsAddresses else { return }
            sendAnnouncements(count: count)
            if repeating { scheduleAnnouncement(after: milliseconds, count: count, repeating: true) }
        }
        announcementTimers.insert(timer!)
    }

    private func cancelAnnouncements() {
        announcementTimers.forEach(loop.cancel)
        announcementTimers.removeAll()
    }

    private func sendAnnouncements(count: Int) {
        guard let mac = MACAddress(bytes: interface.macAddress) else { return }
        let frames = virtualAddresses.addresses.map { entry -> [UInt8] in
            switch entry.spec.prefix.address {
            case .v4(let address): GratuitousARP(senderMAC: mac, address: address).frame()
            case .v6(let address): UnsolicitedNeighborAdvertisement(senderMAC: mac, address: address).frame()
            }
        }
        for _ in 0..<max(count, 0) {
            for frame in frames {
                do {
                    try self.frames.send(frame: frame)
                    statistics.announcementsSent += 1
                } catch {
                    logger.error("(\(spec.name)) cannot send announcement: \(error)")
                }
            }
        }
    }

    // MARK: - Kernel events

    /// A VIP vanished while we hold it: put it back and tell the LAN again.
    func addressRemoved(_ address: InterfaceAddress) {
        guard holdsAddresses, let entry = virtualAddresses.tracked(address) else { return }
        statistics.addressesRestored += 1
        logger.warning("(\(spec.name)) \(entry.spec) was removed behind Halo's back; restoring it")
        virtualAddresses.add(using: group.engine.netlink, logger: logger)
        sendAnnouncements(count: spec.announcements.masterRepeat)
    }

    /// Recomputes tracker weight and fault from the links' carrier.
    func linkChanged(_ status: LinkStatus) {
        let tracked = spec.trackedInterfaces.contains { $0.name == status.name }
            || (status.name == spec.interface && !spec.dontTrackPrimary)
        guard tracked else { return }
        let wasDown = linksDown.contains(status.name)
        if status.isUsable { linksDown.remove(status.name) } else { linksDown.insert(status.name) }
        guard wasDown != linksDown.contains(status.name) else { return }
        logger.info("(\(spec.name)) link \(status.name) is \(status.isUsable ? "up" : "down")")
        group.trackersChanged(member: memberIndex, cause: "link \(status.name) \(status.isUsable ? "up" : "down")")
    }

    /// What the trackers read right now (links, script statuses, file values).
    var trackerReadings: TrackerReadings {
        let engine = group.engine
        return TrackerReadings(linksDown: linksDown,
                               scriptStatuses: engine.scriptTrackers.mapValues(\.health.status),
                               fileValues: engine.fileWatcher?.values ?? [:])
    }

    /// Everything tracked, summed: links, scripts, files (the router clamps the result).
    var trackerWeight: Int { spec.trackerWeight(trackerReadings) }

    var trackerFault: Bool { spec.trackerFault(trackerReadings) || group.resources?.raisedFault == true }

    // MARK: - VIPs owned by a resource group

    func addAddressesForResources() {
        guard !holdsAddresses else { return }
        virtualAddresses.add(using: group.engine.netlink, logger: logger)
        holdsAddresses = true
        announce(.becameMaster)
    }

    func removeAddressesForResources() {
        cancelAnnouncements()
        guard holdsAddresses else { return }
        holdsAddresses = false
        virtualAddresses.remove(using: group.engine.netlink, logger: logger)
    }

    /// The latest effective-priority or fault change and its cause, for status.
    var lastPriorityChange: (description: String, at: Int64)?
    /// The latest accepted advert on this VRID, whatever the router made of it (status: who is master).
    var lastAdvertHeard: (source: IPAddress, priority: UInt8, at: Int64)?

    // MARK: - Reload

    /// Runs on with a reloaded spec that keeps the same wire identity
    /// (ConfigurationDiff.restartReason is nil): held VIPs are added or removed
    /// to match, links no longer tracked stop counting. The caller updates the
    /// router and then the trackers.
    func reconfigure(to new: InstanceSpec) throws {
        let updated = try VirtualAddresses(instance: new.name, specs: new.allAddresses, defaultInterface: interface)
        if holdsAddresses {
            let kept = Set(updated.addresses.map(\.spec))
            let dropped = try VirtualAddresses(instance: new.name, specs: spec.allAddresses.filter { !kept.contains($0) },
                                               defaultInterface: interface)
            dropped.remove(using: group.engine.netlink, logger: logger)
            if updated.add(using: group.engine.netlink, logger: logger) > 0 { sendAnnouncements(count: new.announcements.masterRepeat) }
        }
        virtualAddresses = updated
        spec = new
        destinations = AdvertDestination.all(of: new)
        linksDown = linksDown.filter { name in
            new.trackedInterfaces.contains { $0.name == name } || (name == new.interface && !new.dontTrackPrimary)
        }
    }

    func cancelAllTimers() {
        timers.forEach(loop.cancel)
        cancelAnnouncements()
    }
}

/// A unicast peer or the multicast group, with the last advert sent there and its packet.
private struct AdvertDestination {
    let address: IPAddress
    var lastSent: Advertisement?
    var packet: [UInt8] = []

    static func all(of spec: InstanceSpec) -> [AdvertDestination] {
        (spec.unicastPeers ?? [spec.group]).map { AdvertDestination(address: $0) }
    }
}

struct InstanceStatistics: Sendable {
    var advertsSent = 0
    /// How late the advert timer fired, as master (beside `advertsSent`: both change every advert).
    var advertLateness = LatencyHistogram()
    var priorityZeroSent = 0
    var advertsReceived = 0
    /// keepalived's stats: entries into MASTER, exits from it (a hand-off counts once it ends), priority-0 adverts heard.
    var becameMaster = 0
    var releasedMaster = 0
    var priorityZeroReceived = 0
    var sendErrors = 0
    var announcementsSent = 0
    var transitions = 0
    var addressesRestored = 0
    var warnings: [ReceiveWarning.Kind: Int] = [:]
}
