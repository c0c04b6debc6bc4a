import CHaloLinux
import Glibc

/// Signals as readable events: blocked for the whole process and read from a
/// signalfd in the event loop, so a handler never runs in the middle of engine
/// code. Create it before starting any thread (threads inherit the mask).
public final class SignalSource: @unchecked Sendable {
    public let fileDescriptor: Int32

    public init(_ signals: [Int32]) throws {
        fileDescriptor = try check("signalfd", (signals + [-1]).withUnsafeBufferPointer { halo_signalfd($0.baseAddress) })
    }

    deinit { close(fileDescriptor) }

    /// Pending signals, in arrival order.
    public func read() -> [Int32] {
        var signals: [Int32] = []
        while case let signal = halo_read_signal(fileDescriptor), signal >= 0 { signals.append(signal) }
        return signals
    }
}

/// A child process as a pollable file descriptor (pidfd), so its death wakes us at once.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    public let exitDescriptor: Int32

    /// Spawns `path` with `arguments` (argv[0] included) and a clean signal mask.
    public init(path: String, arguments: [String]) throws {
        var cStrings: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { cStrings.forEach { free($0) } }
        pid = try check("spawn \(path)", halo_spawn(path, &cStrings))
        exitDescriptor = try check("pidfd_open", halo_pidfd_open(pid))
    }

    deinit { close(exitDescriptor) }

    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Reaps the child once the descriptor is readable. Exit code, or 128 + signal when killed.
    public func reap() -> (status: Int32, killedBy: Int32?) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let termination = status & 0x7f
        if termination == 0 { return ((status >> 8) & 0xff, nil) }
        return (128 + termination, termination)
    }

    /// Blocks until the child exits or `milliseconds` pass; true when it exited.
    public func awaitExit(milliseconds: Int32) -> Bool {
        var poller = pollfd(fd: exitDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) > 0
    }
}

/// Ask the kernel to send `signal` to us when our parent dies (the supervisor
/// is gone: stop cleanly rather than run unsupervised).
public func setParentDeathSignal(_ signal: Int32) {
    _ = halo_set_parent_death_signal(signal)
}
