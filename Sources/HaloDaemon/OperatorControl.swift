import Glibc
import HaloControl
import HaloLinux
import VRRP

/// What the operator asked of the elections: standby (every group withdrawn,
/// persisted across restarts) and failover holds (a group that handed off on
/// request stays out while its successor is alive). Loop thread only.
final class OperatorControl {
    unowned let engine: Engine
    private(set) var isStandby = false
    /// Groups holding back after a failover, with the timer that rejoins them if the new master goes silent.
    private var holds: [String: LoopTimer?] = [:]

    init(engine: Engine) { self.engine = engine }

    private var standbyFile: String { engine.configuration.control.standbyFilePath }

    /// At start, after `.startup`: a node stopped in standby comes back in standby,
    /// before any master-down timer could fire.
    func restoreStandby() {
        guard access(standbyFile, F_OK) == 0 else { return }
        engine.logger.notice("standby: \(standbyFile) exists; staying out of every election (haloctl unstandby to rejoin)")
        isStandby = true
        for group in engine.groups { group.handleForAll(.giveUp) }
    }

    // MARK: - Standby

    /// Persists first, so a crash right after the hand-off still comes back in standby.
    func enterStandby() throws {
        try persistStandby(true)
        isStandby = true
        cancelHolds()
        engine.logger.notice("standby requested: handing off and leaving every election")
        for group in engine.groups { group.handleForAll(.giveUp) }
    }

    func leaveStandby() throws {
        try persistStandby(false)
        isStandby = false
        cancelHolds()
        engine.logger.notice("unstandby requested: rejoining every election")
        for group in engine.groups { group.handleForAll(.rejoin) }
    }

    private func persistStandby(_ on: Bool) throws {
        if on {
            try createDirectory(engine.configuration.control.stateDirectory)
            let fd = open(standbyFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw SystemError("open(\(standbyFile))") }
            var text = "standby requested through the control socket\n"
            _ = text.withUTF8 { write(fd, $0.baseAddress, $0.count) }
            fsync(fd)
            close(fd)
        } else if unlink(standbyFile) != 0 && errno != ENOENT {
            throw SystemError("unlink(\(standbyFile))")
        }
    }

    private func createDirectory(_ path: String) throws {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw SystemError("mkdir(\(prefix))") }
        }
    }

    // MARK: - Failover

    enum FailoverError: Error {
        case refused(String)
    }

    /// Starts a planned hand-off of `name` (a sync group or instance; every group
    /// this node is master of when nil). Returns the groups given up.
    func failover(name: String?) throws -> [GroupRuntime] {
        if isStandby { throw FailoverError.refused("this node is in standby: it is master of nothing") }
        let targets: [GroupRuntime]
        if let name {
            guard let group = engine.groups.first(where: { $0.name == name || $0.members.contains { $0.spec.name == name } }) else {
                throw FailoverError.refused("no instance or sync group named \(name)")
            }
            guard group.members.contains(where: { $0.state == .master }) else {
                let states = group.members.map { "\($0.spec.name) \($0.state)" }.joined(separator: ", ")
                throw FailoverError.refused("\(name) is not master here (\(states)): nothing to hand off")
            }
            targets = [group]
        } else {
            targets = engine.groups.filter { $0.members.contains { $0.state == .master } }
            if targets.isEmpty { throw FailoverError.refused("this node is master of no instance: nothing to hand off") }
        }
        for group in targets {
            engine.logger.notice("(\(group.name)) failover requested: handing off mastership")
            holds[group.name] = .some(nil)
            group.handleForAll(.giveUp)
        }
        return targets
    }

    /// A member finished its hand-off (now a withdrawn BACKUP): start watching the new master.
    func stateChanged(_ instance: InstanceRuntime, from: RouterState, to: RouterState) {
        let group = instance.group
        guard holds[group.name] != nil, from == .handingOff, to == .backup else { return }
        armHold(group)
    }

    /// An advert on one of a held group's VRIDs: the new master lives (hold on),
    /// or is leaving itself (priority 0: rejoin now so someone takes over).
    func advertHeard(_ group: GroupRuntime, priority: UInt8) {
        guard let timer = holds[group.name], timer != nil else { return }
        if priority == Priority.leaving {
            rejoin(group, because: "the new master is leaving")
        } else {
            armHold(group)
        }
    }

    /// Rejoin once no master has been heard for a Master_Down_Interval.
    private func armHold(_ group: GroupRuntime) {
        if let timer = holds[group.name] ?? nil { engine.loop.cancel(timer) }
        let wait = group.members.map { $0.router.masterDownInterval.nanoseconds }.max() ?? 0
        holds[group.name] = engine.loop.schedule(at: MonotonicClock.nanoseconds() + wait) { [unowned self] in
            holds[group.name] = .some(nil)
            rejoin(group, because: "no master heard for the master-down interval")
        }
    }

    private func rejoin(_ group: GroupRuntime, because reason: String) {
        if let timer = holds.removeValue(forKey: group.name) ?? nil { engine.loop.cancel(timer) }
        guard !engine.isStopping, !isStandby else { return }
        engine.logger.notice("(\(group.name)) after failover: \(reason); rejoining the election")
        group.handleForAll(.rejoin)
    }

    /// Whether `group` is holding back after a failover.
    func isHolding(_ group: GroupRuntime) -> Bool { holds[group.name] != nil }

    func cancelHolds() {
        for case let timer? in holds.values { engine.loop.cancel(timer) }
        holds.removeAll()
    }
}
