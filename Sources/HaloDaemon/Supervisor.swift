import Glibc
import HaloLinux
import Logging

/// keepalived has a parent process; so does Halo, with one more duty: when the
/// engine dies without cleaning up (SIGKILL, a crash), the supervisor removes
/// the engine's virtual addresses at once (keepalived leaves them, and both
/// nodes then answer for the VIP) and starts a new engine.
public struct Supervisor {
    public var engineArguments: [String]
    public var configuration: EngineConfiguration
    public var logger: Logger
    /// More engine deaths than this within `restartWindowSeconds` and the supervisor gives up.
    public var maximumRestarts = 5
    public var restartWindowSeconds: Int64 = 60

    public init(engineArguments: [String], configuration: EngineConfiguration, logger: Logger) {
        self.engineArguments = engineArguments
        self.configuration = configuration
        self.logger = logger
    }

    public func run() -> Int32 {
        let signals: SignalSource
        do {
            signals = try SignalSource([SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2])
        } catch {
            logger.critical("supervisor: \(error)")
            return 3
        }
        var deaths: [Int64] = []
        while true {
            let engine: ChildProcess
            do {
                engine = try ChildProcess(path: "/proc/self/exe", arguments: engineArguments + ["--engine-of", String(getpid())])
            } catch {
                logger.critical("supervisor: cannot start the engine: \(error)")
                return 3
            }
            logger.info("supervisor: engine started (pid \(engine.pid))")
            var stopRequested = false
            var fds = [pollfd(fd: signals.fileDescriptor, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: engine.exitDescriptor, events: Int16(POLLIN), revents: 0)]
            while true {
                guard poll(&fds, 2, -1) > 0 else { continue }
                if fds[0].revents != 0 {
                    for signal in signals.read() {
                        if signal == SIGTERM || signal == SIGINT { stopRequested = true }
                        engine.signal(signal)
                    }
                }
                if fds[1].revents != 0 { break }
            }
            let (status, killedBy) = engine.reap()
            if stopRequested { return status }
            let started = MonotonicClock.nanoseconds()
            let removed = removeVirtualAddresses()
            let elapsed = (MonotonicClock.nanoseconds() - started) / 1_000
            logger.error("supervisor: engine \(killedBy.map { "killed by signal \($0)" } ?? "exited with \(status)"); removed \(removed) virtual address(es) in \(elapsed) µs")
            deaths.append(started)
            deaths.removeAll { started - $0 > restartWindowSeconds * 1_000_000_000 }
            if deaths.count > maximumRestarts {
                logger.critical("supervisor: engine died \(deaths.count) times in \(restartWindowSeconds) s; giving up")
                return 1
            }
        }
    }

    /// Removes every address any instance may have added; absent ones are skipped.
    func removeVirtualAddresses() -> Int {
        guard let netlink = try? NetlinkSocket() else { return 0 }
        var removed = 0
        for spec in configuration.instances {
            guard let interface = try? Interface(named: spec.interface),
                  let addresses = try? VirtualAddresses(instance: spec.name, specs: spec.allAddresses, defaultInterface: interface)
            else { continue }
            removed += addresses.remove(using: netlink, logger: logger)
        }
        return removed
    }
}
