import HaloLinux
import HaloResources
import VRRP

/// A resource group attached to the router group it follows. The group owns
/// that router group's VIPs: the state machine's add/remove are left to it, so
/// the VIPs go up at `vip_position` in the start order and come down in
/// reverse, after the resources above them stopped (the VIPs outlive MASTER by
/// the stop time). A failed start, the migration threshold or a blocked stop
/// raises a fault on every member (priority-0 advert: the peer takes over).
final class ResourceGroupRuntime: GroupDriverDelegate {
    let spec: ResourceGroupSpec
    let driver: GroupDriver
    unowned let routers: GroupRuntime
    /// A fault this group raised on its router group (counts as a tracker fault).
    private(set) var raisedFault = false
    private(set) var isStopped = true
    private var settleTimer: LoopTimer?
    private var cleanupTimer: LoopTimer?

    init(spec: ResourceGroupSpec, routers: GroupRuntime) {
        self.spec = spec
        self.routers = routers
        let engine = routers.engine
        let agents = AgentRunner(processes: engine.processes, netlink: engine.netlink) { [name = spec.name, logger = engine.logger] message in
            logger.info("(\(name)) \(message)")
        }
        driver = GroupDriver(name: spec.name, resources: spec.resources, settings: spec.settings,
                             timing: spec.timing.timing, agents: agents)
        driver.delegate = self
    }

    private var engine: Engine { routers.engine }

    /// Daemon start: find what already runs, to adopt it rather than start it twice.
    func probe() {
        engine.logger.info("(\(spec.name)) probing \(spec.resources.count) resource(s)")
        driver.handle(.probeAll)
    }

    /// A member changed state: MASTER of every member promotes; leaving MASTER demotes.
    func routersChanged(from: RouterState, to: RouterState) {
        let states = routers.members.map(\.state)
        if states.allSatisfy({ $0 == .master }) {
            cancelSettle()
            isStopped = false
            driver.handle(.promote)
        } else if from == .master || from == .handingOff || to == .fault {
            cancelSettle()
            driver.handle(.demote)
        } else if from == .initialize && to == .backup && settleTimer == nil {
            // Just started: give the election its master-down time before stopping
            // what the probes adopted (it may be ours to keep).
            let advert = Int64(routers.members.map(\.spec.advertIntervalCentiseconds).max() ?? 100) * 10_000_000
            settleTimer = engine.loop.schedule(at: MonotonicClock.nanoseconds() + 3 * advert + 1_000_000_000) { [unowned self] in
                settleTimer = nil
                if !routers.members.allSatisfy({ $0.state == .master }) { driver.handle(.demote) }
            }
        }
    }

    private func cancelSettle() {
        if let settleTimer { engine.loop.cancel(settleTimer) }
        settleTimer = nil
    }

    // MARK: - GroupDriverDelegate

    func groupAddVIPs(_ driver: GroupDriver) {
        for member in routers.members { member.addAddressesForResources() }
    }

    func groupRemoveVIPs(_ driver: GroupDriver) {
        for member in routers.members { member.removeAddressesForResources() }
    }

    func groupStarted(_ driver: GroupDriver) {}

    func groupStopped(_ driver: GroupDriver) {
        isStopped = true
        engine.groupActionsPerformed()
    }

    func groupFailOver(_ driver: GroupDriver, reason: String) {
        raisedFault = true
        isStopped = !driver.planner.holdsVIPs && driver.planner.inFlight == nil
        for member in routers.members.indices {
            routers.trackersChanged(member: member, cause: "resource group \(spec.name): \(reason)")
        }
        scheduleCleanup()
    }

    /// failure_timeout: the fault (and the fail counts) expire, promotion is allowed again.
    private func scheduleCleanup() {
        guard spec.failureTimeoutMilliseconds > 0, cleanupTimer == nil else { return }
        let deadline = MonotonicClock.nanoseconds() + Int64(spec.failureTimeoutMilliseconds) * 1_000_000
        cleanupTimer = engine.loop.schedule(at: deadline) { [unowned self] in
            cleanupTimer = nil
            clearFailures(cause: "failure_timeout passed")
        }
    }

