import HaloControl
import VRRP

/// Everything the keepalived-style dumps show, copied out of the engine at one
/// moment: the formatters are pure functions of it (and tested from fixed ones).
struct StateDumpSnapshot: Equatable, Sendable {
    /// Wall-clock time of the snapshot, seconds since the epoch.
    var time: Double
    var node: String
    var routerID: String?
    var instances: [Instance]
    var syncGroups: [SyncGroupStatus]
    var scripts: [Script]
    var resourceGroups: [ResourceGroupStatus]

    struct Instance: Equatable, Sendable {
        var name: String
        var interface: String
        /// "ipv4" or "ipv6".
        var family: String
        var vrid: Int
        var version: Int
        /// Halo's state: INIT, BACKUP, MASTER, FAULT or HANDOFF.
        var state: String
        var basePriority: Int
        var effectivePriority: Int
        /// Priority of the last advert heard from another router (0: none).
        var masterPriority: Int
        var masterAddress: String?
        var advertIntervalCentiseconds: Int
        var preempt: Bool
        var preemptDelayMilliseconds: Int64
        /// Wall-clock seconds since the epoch of the last transition, if any.
        var lastTransition: Double?
        var sourceAddress: String
        /// Unicast peers, or empty for multicast.
        var unicastPeers: [String]
        var multicastGroup: String
        var usesPassword: Bool
        var virtualAddresses: [String]
        var excludedAddresses: [String]
        var holdsAddresses: Bool
        var trackedInterfaces: [String]
        var trackedScripts: [String]
        var trackedFiles: [String]
        var dontTrackPrimary: Bool
        var garp: Garp
        var stats: Stats
    }

    /// The gratuitous ARP / unsolicited NA settings, in keepalived's units.
    struct Garp: Equatable, Sendable {
        var delaySeconds: Int
        var repeats: Int
        var refreshSeconds: Int
        var refreshRepeats: Int
        var lowerPriorityDelaySeconds: Int
        var lowerPriorityRepeats: Int
    }

    /// keepalived's per-instance counters. Packet errors found before an advert
    /// is matched to its VRID are counted per interface and family, so every
    /// instance on that interface and family shows them.
    struct Stats: Equatable, Sendable {
        var advertsReceived = 0
        var advertsSent = 0
        var becameMaster = 0
        var releasedMaster = 0
        var packetLengthErrors = 0
        var ttlErrors = 0
        var invalidType = 0
        var advertIntervalErrors = 0
        var addressListErrors = 0
        var authInvalidType = 0
        var authTypeMismatch = 0
        var authFailure = 0
        var priorityZeroReceived = 0
        var priorityZeroSent = 0
    }

    struct Script: Equatable, Sendable {
        var name: String
        var command: String
        var intervalMilliseconds: Int64
        var timeoutMilliseconds: Int64
        var weight: Int
        var rise: Int
        var fall: Int
        /// GOOD, BAD, or INIT before the first result.
        var status: String
        /// idle or running.
        var state: String
    }
}

/// keepalived's numbers for states in the JSON dump (vrrp.h: INIT 0, BACKUP 1, MASTER 2, FAULT 3).
enum KeepalivedState {
    static func code(_ state: String) -> Int {
        switch state {
        case "BACKUP": 1
        case "MASTER", "HANDOFF": 2
        case "FAULT": 3
        default: 0
        }
    }

    /// keepalived has no HANDOFF: the node is master until the successor is heard.
    static func name(_ state: String) -> String { state == "HANDOFF" ? "MASTER" : state }
}

extension InstanceStatistics {
    /// HANDOFF is still master: mastership is released when the hand-off ends.
    mutating func countMastership(from: RouterState, to: RouterState) {
        let wasMaster = from == .master || from == .handingOff
        let isMaster = to == .master || to == .handingOff
        if isMaster && !wasMaster { becameMaster += 1 }
        if wasMaster && !isMaster { releasedMaster += 1 }
    }
}
