import Glibc
import HaloLinux
import Logging

/// Runs the engine in this process until SIGTERM/SIGINT and a finished hand-off.
public enum EngineRunner {
    /// Returns the process exit code: 0 after a clean shutdown.
    /// `supervisor`: the pid of the supervising parent; when it dies, the engine stops cleanly
    /// (hands off) instead of running unsupervised.
    public static func run(_ configuration: EngineConfiguration, logger: Logger, supervisor: Int32? = nil) -> Int32 {
        do {
            // Block signals before any thread exists, so only the loop ever sees them.
            let signals = try SignalSource([SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, StateDumpFiles.jsonSignal])
            if let supervisor {
                setParentDeathSignal(SIGTERM)
                // The supervisor may have died between spawning us and the line above.
                if getppid() != supervisor { kill(getpid(), SIGTERM) }
            }
            let loop = try EventLoop()
            let engine = try Engine(configuration: configuration, loop: loop, logger: logger)
            engine.onStopped = { loop.stop() }
            try loop.watchReadable(signals.fileDescriptor) {
                for signal in signals.read() {
                    switch signal {
                    case SIGTERM, SIGINT:
                        engine.shutdown()
                    case SIGHUP:
                        // Outcome and diagnostics are logged by the reload itself.
                        _ = engine.reload(cause: "SIGHUP")
                    case SIGUSR1: engine.writeStateDump(.data)
                    case SIGUSR2: engine.writeStateDump(.stats)
                    case StateDumpFiles.jsonSignal: engine.writeStateDump(.json)
                    default:
                        logger.notice("signal \(signal) received and ignored")
                    }
                }
            }
            for note in configuration.notRun { logger.warning("\(note)") }
            try engine.start()
            engine.startMetrics()
            engine.startSystemdNotify(supervisor: supervisor)
            logger.info("VRRP engine running \(configuration.instances.count) instance(s)")
            loop.run()
            logger.info("stopped")
            return 0
        } catch {
            logger.critical("cannot run: \(error)")
            return 3
        }
    }
}
