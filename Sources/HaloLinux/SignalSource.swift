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

/// Ask the kernel to send `signal` to us when our parent dies (the supervisor
/// is gone: stop cleanly rather than run unsupervised).
public func setParentDeathSignal(_ signal: Int32) {
    _ = halo_set_parent_death_signal(signal)
}
