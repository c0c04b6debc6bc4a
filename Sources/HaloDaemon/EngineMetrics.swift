import CoreMetrics
import HaloLinux
import HaloNet
import HaloResources
import Prometheus
import Synchronization
import VRRP

/// global_defs `metrics_listen`, as the engine uses it.
public struct MetricsEndpointSettings: Hashable, Sendable {
    public var address: IPAddress
    public var port: Int

    public init(address: IPAddress, port: Int) {
        self.address = address
        self.port = port
    }
}

/// The first engine in a process routes swift-metrics (`Counter(label:)` and
/// friends, from any library) into its registry: `MetricsSystem` takes one factory.
private let metricsSystemBootstrapped = Mutex(false)

extension Engine {
    /// Serves /metrics on `configuration.metrics`, from this engine's loop. A
    /// listen failure is logged and the engine runs on without metrics: adverts
    /// matter more than the endpoint. The loop keeps the server alive.
    public func startMetrics() {
        guard let settings = configuration.metrics else { return }
        let shown = settings.address.family == .ipv6 ? "[\(settings.address)]:\(settings.port)" : "\(settings.address):\(settings.port)"
        let exporter = MetricsExporter()
        metricsSystemBootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: exporter.registry))
            done = true
        }
        observeResourceActions(exporter)
        do {
            let listener = try TCPListener(address: settings.address, port: settings.port)
            // The loop's watch on the listener holds the server; nothing else needs to.
            _ = try MetricsServer(listener: listener, loop: loop, logger: logger) { [unowned self] in
                // Resource groups a reload started since the last scrape get their hook here.
                observeResourceActions(exporter)
                return exporter.render(metricsSnapshot)
            }
            logger.info("Prometheus metrics at http://\(shown)/metrics")
        } catch {
            logger.error("metrics_listen \(shown): \(error); running without the metrics endpoint")
        }
    }

    /// Counts every resource agent run and its duration as it finishes.
    private func observeResourceActions(_ exporter: MetricsExporter) {
        for group in groups {
            guard let resources = group.resources, resources.driver.onAgentFinished == nil else { continue }
            let groupName = resources.spec.name
            let names = resources.driver.resources.map(\.name)
            resources.driver.onAgentFinished = { index, action, result, duration in
                exporter.resourceActionFinished(group: groupName, resource: names[index], action: action.rawValue,
                                                result: Self.metricWord(result), durationNanoseconds: duration)
            }
        }
    }

    /// The engine's counters right now. Loop thread only.
    var metricsSnapshot: MetricsSnapshot {
        var snapshot = MetricsSnapshot()
        snapshot.instances = instances.map { instance in
            let statistics = instance.statistics
            return MetricsSnapshot.Instance(
                name: instance.spec.name, interface: instance.spec.interface, state: Self.metricWord(instance.state),
                basePriority: Int(instance.spec.basePriority), effectivePriority: Int(instance.router.effectivePriority),
                advertsSent: statistics.advertsSent, advertsReceived: statistics.advertsReceived,
                priorityZeroSent: statistics.priorityZeroSent, sendErrors: statistics.sendErrors,
                transitions: statistics.transitions, announcementsSent: statistics.announcementsSent,
                latenessBuckets: statistics.advertLateness.buckets.map { .init(upperBoundNanoseconds: $0.upperBound, count: $0.count) },
                latenessMaximumNanoseconds: statistics.advertLateness.maximum)
        }
        snapshot.drops = dropCounts.map { socket in
            // Every reason, zeros included, so a rate() works from the first drop on.
            let counts = Dictionary(uniqueKeysWithValues: DropReason.allCases.map { ($0.name, socket.drops[$0] ?? 0) })
            return MetricsSnapshot.Drops(interface: socket.interface, family: socket.family == .ipv4 ? "ipv4" : "ipv6", counts: counts)
        }
        snapshot.scripts = scriptTrackers.values.sorted { $0.spec.name < $1.spec.name }.map {
            MetricsSnapshot.Script(name: $0.spec.name, status: "\($0.health.status)", runs: $0.runs,
                                   failures: $0.failures, timeouts: $0.timeouts, skipped: $0.skipped)
        }
        snapshot.resources = groups.compactMap(\.resources).flatMap { group in
            group.driver.planner.records.map {
                MetricsSnapshot.Resource(group: group.spec.name, name: $0.name, state: $0.state.rawValue,
                                         failures: $0.totalFailures, failCount: $0.failCount)
            }
        }
        return snapshot
    }

    static func metricWord(_ state: RouterState) -> String {
        switch state {
        case .initialize: "init"
        case .backup: "backup"
        case .master: "master"
        case .fault: "fault"
        case .handingOff: "handoff"
        }
    }

    static func metricWord(_ result: AgentResult) -> String {
        switch result {
        case .success: "success"
        case .notRunning: "not_running"
        case .failed: "failed"
        case .fatal: "fatal"
        case .timedOut: "timed_out"
        }
    }
}
