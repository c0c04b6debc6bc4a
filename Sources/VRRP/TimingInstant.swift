/// Time as plain values. The state machine never reads a clock: the data plane
/// converts CLOCK_MONOTONIC into `VRRPInstant` and passes it with every event, and
/// the simulation passes its virtual clock. Nanoseconds keep the v2 skew
/// ((256 − priority) / 256 s) exact: 1 s / 256 = 3 906 250 ns.

/// A duration in nanoseconds; may be negative only as the result of subtraction.
public struct VRRPDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = VRRPDuration(nanoseconds: 0)

    public static func microseconds(_ value: Int64) -> VRRPDuration { VRRPDuration(nanoseconds: value * 1_000) }
    public static func milliseconds(_ value: Int64) -> VRRPDuration { VRRPDuration(nanoseconds: value * 1_000_000) }
    public static func centiseconds(_ value: Int64) -> VRRPDuration { VRRPDuration(nanoseconds: value * 10_000_000) }
    public static func seconds(_ value: Int64) -> VRRPDuration { VRRPDuration(nanoseconds: value * 1_000_000_000) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    public static func + (lhs: Self, rhs: Self) -> Self { Self(nanoseconds: lhs.nanoseconds + rhs.nanoseconds) }
    public static func - (lhs: Self, rhs: Self) -> Self { Self(nanoseconds: lhs.nanoseconds - rhs.nanoseconds) }
    public static func * (lhs: Self, rhs: Int64) -> Self { Self(nanoseconds: lhs.nanoseconds * rhs) }
    public static func * (lhs: Int64, rhs: Self) -> Self { Self(nanoseconds: lhs * rhs.nanoseconds) }

    /// Milliseconds with three decimals, e.g. "3648.437ms": enough to read a trace.
    public var description: String { formatMilliseconds(nanoseconds) + "ms" }
}

/// A point on a monotonic clock, in nanoseconds since an arbitrary epoch.
public struct VRRPInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = VRRPInstant(nanoseconds: 0)

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
    public static func + (lhs: Self, rhs: VRRPDuration) -> Self { Self(nanoseconds: lhs.nanoseconds + rhs.nanoseconds) }
    public static func - (lhs: Self, rhs: VRRPDuration) -> Self { Self(nanoseconds: lhs.nanoseconds - rhs.nanoseconds) }
    public static func - (lhs: Self, rhs: Self) -> VRRPDuration { VRRPDuration(nanoseconds: lhs.nanoseconds - rhs.nanoseconds) }

    public var description: String { "t=" + formatMilliseconds(nanoseconds) + "ms" }
}

private func formatMilliseconds(_ nanoseconds: Int64) -> String {
    let sign = nanoseconds < 0 ? "-" : ""
    let magnitude = nanoseconds.magnitude
    let whole = magnitude / 1_000_000
    let fraction = (magnitude % 1_000_000) / 1_000
    let padded = String(fraction)
    return sign + String(whole) + "." + String(repeating: "0", count: 3 - padded.count) + padded
}
