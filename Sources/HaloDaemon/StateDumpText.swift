import Glibc
import HaloControl

/// The SIGUSR1 data dump and the SIGUSR2 stats dump in keepalived's layout:
/// data as `------< Section >------` headings, ` Key = value` for an item
/// (one space) and `  Key = value` for its fields (two); stats as
/// `VRRP Instance: NAME` with two- and four-space `Key: value` lines. Tools that
/// parse keepalived's files (collectd/ncollectd's keepalived plugin and the
/// like) read these as they read keepalived's.
enum StateDumpText {
    static func data(_ snapshot: StateDumpSnapshot) -> String {
        var lines = ["------< Global definitions >------"]
        lines.append(" Network namespace = (default)")
        lines.append(" Router ID = \(snapshot.routerID ?? snapshot.node)")
        lines.append(" Hostname = \(snapshot.node)")
        lines.append(" Dump time = \(timestamp(snapshot.time))")
        lines.append("------< VRRP Topology >------")
        for instance in snapshot.instances { lines += data(instance) }
        if !snapshot.syncGroups.isEmpty {
            lines.append("------< VRRP Sync groups >------")
            for group in snapshot.syncGroups {
                lines.append(" VRRP Sync Group = \(group.name), \(KeepalivedState.name(group.state))")
                for member in group.members { lines.append("   monitor = \(member)") }
            }
        }
        if !snapshot.scripts.isEmpty {
            lines.append("------< VRRP Scripts >------")
            for script in snapshot.scripts {
                lines.append(" VRRP Script = \(script.name)")
                lines.append("  Command = \(script.command)")
                lines.append("  Interval = \(seconds(script.intervalMilliseconds)) sec")
                lines.append("  Timeout = \(seconds(script.timeoutMilliseconds)) sec")
                lines.append("  Weight = \(script.weight)")
                lines.append("  Rise = \(script.rise)")
                lines.append("  Fall = \(script.fall)")
                lines.append("  Status = \(script.status)")
                lines.append("  State = \(script.state)")
            }
        }
        if !snapshot.resourceGroups.isEmpty {
            lines.append("------< Resource groups >------")
            for group in snapshot.resourceGroups { lines += data(group) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func data(_ instance: StateDumpSnapshot.Instance) -> [String] {
        var lines = [" VRRP Instance = \(instance.name)"]
        func field(_ key: String, _ value: String) { lines.append("  \(key) = \(value)") }
        field("VRRP Version", "\(instance.version)")
        field("State", KeepalivedState.name(instance.state))
        if instance.state == "HANDOFF" { field("Halo state", "HANDOFF (priority 0 sent, VIPs kept until the successor is heard)") }
        if let last = instance.lastTransition { field("Last transition", "\(fixed(last, 6)) (\(timestamp(last)))") }
        field("Interface", instance.interface)
        field("Using src_ip", instance.sourceAddress)
        if instance.unicastPeers.isEmpty {
            field("Multicast address", instance.multicastGroup)
        } else {
            field("Unicast peers", instance.unicastPeers.joined(separator: " "))
        }
        field("Virtual Router ID", "\(instance.vrid)")
        field("Priority", "\(instance.basePriority)")
        field("Effective priority", "\(instance.effectivePriority)")
        field("Master priority", "\(instance.masterPriority)")
        if let master = instance.masterAddress { field("Master router", master) }
        field("Advert interval", advertInterval(instance.advertIntervalCentiseconds))
        field("Preempt", instance.preempt ? "enabled" : "disabled")
        field("Preempt delay", "\(seconds(instance.preemptDelayMilliseconds)) secs")
        field("Authentication type", instance.usesPassword ? "SIMPLE_PASSWORD" : "none")
        field("Gratuitous ARP delay", "\(instance.garp.delaySeconds)")
        field("Gratuitous ARP repeat", "\(instance.garp.repeats)")
        field("Gratuitous ARP refresh", "\(instance.garp.refreshSeconds)")
        field("Gratuitous ARP refresh repeat", "\(instance.garp.refreshRepeats)")
        field("Gratuitous ARP lower priority delay", "\(instance.garp.lowerPriorityDelaySeconds)")
        field("Gratuitous ARP lower priority repeat", "\(instance.garp.lowerPriorityRepeats)")
        field("Track primary interface", instance.dontTrackPrimary ? "no" : "yes")
        field("VIPs set", instance.holdsAddresses ? "yes" : "no")
        list(&lines, "Tracked interfaces", instance.trackedInterfaces)
        list(&lines, "Tracked scripts", instance.trackedScripts)
        list(&lines, "Tracked files", instance.trackedFiles)
        list(&lines, "Virtual IP", instance.virtualAddresses)
        list(&lines, "Virtual IP excluded", instance.excludedAddresses)
        return lines
    }

    /// keepalived's list layout: `  Heading (N):` then one entry per line.
    private static func list(_ lines: inout [String], _ heading: String, _ entries: [String]) {
        guard !entries.isEmpty else { return }
        lines.append("  \(heading) (\(entries.count)):")
        lines += entries.map { "    \($0)" }
    }

    private static func data(_ group: ResourceGroupStatus) -> [String] {
        var lines = [" Resource group = \(group.name)"]
        lines.append("  Follows = \(group.follows)")
        lines.append("  State = \(group.state)")
        lines.append("  VIPs held = \(group.holdsAddresses ? "yes" : "no")")
        if let refusal = group.refusal { lines.append("  Refusal = \(refusal)") }
        for resource in group.resources {
            lines.append("  Resource = \(resource.name)")
            lines.append("   Agent = \(resource.agent)")
            lines.append("   State = \(resource.state)")
            lines.append("   Fail count = \(resource.failCount)")
            lines.append("   Total failures = \(resource.totalFailures)")
            if let error = resource.lastError { lines.append("   Last error = \(error)") }
            for (name, timing) in [("start", resource.lastStart), ("stop", resource.lastStop), ("monitor", resource.lastMonitor)] {
                guard let timing else { continue }
                lines.append("   Last \(name) = \(fixed(timing.durationMilliseconds, 1)) ms at \(timing.time)")
            }
        }
        return lines
    }

    static func stats(_ snapshot: StateDumpSnapshot) -> String {
        var lines: [String] = []
        for instance in snapshot.instances {
            let stats = instance.stats
            lines.append("VRRP Instance: \(instance.name)")
            lines.append("  Advertisements:")
            lines.append("    Received: \(stats.advertsReceived)")
            lines.append("    Sent: \(stats.advertsSent)")
            lines.append("  Became master: \(stats.becameMaster)")
            lines.append("  Released master: \(stats.releasedMaster)")
            lines.append("  Packet Errors:")
            lines.append("    Length: \(stats.packetLengthErrors)")
            lines.append("    TTL: \(stats.ttlErrors)")
            lines.append("    Invalid Type: \(stats.invalidType)")
            lines.append("    Advertisement Interval: \(stats.advertIntervalErrors)")
            lines.append("    Address List: \(stats.addressListErrors)")
            lines.append("  Authentication Errors:")
            lines.append("    Invalid Type: \(stats.authInvalidType)")
            lines.append("    Type Mismatch: \(stats.authTypeMismatch)")
            lines.append("    Failure: \(stats.authFailure)")
            lines.append("  Priority Zero:")
            lines.append("    Received: \(stats.priorityZeroReceived)")
            lines.append("    Sent: \(stats.priorityZeroSent)")
        }
        return lines.map { $0 + "\n" }.joined()
    }

    // MARK: - Numbers and times

    /// keepalived prints whole seconds as integers: "1 sec", else milliseconds.
    private static func advertInterval(_ centiseconds: Int) -> String {
        centiseconds % 100 == 0 ? "\(centiseconds / 100) sec" : "\(centiseconds * 10) milli-sec"
    }

    private static func seconds(_ milliseconds: Int64) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : fixed(Double(milliseconds) / 1000, 3)
    }

    /// `value` with exactly `digits` decimals (no Foundation formatting here).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        fraction = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
        return (value < 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + fraction : "")
    }

    /// ctime-like, UTC, with microseconds: "Sun Nov 22 01:13:08.123456 2026".
    static func timestamp(_ epochSeconds: Double) -> String {
        var seconds = time_t(epochSeconds.rounded(.down))
        let micros = Int((epochSeconds - Double(seconds)) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(days[Int(parts.tm_wday)]) \(months[Int(parts.tm_mon)]) \(pad(Int(parts.tm_mday), 2)) "
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(micros, 6)) "
            + "\(parts.tm_year + 1900) UTC"
    }
}
