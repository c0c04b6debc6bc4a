import Glibc
import HaloControl
import HaloLinux
import HaloNet
import HaloResources
import VRRP

/// Builds the `status` reply (schema 1) from the running engine.
extension Engine {
    func statusReport() -> StatusReport {
        let clock = WallClock()
        let instances = groups.flatMap { group in
            group.members.map { instanceStatus($0, withdrawn: group.group.router($0.memberIndex).isWithdrawn, clock: clock) }
        }
        let syncGroups = groups.filter { $0.syncGroupNotify != nil || $0.members.count > 1 }.map { group in
            let states = Set(group.members.map { "\($0.state)" })
            return SyncGroupStatus(name: group.name, members: group.members.map(\.spec.name),
                                   state: states.count == 1 ? states.first! : "MIXED")
        }
        let receivers = dropCounts.map { entry in
            ReceiverStatus(interface: entry.interface, family: entry.family == .ipv4 ? "ipv4" : "ipv6",
                           drops: Dictionary(entry.drops.map { ("\($0.key)", $0.value) }, uniquingKeysWith: +))
        }
        return StatusReport(node: Self.hostName, routerID: configuration.control.routerID,
                            standby: operatorControl?.isStandby ?? false,
                            instances: instances, syncGroups: syncGroups, receivers: receivers,
                            resourceGroups: resourceGroups.map { $0.status(clock: clock) })
    }

    /// The resource groups running here, in configuration order.
    var resourceGroups: [ResourceGroupRuntime] { groups.compactMap(\.resources) }

    private func instanceStatus(_ instance: InstanceRuntime, withdrawn: Bool, clock: WallClock) -> InstanceStatus {
        let router = instance.router
        let spec = instance.spec
        let isMaster = instance.state == .master || instance.state == .handingOff
        let transition = instance.lastTransition.map {
            TransitionStatus(from: "\($0.from)", to: "\($0.to)", reason: "\($0.reason)",
                             time: clock.rfc3339(monotonic: $0.at), ageSeconds: clock.age(monotonic: $0.at))
        }
        let statistics = instance.statistics
        return InstanceStatus(
            name: spec.name, interface: spec.interface, vrid: Int(spec.virtualRouterID),
            version: spec.version == .v3 ? 3 : 2, family: spec.family == .ipv4 ? "ipv4" : "ipv6",
            state: "\(instance.state)", basePriority: Int(spec.basePriority),
            effectivePriority: Int(router.effectivePriority), trackerWeight: router.trackerWeight,
            faulted: router.isFaulted, withdrawn: withdrawn, priorityCause: instance.lastPriorityChange?.description,
            virtualAddresses: spec.virtualAddresses.map { "\($0.prefix)" }, holdsAddresses: instance.holdsAddresses,
            master: isMaster ? "\(instance.primaryAddress)" : currentMaster(instance).map { "\($0)" },
            lastTransition: transition,
            lastAdvertHeard: instance.lastAdvertHeard.map {
                AdvertHeard(from: "\($0.source)", priority: Int($0.priority), ageSeconds: clock.age(monotonic: $0.at))
            },
            adverts: AdvertCounts(sent: statistics.advertsSent, received: statistics.advertsReceived,
                                  priorityZeroSent: statistics.priorityZeroSent, sendErrors: statistics.sendErrors,
                                  transitions: statistics.transitions))
    }

    /// Who is master as a backup sees it: the sender of the latest live advert
    /// (a withdrawn backup ignores adverts, so the router alone cannot say).
    private func currentMaster(_ instance: InstanceRuntime) -> IPAddress? {
        if let heard = instance.lastAdvertHeard, heard.priority != Priority.leaving,
           MonotonicClock.nanoseconds() - heard.at < instance.router.masterDownInterval.nanoseconds {
            return heard.source
        }
        return instance.state == .backup ? instance.router.lastMasterHeard : nil
    }

    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(cString: buffer)
    }
}

extension ResourceGroupRuntime {
    func status(clock: WallClock) -> ResourceGroupStatus {
        let planner = driver.planner
        let resources = zip(spec.resources, planner.records).map { definition, record in
            func timing(_ action: AgentAction) -> ActionTiming? {
                guard let duration = record.lastDuration[action], let finished = record.lastFinished[action] else { return nil }
                return ActionTiming(durationMilliseconds: Double(duration / 1000) / 1000,
                                    time: clock.rfc3339(monotonic: finished), ageSeconds: clock.age(monotonic: finished))
            }
            return ResourceStatus(
                name: record.name, agent: Self.agentLabel(definition.kind), state: record.state.rawValue,
                failCount: record.failCount, totalFailures: record.totalFailures, lastError: record.lastError,
                lastStart: timing(.start), lastStop: timing(.stop), lastMonitor: timing(.monitor))
        }
        return ResourceGroupStatus(name: spec.name, follows: spec.follows, state: planner.phase.rawValue,
                                   refusal: planner.refusesPromotion, holdsAddresses: planner.holdsVIPs, resources: resources)
    }

    /// The agent as the configuration spells it.
    static func agentLabel(_ kind: ResourceDefinition.Kind) -> String {
        switch kind {
        case .ocf(let provider, let type): "ocf:\(provider):\(type)"
        case .lsb(let script): "lsb:\(script)"
        case .heartbeat(let script, _): "heartbeat:\(script)"
        case .systemd(let unit): "systemd:\(unit)"
        case .exec: "exec"
        case .builtin(let name): "builtin:\(name)"
        }
    }
}

/// Converts monotonic instants to wall-clock time as of one moment, so every
/// timestamp in one report is consistent.
struct WallClock {
    let monotonicNow = MonotonicClock.nanoseconds()
    let realtimeNow: Int64 = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }()

    func age(monotonic: Int64) -> Double { Double(monotonicNow - monotonic) / 1e9 }

    /// RFC 3339, UTC, milliseconds: 2026-11-22T01:13:08.123Z.
    func rfc3339(monotonic: Int64) -> String {
        let wall = realtimeNow - (monotonicNow - monotonic)
        var seconds = time_t(wall / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let millis = Int32(wall % 1_000_000_000 / 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}
