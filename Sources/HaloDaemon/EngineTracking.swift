import HaloConfig
import HaloLinux
import Logging

extension Engine {
    /// Says what script security decided, resolves who scripts run as, and
    /// builds the script trackers, the file watcher and the notifier. Loop thread only.
    func startTrackersAndHooks() {
        let hooks = configuration.hooks
        for note in hooks.securityNotes {
            if note.refused { logger.error("\(note.message)") } else { logger.warning("\(note.message)") }
        }
        let defaultCredentials = credentials(for: hooks.scriptUser, purpose: "script_user")
        let notifier = Notifier(runner: processes, settings: hooks, credentials: defaultCredentials, logger: logger)
        notifier.start()
        self.notifier = notifier

        var trackers: [String: ScriptTracker] = [:]
        for script in configuration.scripts {
            let credentials = script.user == hooks.scriptUser ? defaultCredentials : credentials(for: script.user, purpose: "vrrp_script \(script.name)")
            let tracker = ScriptTracker(spec: script, runner: processes, credentials: credentials, logger: logger)
            tracker.onStatusChange = { [unowned self] tracker, cause in trackerChanged(script: tracker.spec.name, cause: cause) }
            trackers[script.name] = tracker
        }
        scriptTrackers = trackers
        watchTrackFiles(readOnceAt: "start")
    }

    /// Watches the configuration's track files (none: no watcher). Should inotify fail,
    /// the values read now stay, and the log says so (`moment`: "start", "reload").
    func watchTrackFiles(readOnceAt moment: String) {
        guard !configuration.trackFiles.isEmpty else { return }
        let watcher = TrackFileWatcher(specs: configuration.trackFiles, logger: logger)
        watcher.onChange = { [unowned self] name, cause in trackerChanged(file: name, cause: cause) }
        do {
            try watcher.start(on: loop)
        } catch {
            logger.error("track files: \(error); values are read once at \(moment)")
        }
        fileWatcher = watcher
    }

    func credentials(for user: ScriptUser?, purpose: String) -> ProcessCredentials? {
        guard let user else { return nil }
        do {
            return try ProcessCredentials.resolve(user: user.user, group: user.group)
        } catch {
            // Running as root instead of the named user would be the wrong kind of fallback.
            logger.error("\(purpose) \(user): \(error); running as 'nobody'")
            return try? ProcessCredentials.resolve(user: "nobody")
        }
    }

    func trackerChanged(script name: String, cause: String) {
        for group in groups {
            for (index, member) in group.members.enumerated() where member.spec.trackedScripts.contains(where: { $0.name == name }) {
                group.trackersChanged(member: index, cause: cause)
            }
        }
    }

    func trackerChanged(file name: String, cause: String) {
        for group in groups {
            for (index, member) in group.members.enumerated() where member.spec.trackedFiles.contains(where: { $0.name == name }) {
                group.trackersChanged(member: index, cause: cause)
            }
        }
    }
}
