@testable import HaloDaemon
import Testing

/// The Prometheus text the endpoint serves, built from hand-made snapshots:
/// names, HELP/TYPE lines, labels, values that follow the engine's counters
/// (never added twice), series that go away, and the lateness histogram.
@Suite struct MetricsExporterTests {
    private func instance(_ name: String, state: String = "master", sent: Int = 0, received: Int = 0,
                          lateness: LatencyHistogram = LatencyHistogram()) -> MetricsSnapshot.Instance {
        MetricsSnapshot.Instance(
            name: name, interface: "eth0", state: state, basePriority: 150, effectivePriority: 140,
            advertsSent: sent, advertsReceived: received, priorityZeroSent: 1, sendErrors: 0, transitions: 2,
            announcementsSent: 5,
            latenessBuckets: lateness.buckets.map { .init(upperBoundNanoseconds: $0.upperBound, count: $0.count) },
            latenessMaximumNanoseconds: lateness.maximum)
    }

    private func render(_ exporter: MetricsExporter, _ snapshot: MetricsSnapshot) -> String {
        String(decoding: exporter.render(snapshot), as: UTF8.self)
    }

    /// The value of the sample line `series` (name with its labels exactly as printed), if present.
    private func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func instanceCountersGaugesAndHelpText() {
        let exporter = MetricsExporter()
        var snapshot = MetricsSnapshot()
        snapshot.instances = [instance("VI_1", state: "master", sent: 12, received: 0), instance("VI_2", state: "backup", sent: 0, received: 9)]
        let text = render(exporter, snapshot)
        #expect(text.contains("# HELP halo_instance_adverts_sent_total VRRP adverts sent by this instance.\n"), "\(text)")
        #expect(text.contains("# TYPE halo_instance_adverts_sent_total counter\n"))
        #expect(text.contains("# TYPE halo_instance_state gauge\n"))
        #expect(value(text, #"halo_instance_adverts_sent_total{vrrp_instance="VI_1"}"#) == 12)
        #expect(value(text, #"halo_instance_adverts_received_total{vrrp_instance="VI_2"}"#) == 9)
        #expect(value(text, #"halo_instance_state{vrrp_instance="VI_1",interface="eth0",state="master"}"#) == 1)
        #expect(value(text, #"halo_instance_state{vrrp_instance="VI_1",interface="eth0",state="backup"}"#) == 0)
        #expect(value(text, #"halo_instance_state{vrrp_instance="VI_2",interface="eth0",state="backup"}"#) == 1)
        #expect(value(text, #"halo_instance_base_priority{vrrp_instance="VI_1"}"#) == 150)
        #expect(value(text, #"halo_instance_effective_priority{vrrp_instance="VI_1"}"#) == 140)
        #expect(value(text, #"halo_instance_transitions_total{vrrp_instance="VI_2"}"#) == 2)
        #expect(value(text, #"halo_instance_priority_zero_sent_total{vrrp_instance="VI_1"}"#) == 1)
        #expect(value(text, #"halo_instance_announcements_sent_total{vrrp_instance="VI_1"}"#) == 5)
        #expect(text.contains("# TYPE halo_metrics_render_seconds gauge\n"))
    }

    @Test func countersFollowTheEngineTotalsAndStatesMove() {
        let exporter = MetricsExporter()
        var snapshot = MetricsSnapshot()
        snapshot.instances = [instance("VI_1", state: "backup", sent: 0, received: 10)]
        _ = render(exporter, snapshot)
        snapshot.instances = [instance("VI_1", state: "master", sent: 3, received: 11)]
        let text = render(exporter, snapshot)
        #expect(value(text, #"halo_instance_adverts_received_total{vrrp_instance="VI_1"}"#) == 11, "set to the total, not 10 + 11")
        #expect(value(text, #"halo_instance_adverts_sent_total{vrrp_instance="VI_1"}"#) == 3)
        #expect(value(text, #"halo_instance_state{vrrp_instance="VI_1",interface="eth0",state="master"}"#) == 1)
        #expect(value(text, #"halo_instance_state{vrrp_instance="VI_1",interface="eth0",state="backup"}"#) == 0)
    }

    @Test func seriesOfARemovedInstanceGoAway() {
        let exporter = MetricsExporter()
        var snapshot = MetricsSnapshot()
        var lateness = LatencyHistogram()
        lateness.record(200_000)
        snapshot.instances = [instance("VI_1", sent: 1, lateness: lateness), instance("VI_OLD", sent: 4, lateness: lateness)]
        #expect(render(exporter, snapshot).contains(#"vrrp_instance="VI_OLD""#))
        snapshot.instances = [instance("VI_1", sent: 2, lateness: lateness)]
        let text = render(exporter, snapshot)
        #expect(!text.contains("VI_OLD"), "\(text)")
        #expect(value(text, #"halo_instance_adverts_sent_total{vrrp_instance="VI_1"}"#) == 2)
    }

    @Test func everyDropReasonIsACounterPerInterfaceAndFamily() {
        let exporter = MetricsExporter()
        var snapshot = MetricsSnapshot()
        snapshot.drops = [
            .init(interface: "eth0", family: "ipv4", counts: ["bad_checksum": 3, "ttl_not_255": 0]),
            .init(interface: "eth0", family: "ipv6", counts: ["bad_checksum": 0, "ttl_not_255": 7]),
        ]
        let text = render(exporter, snapshot)
        #expect(text.contains("# TYPE halo_receive_drops_total counter\n"))
        #expect(value(text, #"halo_receive_drops_total{interface="eth0",family="ipv4",reason="bad_checksum"}"#) == 3)
        #expect(value(text, #"halo_receive_drops_total{interface="eth0",family="ipv4",reason="ttl_not_255"}"#) == 0)
        #expect(value(text, #"halo_receive_drops_total{interface="eth0",family="ipv6",reason="ttl_not_255"}"#) == 7)
    }