    /// Forget failures and clear the fault (failure_timeout, or the operator).
    func clearFailures(cause: String) {
        clearFailures(.cleanup, cause: cause)
    }

    /// `event`: `.cleanup` (every resource) or `.cleanupResource`; the fault
    /// clears once the planner no longer refuses promotion.
    func clearFailures(_ event: GroupEvent, cause: String) {
        driver.handle(event)
        guard raisedFault, driver.planner.refusesPromotion == nil else { return }
        raisedFault = false
        for member in routers.members.indices {
            routers.trackersChanged(member: member, cause: "resource group \(spec.name): \(cause)")
        }
    }

    // MARK: - Operator requests

    enum OperatorRefusal: Error {
        case refused(String)
    }

    /// Restarts one resource in place, and what stands on it (stopped top down
    /// first, started again in order after); the VIPs stay. Only where the
    /// group runs. Returns the resources it restarts, in start order.
    func restart(resource index: Int) throws -> [String] {
        let planner = driver.planner
        let name = planner.records[index].name
        guard planner.isStarted else {
            let states = routers.members.map { "\($0.spec.name) \($0.state)" }.joined(separator: ", ")
            throw OperatorRefusal.refused("\(name) is not running here: group \(spec.name) is \(planner.phase.rawValue) (\(states))")
        }
        guard planner.records[index].state == .started else {
            throw OperatorRefusal.refused("\(name) is \(planner.records[index].state.rawValue) (group \(spec.name) is busy); try again once it runs")
        }
        let affected = planner.records[index...].filter { $0.state == .started }.map(\.name)
        engine.logger.notice("(\(spec.name)) restart of \(name) requested: stopping \(affected.reversed().joined(separator: ", ")), then starting them again")
        driver.handle(.restart(resource: index))
        return affected
    }

    /// The operator's cleanup of one resource (nil: every resource of the group).
    /// Returns the resources that had something to clear.
    func cleanup(resource index: Int?) -> [String] {
        let records = driver.planner.records
        let cleared = (index.map { [records[$0]] } ?? records).filter(\.hasFailure).map(\.name)
        if let cleanupTimer { engine.loop.cancel(cleanupTimer) }
        cleanupTimer = nil
        let target = index.map { records[$0].name } ?? "every resource"
        engine.logger.notice("(\(spec.name)) cleanup of \(target) requested")
        clearFailures(index.map { .cleanupResource($0) } ?? .cleanup, cause: "cleanup by the operator")
        // Failures left (another resource's) keep the fault; its timer must run again.
        if raisedFault { scheduleCleanup() }
        return cleared
    }

    func groupFence(_ driver: GroupDriver, resource: String, done: @escaping (Bool) -> Void) {
        guard let command = spec.fenceCommand else { done(false); return }
        var environment = ProcessSpec.cleanEnvironment
        environment["HALO_RESOURCE"] = resource
        environment["HALO_GROUP"] = spec.name
        let process = ProcessSpec(arguments: command, timeoutNanoseconds: Int64(spec.timing.stop) * 1_000_000, environment: environment)
        do {
            try engine.processes.start(process) { [unowned self] outcome in
                engine.logger.warning("(\(spec.name)) fencing for \(resource): \(outcome)")
                done(outcome.succeeded)
            }
        } catch {
            engine.logger.error("(\(spec.name)) cannot run the fencing command: \(error)")
            _ = engine.loop.schedule(at: MonotonicClock.nanoseconds()) { done(false) }
        }
    }

    func groupLog(_ driver: GroupDriver, _ message: String) {
        engine.logger.info("(\(spec.name)) \(message)")
    }
}
