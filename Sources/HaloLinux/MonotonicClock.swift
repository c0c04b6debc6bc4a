import Glibc

/// CLOCK_MONOTONIC in nanoseconds: the only clock timers use, so wall-clock
/// steps (NTP, an operator's `date`) never fire or delay an advert.
public enum MonotonicClock {
    public static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
