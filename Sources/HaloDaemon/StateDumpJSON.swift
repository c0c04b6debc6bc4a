import HaloControl

/// The JSON dump in keepalived's shape (vrrp_json.c): an array with one
/// `{"data": {...}, "stats": {...}}` per instance, keepalived's key names and
/// state numbers, so keepalived exporters read it unchanged. Halo adds
/// `halo_state` (`state` shows HANDOFF as MASTER); the password is left out.
/// Resource groups are not here: they are in `haloctl status --json`.
enum StateDumpJSON {
    struct Entry: Encodable {
        var data: DataPart
        var stats: StatsPart
    }

    struct DataPart: Encodable {
        var iname: String
        var dont_track_primary: Int
        var skip_check_adv_addr = 0
        var strict_mode = 0
        var vmac_ifname = ""
        var ifp_ifname: String
        var master_priority: Int
        var last_transition: Double
        var garp_delay: Int
        var garp_refresh: Int
        var garp_rep: Int
        var garp_refresh_rep: Int
        var garp_lower_prio_delay: Int
        var garp_lower_prio_rep: Int
        var lower_prio_no_advert = 0
        var higher_prio_send_advert = 0
        var vrid: Int
        var base_priority: Int
        var effective_priority: Int
        var vipset: Bool
        var promote_secondaries = false
        /// Seconds: an integer when whole, as keepalived writes it.
        var adver_int: AdvertInterval
        var master_adver_int: AdvertInterval
        var accept = 1
        var nopreempt: Bool
        var preempt_delay: Int
        var state: Int
        var wantstate: Int
        var version: Int
        var smtp_alert = false
        var vips: [String]
        var evips: [String]
        var track_ifp: [String]
        var track_script: [String]
        var auth_type: Int
        var halo_state: String
    }

    /// A whole number of seconds encodes as an integer (what keepalived's readers expect), else as a fraction.
    struct AdvertInterval: Encodable {
        var centiseconds: Int
        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            if centiseconds % 100 == 0 { try container.encode(centiseconds / 100) } else { try container.encode(Double(centiseconds) / 100) }
        }
    }

    struct StatsPart: Encodable {
        var advert_rcvd: Int
        var advert_sent: Int
        var become_master: Int
        var release_master: Int
        var packet_len_err: Int
        var advert_interval_err: Int
        var ip_ttl_err: Int
        var invalid_type_rcvd: Int
        var addr_list_err: Int
        var invalid_authtype: Int
        var authtype_mismatch: Int
        var auth_failure: Int
        var pri_zero_rcvd: Int
        var pri_zero_sent: Int
    }

    static func entries(_ snapshot: StateDumpSnapshot) -> [Entry] {
        snapshot.instances.map { instance in
            let interval = AdvertInterval(centiseconds: instance.advertIntervalCentiseconds)
            let state = KeepalivedState.code(instance.state)
            let data = DataPart(
                iname: instance.name, dont_track_primary: instance.dontTrackPrimary ? 1 : 0, ifp_ifname: instance.interface,
                master_priority: instance.masterPriority, last_transition: instance.lastTransition ?? 0,
                garp_delay: instance.garp.delaySeconds, garp_refresh: instance.garp.refreshSeconds,
                garp_rep: instance.garp.repeats, garp_refresh_rep: instance.garp.refreshRepeats,
                garp_lower_prio_delay: instance.garp.lowerPriorityDelaySeconds,
                garp_lower_prio_rep: instance.garp.lowerPriorityRepeats, vrid: instance.vrid,
                base_priority: instance.basePriority, effective_priority: instance.effectivePriority,
                vipset: instance.holdsAddresses, adver_int: interval, master_adver_int: interval,
                nopreempt: !instance.preempt, preempt_delay: Int(instance.preemptDelayMilliseconds / 1000),
                state: state, wantstate: state, version: instance.version, vips: instance.virtualAddresses,
                evips: instance.excludedAddresses, track_ifp: instance.trackedInterfaces,
                track_script: instance.trackedScripts, auth_type: instance.usesPassword ? 1 : 0, halo_state: instance.state)
            let s = instance.stats
            let stats = StatsPart(
                advert_rcvd: s.advertsReceived, advert_sent: s.advertsSent, become_master: s.becameMaster,
                release_master: s.releasedMaster, packet_len_err: s.packetLengthErrors,
                advert_interval_err: s.advertIntervalErrors, ip_ttl_err: s.ttlErrors, invalid_type_rcvd: s.invalidType,
                addr_list_err: s.addressListErrors, invalid_authtype: s.authInvalidType,
                authtype_mismatch: s.authTypeMismatch, auth_failure: s.authFailure,
                pri_zero_rcvd: s.priorityZeroReceived, pri_zero_sent: s.priorityZeroSent)
            return Entry(data: data, stats: stats)
        }
    }

    /// The whole file: one JSON array and a newline (sorted keys: stable and diffable).
    static func render(_ snapshot: StateDumpSnapshot) -> String {
        String(decoding: ControlEncoding.line(entries(snapshot)), as: UTF8.self)
    }
}
