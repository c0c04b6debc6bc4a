/// What the engine's counters read at one scrape, as plain values: the
/// exporter turns these into Prometheus metrics, and tests build them by hand.
struct MetricsSnapshot: Sendable, Equatable {
    struct Instance: Sendable, Equatable {
        var name: String
        var interface: String
        /// keepalived's state word, lower-case: one of `MetricsSnapshot.stateNames`.
        var state: String
        var basePriority: Int
        var effectivePriority: Int
        var advertsSent = 0
        var advertsReceived = 0
        var priorityZeroSent = 0
        var sendErrors = 0
        var transitions = 0
        var announcementsSent = 0
        /// Cumulative advert send lateness: (bucket's exclusive upper bound or nil for the open
        /// last bucket, adverts in it), as `LatencyHistogram` keeps them.
        var latenessBuckets: [LatenessBucket] = []
        var latenessMaximumNanoseconds: Int64 = 0
    }

    struct LatenessBucket: Sendable, Equatable {
        var upperBoundNanoseconds: Int64?
        var count: Int
    }

    /// Receive drops on one socket (interface and family), every reason present (zeros too).
    struct Drops: Sendable, Equatable {
        var interface: String
        var family: String
        var counts: [String: Int]
    }

    struct Script: Sendable, Equatable {
        var name: String
        /// "up", "down" or "unknown".
        var status: String
        var runs: Int
        var failures: Int
        var timeouts: Int
        var skipped: Int
    }

    struct Resource: Sendable, Equatable {
        var group: String
        var name: String
        /// The planner's state word (`ResourceState.rawValue`).
        var state: String
        var failures: Int
        var failCount: Int
    }

    var instances: [Instance] = []
    var drops: [Drops] = []
    var scripts: [Script] = []
    var resources: [Resource] = []

    static let stateNames = ["init", "backup", "master", "fault", "handoff"]
    static let scriptStatusNames = ["up", "down", "unknown"]
    static let resourceStateNames = ["unknown", "stopped", "starting", "confirming", "started", "stopping", "blocked", "fencing"]
}
