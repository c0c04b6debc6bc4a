import Glibc
import HaloLinux
import Logging

/// Runs the engine in this process until SIGTERM/SIGINT and a finished hand-off.
public enum EngineRunner {
    /// Returns the process exit code: 0 after a clean shutdown.
    public static func run(_ configuration: EngineConfiguration, logger: Logger, underSupervisor: Bool = false) -> Int32 {
        // The supervisor is our parent: if it dies, stop cleanly instead of running unsupervised.
        if underSupervisor { setParentDeathSignal(SIGTERM) }
        do {
            // Block signals before any thread exists, so only the loop ever sees them.
            let signals = try SignalSource([SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2])
            let loop = try EventLoop()
            let engine = try Engine(configuration: configuration, loop: loop, logger: logger)
            engine.onStopped = { loop.stop() }
            try loop.watchReadable(signals.fileDescriptor) {
                for signal in signals.read() {
                    switch signal {
                    case SIGTERM, SIGINT:
                        engine.shutdown()
                    default:
                        logger.notice("signal \(signal) received: this build has no reload or dump yet; still running the loaded configuration")
                    }
                }
            }
            for note in configuration.notRun { logger.warning("\(note)") }
            try engine.start()
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
