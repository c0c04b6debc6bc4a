import HaloConfig
import HaloNet
import VRRP

extension EngineConfiguration {
    /// What the engine runs for a validated configuration: each `vrrp_instance`
    /// with the global defaults applied, the sync groups, the tracked scripts and
    /// files, and the hooks. Commands script security refused (or that cannot run:
    /// missing program, unknown user) are left out, with a note for the log.
    public init(_ configuration: Configuration, securityFindings: [ScriptSecurityFinding] = []) {
        let globals = configuration.globals
        let skipped = Set(securityFindings.filter { $0.refused || !$0.isOwnershipWarning }.map(\.command))
        let runnable: (ScriptCommand?) -> [String]? = { command in
            guard let command, !skipped.contains(command) else { return nil }
            return command.arguments
        }
        let groupOf = Dictionary(configuration.syncGroups.flatMap { group in group.members.map { ($0, group) } },
                                 uniquingKeysWith: { first, _ in first })
        let tracked = configuration.trackedScriptNames
        let scripts = configuration.scripts.filter { tracked.contains($0.name) && !skipped.contains($0.command) }
            .map { ScriptSpec($0, defaultUser: globals.scriptUser) }
        let scriptsByName = Dictionary(scripts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let filesByName = Dictionary(configuration.trackFiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var trackedFileNames = Set<String>()

        var instances: [InstanceSpec] = []
        for instance in configuration.instances {
            guard var spec = InstanceSpec(instance, globals: globals) else { continue }
            let group = groupOf[instance.name]
            // A sync group's track_interface / track_script / track_file apply to every member.
            spec.trackedInterfaces += (group?.trackedInterfaces ?? []).map { TrackedLink(name: $0.name, weight: $0.weight, reversed: $0.weightReversed) }
            spec.trackedScripts = (instance.trackedScripts + (group?.trackedScripts ?? [])).compactMap { reference in
                scriptsByName[reference.name].map { TrackerReference(reference, weight: $0.weight, reversed: $0.weightReversed) }
            }
            spec.trackedFiles = (instance.trackedFiles + (group?.trackedFiles ?? [])).compactMap { reference in
                filesByName[reference.name].map { TrackerReference(reference, weight: $0.weight, reversed: $0.weightReversed) }
            }
            trackedFileNames.formUnion(spec.trackedFiles.map(\.name))
            spec.notify = NotifySpec(instance.notify, runnable: runnable)
            instances.append(spec)
        }
        self.init(
            instances: instances,
            syncGroups: configuration.syncGroups.map {
                var group = SyncGroupSpec(name: $0.name, members: $0.members)
                group.notify = NotifySpec($0.notify, runnable: runnable)
                return group
            },
            notRun: Self.partsNotRun(configuration))
        self.scripts = scripts
        // A group with a refused command (exec or fencing, run as root) does not run at all: half a group is worse.
        let refused = Set(securityFindings.filter(\.refused).map(\.command))
        resourceGroups = configuration.resourceGroups.filter { !$0.rootCommands.contains { refused.contains($0.command) } }
            .map(ResourceGroupSpec.init)
        trackFiles = configuration.trackFiles.filter { trackedFileNames.contains($0.name) }.map {
            TrackFileSpec(name: $0.name, path: $0.path, weight: $0.weight, weightReversed: $0.weightReversed, initialValue: $0.initialValue)
        }
        hooks.notifyTimeoutNanoseconds = Int64(globals.notifyTimeout?.value ?? 30_000) * 1_000_000
        hooks.scriptUser = globals.scriptUser
        hooks.fifoPath = globals.notifyFIFO?.path
        hooks.fifoOwner = globals.notifyFIFO?.owner
        hooks.fifoScript = globals.notifyFIFO == nil ? nil : runnable(globals.notifyFIFOScript)
        control.routerID = globals.routerID
        control.socketGroup = globals.controlSocketGroup
        stateDumpDirectory = globals.stateDumpDirectory ?? stateDumpDirectory
        metrics = globals.metricsListen.map { MetricsEndpointSettings(address: $0.address, port: $0.port) }
        hooks.securityNotes = securityFindings.map {
            SecurityNote(message: "\($0.location): \($0.description)", refused: skipped.contains($0.command))
        }
        if configuration.runsScripts && !globals.enableScriptSecurity {
            hooks.securityNotes.append(SecurityNote(
                message: "scripts run without enable_script_security: nothing checks who can change them", refused: false))
        }
    }

    /// What the VRRP engine of this version does not act on, so the log says so
    /// instead of silently running without it.
    static func partsNotRun(_ configuration: Configuration) -> [String] {
        var notes: [String] = []
        for instance in configuration.instances {
            let name = "(\(instance.name))"
            if !instance.virtualRoutes.isEmpty { notes.append("\(name) virtual_routes: not installed by this version") }
            if instance.virtualMAC != nil { notes.append("\(name) use_vmac: not supported; adverts and announcements use the interface's own MAC") }
        }
        for server in configuration.virtualServers {
            notes.append("virtual_server \(server.address) \(server.port): parsed and validated; not run (Halo does not program IPVS)")
        }
        return notes
    }
}

extension ScriptSecurityFinding {
    /// Only a warning: the script still runs (script security is off).
    var isOwnershipWarning: Bool {
        if case .writableByNonRoot = problem { return !refused }
        return false
    }
}

extension ScriptSpec {
    init(_ script: VRRPScript, defaultUser: ScriptUser?) {
        self.init(
            name: script.name, arguments: script.command.arguments,
            intervalNanoseconds: Int64(script.interval.value) * 1_000_000,
            timeoutNanoseconds: Int64(script.effectiveTimeout.value) * 1_000_000,
            weight: script.weight, weightReversed: script.weightReversed, rise: script.rise, fall: script.fall,
            user: script.user ?? defaultUser,
            initiallyFailed: script.initiallyFailed)
    }
}

extension TrackerReference {
    /// The line's weight override, else the tracker's own weight.
    init(_ reference: TrackedReference, weight: Int, reversed: Bool) {
        self.init(name: reference.name, weight: reference.weightOverride ?? weight,
                  weightReversed: reference.weightOverride == nil ? reversed : reference.weightReversed)
    }
}

extension NotifySpec {
    init(_ commands: NotifyCommands, runnable resolve: (ScriptCommand?) -> [String]?) {
        self.init(master: resolve(commands.master), backup: resolve(commands.backup), fault: resolve(commands.fault),
                  stop: resolve(commands.stop), generic: resolve(commands.generic))
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
            trackedInterfaces: instance.trackedInterfaces.map { TrackedLink(name: $0.name, weight: $0.weight, reversed: $0.weightReversed) },
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
