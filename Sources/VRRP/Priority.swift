/// Effective priority as keepalived computes it: the configured base plus the sum
/// of tracker weights (scripts, interfaces, files), clamped to 1..254. The address
/// owner (255) is never moved by trackers, and 0 is reserved for "master leaving"
/// (RFC 5798 §5.2.4), so a tracked instance can never advertise either by accident.
public enum Priority {
    public static let owner: UInt8 = 255
    public static let leaving: UInt8 = 0

    public static func effective(base: UInt8, trackerWeight: Int) -> UInt8 {
        if base == owner { return owner }
        return UInt8(min(254, max(1, Int(base) + trackerWeight)))
    }
}
