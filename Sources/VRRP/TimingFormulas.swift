/// The election timers of RFC 3768 §6.1 / RFC 5798 §6.1, with keepalived's
/// `down_timer_adverts` in place of the fixed 3.
///
/// - v2: Skew_Time = (256 − Priority) / 256 seconds, whatever the advert interval.
/// - v3: Skew_Time = ((256 − Priority) × Master_Adver_Interval) / 256, where the
///   interval is the one learned from the master's adverts.
/// - Master_Down_Interval = down_timer_adverts × Master_Adver_Interval + Skew_Time.
///
/// keepalived computes the v3 skew in microseconds, not whole centiseconds: the
/// takeover measured at 0.1 s and priority 90 is 365 ms (300 + 64.84), where a
/// centisecond-truncated skew would give 360 ms. We compute in nanoseconds.
public struct VRRPTiming: Hashable, Sendable {
    public var version: VRRPVersion
    /// keepalived's `down_timer_adverts` (1–100, default 3).
    public var downTimerAdverts: Int

    public init(version: VRRPVersion, downTimerAdverts: Int = 3) {
        self.version = version
        self.downTimerAdverts = downTimerAdverts
    }

    /// Skew_Time for a priority (1–255) and the master's advert interval.
    public func skewTime(priority: UInt8, masterAdvertInterval: VRRPDuration) -> VRRPDuration {
        let weight = Int64(256 - Int(priority))
        switch version {
        case .v2: return VRRPDuration(nanoseconds: weight * 1_000_000_000 / 256)
        case .v3: return VRRPDuration(nanoseconds: weight * masterAdvertInterval.nanoseconds / 256)
        }
    }

    /// The smallest skew (priority 255): what a `state MASTER` instance below 255
    /// adds to one advert interval before claiming mastership at startup
    /// (keepalived 2.4's VRRP_TIMER_SKEW_MIN).
    public func minimumSkew(masterAdvertInterval: VRRPDuration) -> VRRPDuration {
        skewTime(priority: 255, masterAdvertInterval: masterAdvertInterval)
    }

    public func masterDownInterval(priority: UInt8, masterAdvertInterval: VRRPDuration) -> VRRPDuration {
        Int64(downTimerAdverts) * masterAdvertInterval + skewTime(priority: priority, masterAdvertInterval: masterAdvertInterval)
    }
}
