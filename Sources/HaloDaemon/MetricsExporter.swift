import Glibc
import HaloLinux
import Prometheus

/// Halo's metrics in a swift-prometheus registry. The engine's own counters are
/// copied in at scrape time (`update`), so the hot paths keep plain integers;
/// resource agent runs are recorded as they finish (`resourceActionFinished`).
/// Metrics of an instance, script or socket that went away are unregistered at
/// the next scrape. Loop thread only.
final class MetricsExporter {
    let registry: PrometheusCollectorRegistry
    private var counters: [String: Counter] = [:]
    private var gauges: [String: Gauge] = [:]
    private var latenessHistograms: [String: (histogram: ValueHistogram, seen: [Int])] = [:]
    private var touched: Set<String> = []
    private var actionCounters: [String: Counter] = [:]
    private var actionDurations: [String: DurationHistogram] = [:]
    private let renderSeconds: Gauge

    /// Prometheus-style bucket bounds (seconds) the lateness histogram aims at; each is
    /// moved to the nearest `LatencyHistogram` bound so every advert lands in the right one.
    static let latenessTargets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
    static let actionDurationBuckets: [Duration] = ([0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] as [Double])
        .map { .milliseconds(Int64($0 * 1000)) }

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        renderSeconds = registry.makeGauge(descriptor: Self.descriptor(
            "halo_metrics_render_seconds", "Time the previous scrape took to read the engine and format this page."))
    }

    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    // MARK: - Scrape

    /// The exposition text for one scrape of `snapshot` (and the resource runs recorded so far).
    func render(_ snapshot: MetricsSnapshot) -> [UInt8] {
        let started = MonotonicClock.nanoseconds()
        update(snapshot)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(32 * 1024)
        registry.emit(into: &buffer)
        renderSeconds.set(Double(MonotonicClock.nanoseconds() - started) / 1e9)
        return buffer
    }

    func update(_ snapshot: MetricsSnapshot) {
        touched.removeAll(keepingCapacity: true)
        for instance in snapshot.instances { update(instance) }
        for socket in snapshot.drops {
            for (reason, count) in socket.counts {
                counter("halo_receive_drops_total", "VRRP packets dropped before the state machine, by reason (VRRP.DropReason).",
                        [("interface", socket.interface), ("family", socket.family), ("reason", reason)], count)
            }
        }
        for script in snapshot.scripts {
            let labels = [("script", script.name)]
            counter("halo_script_runs_total", "Completed runs of a vrrp_script.", labels, script.runs)
            counter("halo_script_failures_total", "vrrp_script runs that failed (non-zero exit, signal, timeout or cannot start).", labels, script.failures)
            counter("halo_script_timeouts_total", "vrrp_script runs killed at their timeout.", labels, script.timeouts)
            counter("halo_script_skipped_total", "vrrp_script runs skipped because the previous run was still going.", labels, script.skipped)
            for status in MetricsSnapshot.scriptStatusNames {
                gauge("halo_script_status", "1 for the vrrp_script's current rise/fall status, 0 for the others.",
                      labels + [("status", status)], status == script.status ? 1 : 0)
            }
        }
        for resource in snapshot.resources {
            let labels = [("group", resource.group), ("resource", resource.name)]
            counter("halo_resource_failures_total", "Failures of a resource (start, monitor or stop) since the daemon started.", labels, resource.failures)
            gauge("halo_resource_fail_count", "Failures counted against migration_threshold (inside failure_timeout).", labels, resource.failCount)
            for state in MetricsSnapshot.resourceStateNames {
                gauge("halo_resource_state", "1 for the resource's current state in its group, 0 for the others.",
                      labels + [("state", state)], state == resource.state ? 1 : 0)
            }
        }
        unregisterUntouched()
    }

    private func update(_ instance: MetricsSnapshot.Instance) {
        let labels = [("vrrp_instance", instance.name)]
        for state in MetricsSnapshot.stateNames {
            gauge("halo_instance_state", "1 for the VRRP instance's current state, 0 for the others.",
                  labels + [("interface", instance.interface), ("state", state)], state == instance.state ? 1 : 0)
        }
        gauge("halo_instance_base_priority", "Configured priority of the VRRP instance.", labels, instance.basePriority)
        gauge("halo_instance_effective_priority", "Priority the instance advertises now (base plus tracker weights; 0 when faulted or leaving).",
              labels, instance.effectivePriority)
        counter("halo_instance_adverts_sent_total", "VRRP adverts sent by this instance.", labels, instance.advertsSent)
        counter("halo_instance_adverts_received_total", "VRRP adverts for this instance accepted by the receive checks.", labels, instance.advertsReceived)
        counter("halo_instance_priority_zero_sent_total", "Priority-0 adverts sent (hand-off or shutdown).", labels, instance.priorityZeroSent)
        counter("halo_instance_send_errors_total", "Adverts the kernel refused to send.", labels, instance.sendErrors)
        counter("halo_instance_transitions_total", "State changes of this instance.", labels, instance.transitions)
        counter("halo_instance_announcements_sent_total", "Gratuitous ARPs and unsolicited neighbour advertisements sent.", labels, instance.announcementsSent)
        recordLateness(instance, labels: labels)
    }

    /// Feeds the adverts added to each `LatencyHistogram` bucket since the last scrape
    /// into the Prometheus histogram, at the bucket's top (so each lands under the right `le`).
    private func recordLateness(_ instance: MetricsSnapshot.Instance, labels: [(String, String)]) {
        guard !instance.latenessBuckets.isEmpty else { return }
        let key = "lateness|\(instance.name)"
        touched.insert(key)
        let counts = instance.latenessBuckets.map(\.count)
        var entry = latenessHistograms[key]
        if let existing = entry, existing.seen.count != counts.count || zip(existing.seen, counts).contains(where: { $0 > $1 }) {
            // A new runtime under the same name (restart): its histogram starts again.
            registry.unregisterValueHistogram(existing.histogram)
            entry = nil
        }
        if entry == nil {
            let histogram = registry.makeValueHistogram(
                descriptor: Self.descriptor("halo_instance_advert_send_lateness_seconds",
                                            "How late the advert timer fired, as master (bucket bounds are the daemon's own, within 19 % of round values)."),
                labels: labels, buckets: Self.latenessBounds(instance.latenessBuckets))
            entry = (histogram, Array(repeating: 0, count: counts.count))
        }
        guard var current = entry else { return }
        for (index, bucket) in instance.latenessBuckets.enumerated() where bucket.count > current.seen[index] {
            let value = bucket.upperBoundNanoseconds.map { Double($0 - 1) / 1e9 } ?? Double(instance.latenessMaximumNanoseconds) / 1e9
            for _ in current.seen[index]..<bucket.count { current.histogram.record(value) }
        }
        current.seen = counts
        latenessHistograms[key] = current
    }

    /// The daemon's bucket bounds nearest to `latenessTargets`, in seconds.
    static func latenessBounds(_ buckets: [MetricsSnapshot.LatenessBucket]) -> [Double] {
        let bounds = buckets.compactMap(\.upperBoundNanoseconds).map { Double($0) / 1e9 }
        guard !bounds.isEmpty else { return latenessTargets }
        let chosen = latenessTargets.map { target in bounds.min { abs(log($0 / target)) < abs(log($1 / target)) }! }
        return Array(Set(chosen)).sorted()
    }

    // MARK: - Resource agent runs, as they finish

    /// `result`: success, not_running, failed, fatal or timed_out.
    func resourceActionFinished(group: String, resource: String, action: String, result: String, durationNanoseconds: Int64?) {
        let labels = [("group", group), ("resource", resource), ("action", action)]
        let key = "\(group)|\(resource)|\(action)|\(result)"
        let counter = actionCounters[key] ?? registry.makeCounter(
            descriptor: Self.descriptor("halo_resource_actions_total", "Resource agent runs (start, stop, monitor, probe) by result."),
            labels: labels + [("result", result)])
        actionCounters[key] = counter
        counter.increment()
        guard let durationNanoseconds else { return }
        let durationKey = "\(group)|\(resource)|\(action)"
        let histogram = actionDurations[durationKey] ?? registry.makeDurationHistogram(
            descriptor: Self.descriptor("halo_resource_action_duration_seconds", "How long resource agent runs took."),
            labels: labels, buckets: Self.actionDurationBuckets)
        actionDurations[durationKey] = histogram
        histogram.recordNanoseconds(durationNanoseconds)
    }

    // MARK: - Registry bookkeeping

    private static func key(_ name: String, _ labels: [(String, String)]) -> String {
        name + labels.map { "|\($0.0)=\($0.1)" }.joined()
    }

    /// Sets a counter to the engine's running total (the engine's counter is the source of truth).
    private func counter(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Int) {
        let key = Self.key(name, labels)
        touched.insert(key)
        let counter = counters[key] ?? registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
        counters[key] = counter
        counter.reset()
        counter.increment(by: Int64(value))
    }

    private func gauge(_ name: String, _ help: String, _ labels: [(String, String)], _ value: Int) {
        let key = Self.key(name, labels)
        touched.insert(key)
        let gauge = gauges[key] ?? registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
        gauges[key] = gauge
        gauge.set(Double(value))
    }

    private func unregisterUntouched() {
        for (key, counter) in counters where !touched.contains(key) {
            registry.unregisterCounter(counter)
            counters[key] = nil
        }
        for (key, gauge) in gauges where !touched.contains(key) {
            registry.unregisterGauge(gauge)
            gauges[key] = nil
        }
        for (key, entry) in latenessHistograms where !touched.contains(key) {
            registry.unregisterValueHistogram(entry.histogram)
            latenessHistograms[key] = nil
        }
    }
}
