/// `haloctl status` as text, in the spirit of crm_mon: who is master, why, and since when.
public enum StatusScreen {
    public static func render(_ report: StatusReport) -> String {
        var lines: [String] = []
        var header = "Node \(report.node)"
        if let routerID = report.routerID { header += " (router_id \(routerID))" }
        if report.standby { header += "  ** STANDBY: out of every election **" }
        lines.append(header)
        lines.append("\(report.instances.count) instance(s), \(report.instances.filter { $0.state == "MASTER" }.count) master here")
        for instance in report.instances {
            lines.append("")
            lines += render(instance)
        }
        if !report.syncGroups.isEmpty {
            lines.append("")
            lines.append("Sync groups:")
            for group in report.syncGroups {
                lines.append("  \(group.name): \(group.state) (\(group.members.joined(separator: ", ")))")
            }
        }
        for group in report.resourceGroups ?? [] {
            lines.append("")
            lines += render(group)
        }
        let drops = report.receivers.filter { !$0.drops.isEmpty }
        if !drops.isEmpty {
            lines.append("")
            lines.append("Dropped adverts:")
            for receiver in drops {
                let list = receiver.drops.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                lines.append("  \(receiver.interface) \(receiver.family): \(list)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func render(_ instance: InstanceStatus) -> [String] {
        var state = instance.state
        if instance.withdrawn { state += " (withdrawn)" }
        var lines = ["\(instance.name)  \(instance.interface) vrid \(instance.vrid) VRRPv\(instance.version) \(instance.family)  \(state)"]
        let weight = instance.trackerWeight >= 0 ? "+\(instance.trackerWeight)" : "\(instance.trackerWeight)"
        var priority = "  priority \(instance.effectivePriority) (base \(instance.basePriority), trackers \(weight))"
        if instance.faulted { priority += ", FAULT by trackers" }
        lines.append(priority)
        if let cause = instance.priorityCause { lines.append("    why: \(cause)") }
        let held = instance.holdsAddresses ? "held here" : "not held here"
        lines.append("  VIPs \(instance.virtualAddresses.joined(separator: ", ")) (\(held))")
        if let master = instance.master {
            let here = instance.state == "MASTER" || instance.state == "HANDOFF"
            lines.append("  master \(master)\(here ? " (this node)" : "")")
        } else {
            lines.append("  master unknown (none heard yet)")
        }
        if let last = instance.lastTransition {
            lines.append("  last transition \(last.from) -> \(last.to): \(last.reason), \(last.time) (\(formatAge(last.ageSeconds)) ago)")
        }
        if let heard = instance.lastAdvertHeard {
            lines.append("  last advert heard from \(heard.from), priority \(heard.priority), \(formatAge(heard.ageSeconds)) ago")
        }
        let adverts = instance.adverts
        lines.append("  adverts sent \(adverts.sent), received \(adverts.received), priority 0 sent \(adverts.priorityZeroSent), send errors \(adverts.sendErrors); transitions \(adverts.transitions)")
        return lines
    }

    /// crm_mon-like: the group line, then one line per resource in start order.
    static func render(_ group: ResourceGroupStatus) -> [String] {
        var head = "Resource group \(group.name) (follows \(group.follows)): \(group.state.uppercased())"
        if group.holdsAddresses { head += ", VIPs held" }
        var lines = [head]
        if let refusal = group.refusal { lines.append("    why: \(refusal) (haloctl resource cleanup \(group.name) to retry)") }
        for resource in group.resources {
            var line = "  \(resource.name) (\(resource.agent)): \(resource.state)"
            if resource.failCount > 0 || resource.totalFailures > 0 {
                line += ", fail count \(resource.failCount) (\(resource.totalFailures) since start)"
            }
            lines.append(line)
            if let error = resource.lastError { lines.append("    last error: \(error)") }
            let timings = [("start", resource.lastStart), ("stop", resource.lastStop), ("monitor", resource.lastMonitor)]
                .compactMap { name, timing in timing.map { "\(name) \(formatDuration($0.durationMilliseconds)) \(formatAge($0.ageSeconds)) ago" } }
            if !timings.isEmpty { lines.append("    last " + timings.joined(separator: ", ")) }
        }
        return lines
    }

    static func formatDuration(_ milliseconds: Double) -> String {
        milliseconds < 1000 ? "\(Int(milliseconds.rounded())) ms" : "\(Double(Int(milliseconds / 100)) / 10) s"
    }

    static func formatAge(_ seconds: Double) -> String {
        if seconds < 60 { return "\(Double(Int(seconds * 10)) / 10) s" }
        let whole = Int(seconds)
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        if whole < 86_400 { return "\(whole / 3600) h \(whole % 3600 / 60) min" }
        return "\(whole / 86_400) d \(whole % 86_400 / 3600) h"
    }
}
