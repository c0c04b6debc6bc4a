import HaloConfig
import HaloNet
import Testing

/// `metrics_listen ADDRESS:PORT` in global_defs: where the Prometheus endpoint listens.
@Suite struct MetricsListenTests {
    private func globals(_ line: String) -> String {
        "global_defs {\n    router_id n1\n    \(line)\n}\n" + instanceConfig("")
    }

    @Test(arguments: [
        ("127.0.0.1:9650", "127.0.0.1", 9650),
        ("[::1]:9650", "::1", 9650),
        ("192.0.2.1:1", "192.0.2.1", 1),
        ("[2001:db8::5]:65535", "2001:db8::5", 65535),
    ])
    func goodValuesAreRead(text: String, address: String, port: Int) {
        let result = load(globals("metrics_listen \(text)"))
        #expect(diagnostics(result).isEmpty, "\(diagnostics(result))")
        let listen = result.configuration?.globals.metricsListen
        #expect(listen?.address == IPAddress(address))
        #expect(listen?.port == port)
        #expect(listen?.description == text, "printed the way it is written")
        #expect(listen?.location?.line == 3)
    }

    @Test func absentMeansNoEndpoint() {
        #expect(config(instanceConfig("")).globals.metricsListen == nil)
    }

    /// Each bad value is an error at its own file:line:column, saying what is wrong.
    @Test(arguments: [
        ("127.0.0.1", "the port is missing"),
        ("127.0.0.1:", "needs a port number, not ''"),
        ("127.0.0.1:http", "needs a port number, not 'http'"),
        ("127.0.0.1:0", "port must be from 1 to 65535, not 0"),
        ("127.0.0.1:65536", "port must be from 1 to 65535, not 65536"),
        ("localhost:9650", "no host names"),
        ("::1:9650", "IPv6 address in brackets"),
        ("[::1:9650", "'[' without ']'"),
        ("[::1]9650", "the port is missing"),
        ("[127.0.0.1]:9650", "IPv4 address in brackets"),
        ("224.0.0.18:9650", "multicast"),
        ("300.1.2.3:9650", "not '300.1.2.3'"),
    ])
    func badValuesAreErrorsAtTheirLocation(text: String, problem: String) {
        let result = load(globals("metrics_listen \(text)"))
        let lines = diagnostics(result)
        #expect(result.errors.count == 1, "\(lines)")
        #expect(lines.first?.hasPrefix("t.conf:3:20: error: 'metrics_listen \(text)': ") == true, "\(lines)")
        #expect(lines.first?.contains(problem) == true, "\(lines)")
        #expect(result.configuration?.globals.metricsListen == nil)
    }

    @Test func missingValueIsAnError() {
        let result = load(globals("metrics_listen"))
        #expect(diagnostics(result).first?.hasPrefix("t.conf:3:5: error: 'metrics_listen' needs a value") == true, "\(diagnostics(result))")
    }

    @Test func configTestSummaryNamesTheEndpoint() {
        let report = ConfigTestReport(path: "t.conf", result: load(globals("metrics_listen [::1]:9650")), kernelHasIPVS: false)
        #expect(report.render().contains("Prometheus metrics: http://[::1]:9650/metrics\n"), "\(report.render())")
        let without = ConfigTestReport(path: "t.conf", result: load(instanceConfig("")), kernelHasIPVS: false)
        #expect(!without.render().contains("Prometheus metrics"))
    }
}
