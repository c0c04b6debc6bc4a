import CHaloLinux
import Glibc
import HaloLinux
import Logging
import VRRP

/// A group a reload starts once the groups it replaces (its old self, or one
/// using the same VRID on the same interface) have handed off and stopped.
struct PendingGroupStart {
    var name: String
    var members: [InstanceSpec]
    var waitingFor: Set<String>
}

/// What an accepted reload did, for the log and for `haloctl reload`.
struct ReloadOutcome {
    var summary: String
    /// One line per group that is added, removed or changed, and per setting that needs a restart.
    var details: [String]
}

/// Why a reload changed nothing: file:line:col diagnostics, or the reason.
struct ReloadRefusal: Error {
    var reason: String
    var diagnostics: [String]
}

/// keepalived-style reload (SIGHUP, `haloctl reload`): the file is read and
/// validated first; then only what differs is touched. Loop thread only.
extension Engine {
    func reload(cause: String) -> Result<ReloadOutcome, ReloadRefusal> {
        logger.notice("reload requested (\(cause))")
        guard !isStopping else { return .failure(refuse("halod is shutting down", [])) }
        guard pendingStarts.isEmpty, !groups.contains(where: { $0.onRetired != nil }) else {
            return .failure(refuse("the previous reload is still handing off groups; try again in a few seconds", []))
        }
        guard let path = configuration.configurationPath else {
            return .failure(refuse("this engine was started without a configuration file", []))
        }
        systemdReloading()
        defer { systemdReloaded() }
        switch ReloadLoader.load(path: path) {
        case .refused(let diagnostics):
            return .failure(refuse("\(path) has errors; still running the loaded configuration", diagnostics))
        case .loaded(var new, let warnings):
            for warning in warnings { logger.warning("\(warning)") }
            // The command line's settings are not in the file.
            new.control.socketPath = configuration.control.socketPath
            new.control.stateDirectory = configuration.control.stateDirectory
            let diff = ConfigurationDiff(from: configuration, to: new)
            // Settings read only at start stay as they are (diff.needsRestart says which differ).
            new.control.socketGroup = configuration.control.socketGroup
            let securityNotes = new.hooks.securityNotes
            new.hooks = configuration.hooks
            new.hooks.securityNotes = securityNotes
            return .success(apply(diff, new: new))
        }
    }

    private func refuse(_ reason: String, _ diagnostics: [String]) -> ReloadRefusal {
        logger.error("reload refused: \(reason)")
        for line in diagnostics { logger.error("\(line)") }
        return ReloadRefusal(reason: reason, diagnostics: diagnostics)
    }

