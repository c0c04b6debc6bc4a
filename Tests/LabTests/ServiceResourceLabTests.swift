import Foundation
import Glibc
import HaloLab
import Testing

/// builtin:haproxy as the DB proxy in a halod pair: haproxy (tcp mode) in
/// front of two real MariaDB servers (db1, db2), started on the master after
/// the VIP and moved with it. A client on the LAN reads a MySQL server
/// greeting through the VIP before and after the failover (check_mysql).
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ServiceResourceLabTests {
    static let checkMySQL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/check_mysql").path

    /// A MariaDB server in `host` with its own data directory, any client allowed (no grant tables: a test backend).
    static func startMariaDB(_ pair: PairLab, host: String, work: String) throws -> LabProcess {
        let data = "\(work)/\(host)-mariadb"
        _ = try Shell.run("mariadb-install-db", "--no-defaults", "--datadir=\(data)", "--user=root",
                          "--auth-root-authentication-method=normal", "--skip-test-db")
        let server = try LabProcess("mariadbd-\(host)", in: pair.lab.host(host), arguments: [
            "mariadbd", "--no-defaults", "--datadir=\(data)", "--user=root", "--socket=\(work)/\(host).sock", "--port=3306",
            "--bind-address=0.0.0.0", "--skip-name-resolve", "--skip-grant-tables", "--pid-file=\(work)/\(host).pid",
            "--innodb-buffer-pool-size=16M", "--skip-log-bin",
        ], logDirectory: work)
        pair.adopt(server)
        return server
    }

    static func haproxyConfig(_ node: String, work: String) throws -> String {
        let path = "\(work)/\(node)-haproxy.cfg"
        try """
            global
                stats socket \(work)/\(node)-haproxy.sock mode 600 level admin
            defaults
                mode tcp
                timeout connect 2s
                timeout client 30s
                timeout server 30s
            frontend mysql
                bind :3306
                default_backend databases
            backend databases
                balance first
                server db1 192.0.2.21:3306 check inter 1s
                server db2 192.0.2.22:3306 check inter 1s

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func halodConfig(_ node: String, priority: Int, work: String) throws -> String {
        let instance = LabConfig.instance(state: priority > 100 ? "MASTER" : "BACKUP", priority: priority, advertInterval: "0.5",
                                          version: 3, vips: ["\(PairLab.vip4)/24"])
        return instance + """
            resource_group dbproxy {
                follow VI_1
                resource proxy {
                    agent builtin:haproxy
                    config \(try haproxyConfig(node, work: work))
                    pid_file \(work)/\(node)-haproxy.pid
                    stats_socket \(work)/\(node)-haproxy.sock
                }
                monitor_interval 2
            }

            """
    }

    /// check_mysql from the client against the VIP: a protocol-10 greeting (from MariaDB, through haproxy).
    static func clientGetsGreeting(_ pair: PairLab) -> Bool {
        (try? pair.client.run(checkMySQL, "--host", PairLab.vip4, "--port", "3306", "--timeout", "3")) != nil
    }

    static func eventually(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(250_000)
        }
        return condition()
    }

    static func haproxyRuns(_ node: String, work: String) -> Bool {
        let pids = ((try? String(contentsOfFile: "\(work)/\(node)-haproxy.pid", encoding: .utf8)) ?? "")
            .split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
        return pids.contains { kill($0, 0) == 0 }
    }

    @Test func dbProxyMovesWithTheVIPAndClientsStillGetAGreeting() throws {
        let pair = try PairLab(extraHosts: ["db1": "192.0.2.21/24", "db2": "192.0.2.22/24"])
        defer { pair.tearDown() }
        let work = try pair.lab.makeWorkDirectory()
        _ = try Self.startMariaDB(pair, host: "db1", work: work)
        _ = try Self.startMariaDB(pair, host: "db2", work: work)
        let n1 = try pair.halod("n1", try Self.halodConfig("n1", priority: 150, work: work))
        #expect(pair.awaitSoleHolder("n1", seconds: 10), "\(n1.log)")
        #expect(n1.awaitLog("group dbproxy started", seconds: 30), "\(n1.log)")
        let n2 = try pair.halod("n2", try Self.halodConfig("n2", priority: 100, work: work))
        #expect(n2.awaitLog("Entering BACKUP STATE", seconds: 10), "\(n2.log)")
        #expect(Self.eventually(seconds: 60) { Self.clientGetsGreeting(pair) }, "no greeting through n1's haproxy\n\(n1.log)")
        #expect(Self.haproxyRuns("n1", work: work) && !Self.haproxyRuns("n2", work: work))

        // Planned failover: n1 stops its proxy, n2 takes the VIP and starts its own.
        n1.signal(SIGTERM)
        #expect(n1.waitForExit(seconds: 30) != nil, "\(n1.log)")
        #expect(!Self.haproxyRuns("n1", work: work), "n1 left haproxy running\n\(n1.log)")
        #expect(pair.awaitSoleHolder("n2", seconds: 15), "\(n2.log)")
        #expect(n2.awaitLog("group dbproxy started", seconds: 30), "\(n2.log)")
        #expect(Self.eventually(seconds: 30) { Self.clientGetsGreeting(pair) }, "no greeting through n2's haproxy\n\(n2.log)")
        #expect(Self.haproxyRuns("n2", work: work))
    }
}
