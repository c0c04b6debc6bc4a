import HaloConfig
import HaloNet
import VRRP

extension EngineConfiguration {
    /// What the engine runs for a validated configuration: each `vrrp_instance`
    /// with the global defaults applied, and the sync groups.
    public init(_ configuration: Configuration) {
        let globals = configuration.globals
        self.init(
            instances: configuration.instances.compactMap { InstanceSpec($0, globals: globals) },
            syncGroups: configuration.syncGroups.map { SyncGroupSpec(name: $0.name, members: $0.members) },
            notRun: Self.partsNotRun(configuration))
    }

    /// What the VRRP engine of this version does not act on, so the log says so
    /// instead of silently running without it.
    static func partsNotRun(_ configuration: Configuration) -> [String] {
        var notes: [String] = []
        for instance in configuration.instances {
            let name = "(\(instance.name))"
            if !instance.trackedScripts.isEmpty || !instance.trackedFiles.isEmpty {
                notes.append("\(name) track_script / track_file: not run by this version; the priority stays at its base value")
            }
            if !instance.notify.all.isEmpty { notes.append("\(name) notify scripts: not run by this version") }
            if !instance.virtualRoutes.isEmpty { notes.append("\(name) virtual_routes: not installed by this version") }
            if instance.virtualMAC != nil { notes.append("\(name) use_vmac: not supported; adverts and announcements use the interface's own MAC") }
        }
        for group in configuration.syncGroups where !group.notify.all.isEmpty || !group.trackedScripts.isEmpty {
            notes.append("(\(group.name)) sync group notify / track_script: not run by this version")
        }
        for server in configuration.virtualServers {
            notes.append("virtual_server \(server.address) \(server.port): parsed and validated; not run (Halo does not program IPVS)")
        }
        return notes
    }
}

extension InstanceSpec {
    /// nil when the instance lacks what validation already reported as an error.
    init?(_ instance: VRRPInstance, globals: GlobalDefinitions) {
        guard let interface = instance.interface, let vrid = instance.virtualRouterID,
              let routerID = UInt8(exactly: vrid), let priority = UInt8(exactly: instance.priority) else { return nil }
        let family = instance.family
        let peers = instance.unicastPeers.map(\.address)
        self.init(
            name: instance.name, interface: interface, family: family, virtualRouterID: routerID,
            version: instance.version == .v3 ? .v3 : .v2, basePriority: priority,
            advertIntervalCentiseconds: UInt16(clamping: instance.advertInterval.centiseconds),
            initialState: instance.initialState == .master ? .master : .backup,
            preempt: instance.preempt,
            preemptDelayMilliseconds: Int64(instance.preemptDelay?.value ?? 0),
            downTimerAdverts: instance.downTimerAdverts ?? 3,
            authentication: instance.authentication.map { VRRP.Authentication.password($0.password) } ?? .none,
            virtualAddresses: instance.virtualAddresses.map(VirtualAddressSpec.init),
            excludedAddresses: instance.excludedVirtualAddresses.map(VirtualAddressSpec.init),
            // keepalived falls back to multicast when the peer list is empty.
            unicastPeers: peers.isEmpty ? nil : peers,
            sourceAddress: peers.isEmpty ? instance.multicastSource : (instance.unicastSource ?? instance.multicastSource),
            multicastGroup: family == .ipv4 ? .v4(globals.multicastGroup4) : .v6(globals.multicastGroup6),
            // Halo checks unicast sources against the peer list always (keepalived only with check_unicast_src).
            checkUnicastSource: true,
            announcements: AnnouncementSettings(instance.gratuitousARP.overriding(globals.gratuitousARP)),
            trackedInterfaces: instance.trackedInterfaces.map { TrackedLink(name: $0.name, weight: $0.weight) },
            dontTrackPrimary: instance.dontTrackPrimary)
    }
}

extension VirtualAddressSpec {
    init(_ address: VirtualAddress) {
        self.init(
            prefix: address.prefix, device: address.device, broadcast: address.broadcast,
            scope: address.scope.flatMap(Self.scopeNumber), label: address.label, noTrack: address.noTrack)
    }

    /// `ip addr` scope names as the kernel numbers them.
    static func scopeNumber(_ name: String) -> UInt8? {
        switch name {
        case "global": 0
        case "site": 200
        case "link": 253
        case "host": 254
        case "nowhere": 255
        default: UInt8(name)
        }
    }
}

extension AnnouncementSettings {
    init(_ settings: GratuitousARPSettings) {
        self.init()
        if let delay = settings.masterDelay { masterDelayMilliseconds = Int64(delay.value) }
        if let repeatCount = settings.masterRepeat { masterRepeat = repeatCount }
        if let refresh = settings.masterRefresh { refreshMilliseconds = Int64(refresh.value) }
        if let refreshRepeatCount = settings.masterRefreshRepeat { refreshRepeat = refreshRepeatCount }
        if let delay = settings.lowerPriorityDelay { lowerPriorityDelayMilliseconds = Int64(delay.value) }
        if let repeatCount = settings.lowerPriorityRepeat { lowerPriorityRepeat = repeatCount }
    }
}
