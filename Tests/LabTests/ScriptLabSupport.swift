import Foundation
import Glibc
import HaloLab

/// Scripts, hook logs and a stand-in service for the tracking and notify lab tests.
extension PairLab {
    /// Writes an executable script (mode 0755) into the lab's work directory
    /// (or `directory`) and returns its path.
    func script(_ name: String, _ body: String, directory: String? = nil) throws -> String {
        let folder = try directory ?? lab.makeWorkDirectory()
        let path = "\(folder)/\(name)"
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// A path in the lab's work directory (not created).
    func workPath(_ name: String) throws -> String {
        "\(try lab.makeWorkDirectory())/\(name)"
    }

    /// A TCP listener on 127.0.0.1:`port` in `host`'s namespace: the tracked "service".
    func startService(on host: String, port: Int, name: String) throws -> LabProcess {
        let service = try LabProcess(
            name, in: lab.host(host),
            arguments: ["socat", "TCP-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork", "SYSTEM:true"],
            logDirectory: lab.makeWorkDirectory())
        adopt(service)
        // Listening before the first check runs, so the check starts healthy.
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline {
            if (try? lab.host(host).run("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/\(port)")) != nil { break }
            usleep(20_000)
        }
        return service
    }

    /// A check that the service answers on `port` (bash's /dev/tcp, no extra tools).
    func serviceCheck(port: Int) throws -> String {
        try script("check_service_\(port).sh", "#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/\(port)\n")
    }

    /// Polls until `node` holds `address` and the other node does not; returns the seconds it took, or nil.
    func timeUntilSoleHolder(_ node: String, of address: String = PairLab.vip4, seconds: Double) -> Double? {
        let start = Date()
        return awaitSoleHolder(node, of: address, seconds: seconds) ? Date().timeIntervalSince(start) : nil
    }
}

/// The lines a hook log file holds, without the empty last one.
func lines(ofFile path: String) -> [String] {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
}

/// `advert send lateness p50 A ms, p99 B ms, max C ms` from a stopped halod's log, in milliseconds.
func advertLateness(in log: String, instance: String = "VI_1") -> (p50: Double, p99: Double, max: Double, count: Int)? {
    guard let line = log.split(separator: "\n").last(where: { $0.contains("(\(instance)) adverts sent") && $0.contains("lateness") }) else { return nil }
    func number(after label: String) -> Double? {
        guard let range = line.range(of: label) else { return nil }
        return Double(line[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }
    guard let p50 = number(after: "p50 "), let p99 = number(after: "p99 "), let max = number(after: "max "),
          let count = number(after: "over ") else { return nil }
    return (p50, p99, max, Int(count))
}
