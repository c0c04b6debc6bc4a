import HaloControl
import HaloLinux
import HaloNet
import VRRP

/// Copies what the dumps show out of the running engine (loop thread).
extension Engine {
    func stateDumpSnapshot() -> StateDumpSnapshot {
        let clock = WallClock()
        let status = statusReport()
        let byName = Dictionary(status.instances.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let instances = groups.flatMap(\.members).map { instance in
            dumpInstance(instance, status: byName[instance.spec.name], clock: clock)
        }
        let scripts = scriptTrackers.values.sorted { $0.spec.name < $1.spec.name }.map { tracker in
            let spec = tracker.spec
            let status = switch tracker.health.status {
            case .up: "GOOD"
            case .down: "BAD"
            case .unknown: "INIT"
            }
            return StateDumpSnapshot.Script(
                name: spec.name, command: spec.arguments.joined(separator: " "),
                intervalMilliseconds: spec.intervalNanoseconds / 1_000_000, timeoutMilliseconds: spec.timeoutNanoseconds / 1_000_000,
                weight: spec.weightReversed ? -spec.weight : spec.weight, rise: spec.rise, fall: spec.fall,
                status: status, state: tracker.isRunning ? "running" : "idle")
        }
        return StateDumpSnapshot(
            time: Double(clock.realtimeNow) / 1e9, node: status.node, routerID: status.routerID, instances: instances,
            syncGroups: status.syncGroups, scripts: scripts, resourceGroups: status.resourceGroups ?? [])
    }

    private func dumpInstance(_ instance: InstanceRuntime, status: InstanceStatus?, clock: WallClock) -> StateDumpSnapshot.Instance {
        let spec = instance.spec
        let garp = spec.announcements
        let heard = instance.lastAdvertHeard
        return StateDumpSnapshot.Instance(
            name: spec.name, interface: spec.interface, family: spec.family == .ipv4 ? "ipv4" : "ipv6",
            vrid: Int(spec.virtualRouterID), version: spec.version == .v3 ? 3 : 2, state: "\(instance.state)",
            basePriority: Int(spec.basePriority), effectivePriority: Int(instance.router.effectivePriority),
            masterPriority: heard.map { Int($0.priority) } ?? 0, masterAddress: status?.master,
            advertIntervalCentiseconds: Int(spec.advertIntervalCentiseconds), preempt: spec.preempt,
            preemptDelayMilliseconds: spec.preemptDelayMilliseconds,
            lastTransition: instance.lastTransition.map { Double(clock.realtimeNow - (clock.monotonicNow - $0.at)) / 1e9 },
            sourceAddress: "\(spec.sourceAddress ?? instance.primaryAddress)",
            unicastPeers: (spec.unicastPeers ?? []).map { "\($0)" }, multicastGroup: "\(spec.group)",
            usesPassword: spec.authentication != .none,
            virtualAddresses: spec.virtualAddresses.map { Self.dumpAddress($0, defaultDevice: spec.interface) },
            excludedAddresses: spec.excludedAddresses.map { Self.dumpAddress($0, defaultDevice: spec.interface) },
            holdsAddresses: instance.holdsAddresses,
            trackedInterfaces: spec.trackedInterfaces.map { $0.weight == 0 ? $0.name : "\($0.name) weight \($0.weight)" },
            trackedScripts: spec.trackedScripts.map(Self.dumpTracker), trackedFiles: spec.trackedFiles.map(Self.dumpTracker),
            dontTrackPrimary: spec.dontTrackPrimary,
            garp: StateDumpSnapshot.Garp(
                delaySeconds: Int(garp.masterDelayMilliseconds / 1000), repeats: garp.masterRepeat,
                refreshSeconds: Int(garp.refreshMilliseconds / 1000), refreshRepeats: garp.refreshRepeat,
                lowerPriorityDelaySeconds: Int(garp.lowerPriorityDelayMilliseconds / 1000),
                lowerPriorityRepeats: garp.lowerPriorityRepeat),
            stats: dumpStats(instance))
    }

    /// keepalived's counters from the instance's own and its receiver's (interface and family) counts.
    private func dumpStats(_ instance: InstanceRuntime) -> StateDumpSnapshot.Stats {
        let statistics = instance.statistics
        let drops = dropCounts.first { $0.interface == instance.spec.interface && $0.family == instance.spec.family }?.drops ?? [:]
        func dropped(_ reasons: DropReason...) -> Int { reasons.reduce(0) { $0 + drops[$1, default: 0] } }
        func warned(_ kinds: ReceiveWarning.Kind...) -> Int { kinds.reduce(0) { $0 + statistics.warnings[$1, default: 0] } }
        var stats = StateDumpSnapshot.Stats()
        stats.advertsReceived = statistics.advertsReceived
        stats.advertsSent = statistics.advertsSent
        stats.becameMaster = statistics.becameMaster
        stats.releasedMaster = statistics.releasedMaster
        stats.packetLengthErrors = dropped(.truncated, .lengthMismatch, .ipHeaderInvalid)
        stats.ttlErrors = dropped(.ttlNot255)
        stats.invalidType = dropped(.wrongType, .wrongVersion)
        stats.advertIntervalErrors = dropped(.advertIntervalMismatch, .zeroAdvertInterval) + warned(.advertIntervalMismatch)
        stats.addressListErrors = warned(.addressListMismatch, .addressCountMismatch)
        stats.authInvalidType = dropped(.authTypeUnsupported)
        stats.authTypeMismatch = dropped(.authTypeMismatch)
        stats.authFailure = dropped(.passwordMismatch)
        stats.priorityZeroReceived = statistics.priorityZeroReceived
        stats.priorityZeroSent = statistics.priorityZeroSent
        return stats
    }

    /// keepalived's VIP line: "192.0.2.100/24 dev eth0 scope global".
    static func dumpAddress(_ address: VirtualAddressSpec, defaultDevice: String) -> String {
        var text = "\(address.prefix) dev \(address.device ?? defaultDevice)"
        if let label = address.label { text += " label \(label)" }
        return text + " scope " + scopeName(address.scope ?? 0)
    }

    private static func scopeName(_ scope: UInt8) -> String {
        switch scope {
        case 0: "global"
        case 200: "site"
        case 253: "link"
        case 254: "host"
        case 255: "nowhere"
        default: "\(scope)"
        }
    }

    private static func dumpTracker(_ tracker: TrackerReference) -> String {
        tracker.weight == 0 ? tracker.name : "\(tracker.name) weight \(tracker.weightReversed ? "reverse " : "")\(tracker.weight)"
    }
}