    private func apply(_ diff: ConfigurationDiff, new: EngineConfiguration) -> ReloadOutcome {
        let old = configuration
        configuration = new
        var details: [String] = []
        for setting in diff.needsRestart {
            let line = "\(setting) changed: needs a restart of halod to take effect"
            logger.warning("reload: \(line)")
            details.append(line)
        }
        for note in new.hooks.securityNotes where !old.hooks.securityNotes.contains(note) {
            if note.refused { logger.error("\(note.message)") } else { logger.warning("\(note.message)") }
        }
        for note in new.notRun where !old.notRun.contains(note) { logger.warning("\(note)") }

        let newTrackers = replaceScriptTrackers(with: new.scripts)
        if old.trackFiles != new.trackFiles { replaceFileWatcher() }

        let definitions = Dictionary(new.groupDefinitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let running = Dictionary(groups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var restarting: [String] = []
        for name in diff.removed {
            details.append("(\(name)) removed: handing off and stopping")
            if let group = running[name] { retire(group) }
        }
        var changedInPlace: [GroupRuntime] = []
        for (name, change) in diff.changed {
            guard let group = running[name], let definition = definitions[name] else { continue }
            switch change {
            case .inPlace(let changes):
                details.append("(\(name)) changed in place: \(changes.joined(separator: "; "))")
                applyInPlace(definition, to: group)
                changedInPlace.append(group)
            case .restart(let reason):
                details.append("(\(name)) changed: \(reason); handing off and restarting this group")
                retire(group)
                restarting.append(name)
            }
        }
        for name in diff.added { details.append("(\(name)) added") }
        for name in restarting + diff.added {
            guard let definition = definitions[name] else { continue }
            var waiting = Set(groups.filter { $0.onRetired != nil && $0.sharesRouterIDs(with: definition.members) }.map(\.name))
            if restarting.contains(name) { waiting.insert(name) }
            pendingStarts.append(PendingGroupStart(name: name, members: definition.members, waitingFor: waiting))
        }
        do {
            try readTrackers(of: changedInPlace, cause: "reload")
        } catch {
            logger.error("reload: cannot read the links: \(error)")
        }
        startReadyGroups()
        refreshReceivers()
        for (index, tracker) in newTrackers.enumerated() { tracker.start(after: Int64(index) * 2_000_000) }
        for line in details.dropFirst(diff.needsRestart.count) { logger.info("reload: \(line)") }
        logger.notice("\(diff.summary)")
        return ReloadOutcome(summary: diff.summary, details: details)
    }

    // MARK: - Groups

    /// Same sockets, state and timers: the spec, VIPs, router settings and hooks change under them.
    private func applyInPlace(_ definition: GroupDefinition, to group: GroupRuntime) {
        for (index, spec) in definition.members.enumerated() where index < group.members.count {
            let runtime = group.members[index]
            do {
                try runtime.reconfigure(to: spec)
            } catch {
                logger.error("(\(spec.name)) reload: \(error); keeping its previous addresses")
                continue
            }
            group.reconfigure(member: index, spec.routerConfiguration(primaryAddress: runtime.primaryAddress))
        }
        group.syncGroupNotify = definition.syncGroupNotify
    }

    /// The make-before-break stop of shutdown, for one group: priority 0 if
    /// master, VIPs kept until the successor is heard (or the bound passes).
    private func retire(_ group: GroupRuntime) {
        group.onRetired = { [unowned self, unowned group] in finishRetiring(group) }
        group.handleForAll(.shutdown)
        let bound = group.members.map { $0.router.configuration.effectiveHandoffBound.nanoseconds }.max() ?? 0
        _ = loop.schedule(at: MonotonicClock.nanoseconds() + bound + 1_000_000_000) { [unowned self, weak group] in
            guard let group, group.onRetired != nil else { return }
            logger.warning("(\(group.name)) hand-off did not finish in time; removing its virtual addresses")
            for instance in group.members where instance.holdsAddresses { instance.perform(.removeVirtualAddresses) }
            finishRetiring(group)
        }
        finishRetirements()
    }

    /// Called after every batch of router actions: groups a reload took out that have now stopped leave.
    func finishRetirements() {
        for group in groups where group.onRetired != nil && group.isStopped {
            // Not from inside the group's own action loop: on the next loop turn.
            let done = group.onRetired
            _ = loop.schedule(at: MonotonicClock.nanoseconds()) { [weak group] in
                guard let group, group.onRetired != nil else { return }
                done?()
            }
        }
    }

    private func finishRetiring(_ group: GroupRuntime) {
        guard group.onRetired != nil else { return }
        group.onRetired = nil
        for instance in group.members { instance.cancelAllTimers() }
        groups.removeAll { $0 === group }
        retired.append(group)
        logger.info("(\(group.name)) stopped (reload)")
        for index in pendingStarts.indices { pendingStarts[index].waitingFor.remove(group.name) }
        if !isStopping { startReadyGroups() } else { pendingStarts.removeAll() }
        refreshReceivers()
    }

    /// Starts the pending groups nothing holds back any more, as `start` does.
    private func startReadyGroups() {
        let ready = pendingStarts.filter(\.waitingFor.isEmpty)
        guard !ready.isEmpty else { return }
        pendingStarts.removeAll { $0.waitingFor.isEmpty }
        var started: [GroupRuntime] = []
        for pending in ready {
            do {
                started.append(try startGroup(name: pending.name, members: pending.members))
                logger.info("(\(pending.name)) starting (reload)")
            } catch {
                logger.error("(\(pending.name)) cannot start: \(error)")
            }
        }
        for spec in configuration.resourceGroups {
            guard let routers = started.first(where: { $0.name == spec.follows }) else { continue }
            let runtime = ResourceGroupRuntime(spec: spec, routers: routers)
            routers.resources = runtime
            runtime.probe()
        }
        joinMulticastGroups(for: started.flatMap(\.members))
        refreshReceivers()
        do {
            try readTrackers(of: started, cause: "trackers at start")
        } catch {
            logger.error("reload: cannot read the links: \(error)")
        }
        for group in started {
            group.handleForAll(.startup)
            if operatorControl?.isStandby == true { group.handleForAll(.giveUp) }
        }
    }

    /// A multicast instance added where only unicast ran: its shared socket joins the group now.
    private func joinMulticastGroups(for instances: [InstanceRuntime]) {
        for instance in instances where instance.spec.unicastPeers == nil {
            let key = SocketKey(interface: instance.spec.interface, family: instance.spec.family)
            guard joinedGroups[key] == nil, let socket = sockets[key] else { continue }
            let group = instance.spec.group
            let result = halo_join_group(socket.fileDescriptor, instance.spec.family == .ipv4 ? AF_INET : AF_INET6,
                                         group.bytes, socket.interface.index, 1)
            if result < 0 {
                logger.error("(\(instance.spec.name)) cannot join \(group) on \(key.interface): \(SystemError("join"))")
            } else {
                joinedGroups[key] = group
            }
        }
    }

    private func refreshReceivers() {
        do {
            try openReceivers()
        } catch {
            logger.error("reload: cannot watch a receive socket: \(error)")
        }
    }

    // MARK: - Trackers

    /// Stops the trackers of scripts that are gone or changed and builds the new
    /// ones (returned, to start once their groups run). Unchanged ones keep their history.
    private func replaceScriptTrackers(with scripts: [ScriptSpec]) -> [ScriptTracker] {
        let wanted = Dictionary(scripts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, tracker) in scriptTrackers where wanted[name] != tracker.spec {
            tracker.stop()
            tracker.onStatusChange = nil
            retired.append(tracker)
            scriptTrackers[name] = nil
        }
        var created: [ScriptTracker] = []
        for script in scripts where scriptTrackers[script.name] == nil {
            let tracker = ScriptTracker(spec: script, runner: processes,
                                        credentials: credentials(for: script.user, purpose: "vrrp_script \(script.name)"),
                                        logger: logger)
            tracker.onStatusChange = { [unowned self] tracker, cause in trackerChanged(script: tracker.spec.name, cause: cause) }
            scriptTrackers[script.name] = tracker
            created.append(tracker)
        }
        return created
    }

    private func replaceFileWatcher() {
        if let fileWatcher {
            fileWatcher.stop(on: loop)
            retired.append(fileWatcher)
        }
        fileWatcher = nil
        watchTrackFiles(readOnceAt: "reload")
    }
}

extension GroupRuntime {
    /// Whether any member uses the same VRID on the same interface and family as one of `specs`.
    func sharesRouterIDs(with specs: [InstanceSpec]) -> Bool {
        members.contains { member in
            specs.contains {
                $0.interface == member.spec.interface && $0.family == member.spec.family
                    && $0.virtualRouterID == member.spec.virtualRouterID
            }
        }
    }
}
