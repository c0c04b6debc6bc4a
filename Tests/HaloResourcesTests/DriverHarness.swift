import Foundation
import HaloLinux
import HaloResources

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// A GroupDriver on its own loop thread, with a delegate that records what the
/// daemon would be asked to do. Shell resources append their name and action
/// to `log`, so order is read back from a file as in the lab.
final class DriverHarness: GroupDriverDelegate, @unchecked Sendable {
    let loop: EventLoop
    let directory: String
    var driver: GroupDriver!
    private let lock = NSLock()
    private var recorded: [String] = []
    private var thread: Thread?
    var fenceSucceeds = true

    init() throws {
        loop = try EventLoop()
        directory = NSTemporaryDirectory() + "/halo-res-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    var logPath: String { directory + "/order.log" }

    /// The order file's lines ("a start", "b stop", ...).
    var order: [String] {
        ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    var events: [String] { lock.withLock { recorded } }

    /// An exec resource whose start/stop append to the order file, whose
    /// monitor succeeds while DIR/NAME.up exists; `extra` runs before each action.
    func shellResource(_ name: String, start: String = "", stop: String = "", monitor: String = "") -> ResourceDefinition {
        let up = "\(directory)/\(name).up"
        func command(_ body: String) -> [String] { ["/bin/sh", "-c", body] }
        return ResourceDefinition(name: name, kind: .exec(
            start: command("\(start) echo '\(name) start' >> \(logPath) && touch \(up)"),
            stop: command("\(stop) echo '\(name) stop' >> \(logPath) && rm -f \(up)"),
            monitor: command("\(monitor) test -e \(up)")))
    }

    func start(resources: [ResourceDefinition], settings: GroupPlanner.Settings,
               timing: GroupDriver.Timing = .init(start: 5000, stop: 5000, monitor: 5000, interval: 60_000)) throws {
        let ready = DispatchSemaphore(value: 0)
        let failure = Box<String?>(nil)
        thread = Thread { [self] in
            do {
                let agents = AgentRunner(processes: try ProcessRunner(loop: loop))
                driver = GroupDriver(name: "g", resources: resources, settings: settings, timing: timing, agents: agents)
                driver.delegate = self
            } catch {
                failure.value = "\(error)"
            }
            ready.signal()
            loop.run()
        }
        thread?.start()
        ready.wait()
        if let failure = failure.value { throw SystemError(failure, code: 0) }
    }

    func send(_ event: GroupEvent) {
        loop.execute { [self] in driver.handle(event) }
    }

    /// Waits until `condition` (read on the loop thread) holds; false after `seconds`.
    func wait(seconds: Double = 15, until condition: @escaping @Sendable (DriverHarness) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let met = Box(false)
            let done = DispatchSemaphore(value: 0)
            loop.execute { [self] in met.value = condition(self); done.signal() }
            done.wait()
            if met.value { return true }
            usleep(10_000)
        }
        return false
    }

    func planner() -> GroupPlanner {
        let result = Box<GroupPlanner?>(nil)
        let done = DispatchSemaphore(value: 0)
        loop.execute { [self] in result.value = driver.planner; done.signal() }
        done.wait()
        return result.value!
    }

    func stop() {
        loop.execute { [loop] in loop.stop() }
        Thread.sleep(forTimeInterval: 0.05)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func record(_ event: String) { lock.withLock { recorded.append(event) } }

    func groupAddVIPs(_ driver: GroupDriver) { record("add VIPs") }
    func groupRemoveVIPs(_ driver: GroupDriver) { record("remove VIPs") }
    func groupStarted(_ driver: GroupDriver) { record("started") }
    func groupStopped(_ driver: GroupDriver) { record("stopped") }
    func groupFailOver(_ driver: GroupDriver, reason: String) { record("fail over: \(reason)") }
    func groupFence(_ driver: GroupDriver, resource: String, done: @escaping (Bool) -> Void) {
        record("fence \(resource)")
        let succeeds = fenceSucceeds
        _ = loop.schedule(at: MonotonicClock.nanoseconds()) { done(succeeds) }
    }
    func groupLog(_ driver: GroupDriver, _ message: String) {}
}