    @Test func scriptsAndResources() {
        let exporter = MetricsExporter()
        var snapshot = MetricsSnapshot()
        snapshot.scripts = [.init(name: "chk_web", status: "down", runs: 20, failures: 4, timeouts: 1, skipped: 2)]
        snapshot.resources = [.init(group: "web", name: "nginx", state: "started", failures: 2, failCount: 1)]
        exporter.resourceActionFinished(group: "web", resource: "nginx", action: "start", result: "success", durationNanoseconds: 300_000_000)
        exporter.resourceActionFinished(group: "web", resource: "nginx", action: "start", result: "failed", durationNanoseconds: 2_000_000_000)
        exporter.resourceActionFinished(group: "web", resource: "nginx", action: "stop", result: "timed_out", durationNanoseconds: nil)
        let text = render(exporter, snapshot)
        #expect(value(text, #"halo_script_runs_total{script="chk_web"}"#) == 20)
        #expect(value(text, #"halo_script_failures_total{script="chk_web"}"#) == 4)
        #expect(value(text, #"halo_script_timeouts_total{script="chk_web"}"#) == 1)
        #expect(value(text, #"halo_script_skipped_total{script="chk_web"}"#) == 2)
        #expect(value(text, #"halo_script_status{script="chk_web",status="down"}"#) == 1)
        #expect(value(text, #"halo_script_status{script="chk_web",status="up"}"#) == 0)
        #expect(value(text, #"halo_resource_failures_total{group="web",resource="nginx"}"#) == 2)
        #expect(value(text, #"halo_resource_fail_count{group="web",resource="nginx"}"#) == 1)
        #expect(value(text, #"halo_resource_state{group="web",resource="nginx",state="started"}"#) == 1)
        #expect(value(text, #"halo_resource_actions_total{group="web",resource="nginx",action="start",result="success"}"#) == 1)
        #expect(value(text, #"halo_resource_actions_total{group="web",resource="nginx",action="start",result="failed"}"#) == 1)
        #expect(value(text, #"halo_resource_actions_total{group="web",resource="nginx",action="stop",result="timed_out"}"#) == 1)
        #expect(text.contains("# TYPE halo_resource_action_duration_seconds histogram\n"))
        #expect(value(text, #"halo_resource_action_duration_seconds_count{group="web",resource="nginx",action="start"}"#) == 2)
        #expect(value(text, #"halo_resource_action_duration_seconds_bucket{group="web",resource="nginx",action="start",le="0.5"}"#) == 1)
        #expect(value(text, #"halo_resource_action_duration_seconds_bucket{group="web",resource="nginx",action="start",le="2.5"}"#) == 2)
        #expect(value(text, #"halo_resource_action_duration_seconds_sum{group="web",resource="nginx",action="start"}"#) == 2.3)
    }

    /// Each advert lands under the right `le` (the bounds are the daemon's own), and
    /// a later scrape adds only the adverts recorded since.
    @Test func latenessHistogramBucketsAndIncrements() throws {
        let exporter = MetricsExporter()
        var lateness = LatencyHistogram()
        for nanoseconds: Int64 in [50_000, 60_000, 70_000, 2_000_000, 2_100_000, 40_000_000] { lateness.record(nanoseconds) }
        var snapshot = MetricsSnapshot()
        snapshot.instances = [instance("VI_1", lateness: lateness)]
        let bounds = MetricsExporter.latenessBounds(snapshot.instances[0].latenessBuckets)
        #expect(bounds.count == MetricsExporter.latenessTargets.count)
        for (bound, target) in zip(bounds, MetricsExporter.latenessTargets) {
            #expect(bound / target > 0.9 && bound / target < 1.1, "\(bound) is near \(target)")
        }
        func bucket(_ text: String, _ le: String) -> Double? {
            value(text, #"halo_instance_advert_send_lateness_seconds_bucket{vrrp_instance="VI_1",le="\#(le)"}"#)
        }
        let text = render(exporter, snapshot)
        #expect(text.contains("# TYPE halo_instance_advert_send_lateness_seconds histogram\n"))
        let le100us = "\(bounds[0])", le2_5ms = "\(bounds[4])", le50ms = "\(bounds[8])"
        #expect(bucket(text, le100us) == 3, "\(text)")
        #expect(bucket(text, le2_5ms) == 5)
        #expect(bucket(text, le50ms) == 6)
        #expect(bucket(text, "+Inf") == 6)
        #expect(value(text, #"halo_instance_advert_send_lateness_seconds_count{vrrp_instance="VI_1"}"#) == 6)

        lateness.record(3_000_000_000)  // beyond every bucket: the open one
        snapshot.instances = [instance("VI_1", lateness: lateness)]
        let later = render(exporter, snapshot)
        #expect(value(later, #"halo_instance_advert_send_lateness_seconds_count{vrrp_instance="VI_1"}"#) == 7, "only the new advert is added")
        #expect(bucket(later, le50ms) == 6)
        #expect(bucket(later, "+Inf") == 7)
    }
}
