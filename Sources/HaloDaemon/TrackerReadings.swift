/// The current readings of everything an instance may track: links without
/// carrier, `vrrp_script` statuses, `vrrp_track_file` values. Kept apart from the
/// runtime objects that produce them so the arithmetic below is a pure function
/// of a spec and a reading (unit-tested without a kernel).
struct TrackerReadings: Sendable, Equatable {
    var linksDown: Set<String> = []
    var scriptStatuses: [String: ScriptHealth.Status] = [:]
    var fileValues: [String: Int] = [:]
}

extension InstanceSpec {
    /// keepalived's track_interface: weight 0 (and the own interface) faults while down;
    /// a positive weight is added while up, a negative one while down (`reverse`
    /// swaps up and down for the weight, not for the fault).
    func linkFault(_ readings: TrackerReadings) -> Bool {
        if readings.linksDown.contains(interface) && !dontTrackPrimary { return true }
        return trackedInterfaces.contains { $0.weight == 0 && readings.linksDown.contains($0.name) }
    }

    func linkWeight(_ readings: TrackerReadings) -> Int {
        trackedInterfaces.reduce(0) { sum, link in
            let down = readings.linksDown.contains(link.name) != link.reversed
            if link.weight > 0 && !down { return sum + link.weight }
            if link.weight < 0 && down { return sum + link.weight }
            return sum
        }
    }

    /// Script and file trackers' effects, in configuration order. A script with
    /// no result yet is `unknown` (no effect); a file never read counts as 0.
    func trackerEffects(_ readings: TrackerReadings) -> [TrackerEffect] {
        let scripts = trackedScripts.map { reference in
            TrackerEffect.of(status: readings.scriptStatuses[reference.name] ?? .unknown,
                             weight: reference.weight, reversed: reference.weightReversed)
        }
        let files = trackedFiles.map { reference in
            TrackerEffect.of(fileValue: readings.fileValues[reference.name] ?? 0,
                             weight: reference.weight, reversed: reference.weightReversed)
        }
        return scripts + files
    }

    /// Everything tracked, summed: links, scripts, files (the router clamps the result).
    func trackerWeight(_ readings: TrackerReadings) -> Int {
        trackerEffects(readings).reduce(linkWeight(readings)) { sum, effect in
            if case .weight(let weight) = effect { return sum + weight }
            return sum
        }
    }

    func trackerFault(_ readings: TrackerReadings) -> Bool {
        linkFault(readings) || trackerEffects(readings).contains(.fault)
    }
}
