import Foundation
import HaloLab
import HaloLinux
import HaloResources
import Testing

/// builtin:haproxy, builtin:mysql and builtin:mogilefsd against the real
/// programs (haproxy and MariaDB from Debian; a stand-in tracker speaking
/// MogileFS's line protocol, mogilefsd not being packaged), each in a lab
/// namespace of its own so ports never collide and teardown kills what runs.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ServiceAgentTests {
    /// One host namespace and a work directory; everything started in it dies at `tearDown`.
    final class Host {
        let lab: Lab
        let namespace: NetworkNamespace
        let work: String

        init() throws {
            lab = try Lab()
            do {
                namespace = try lab.addHost("svc", addresses: ["192.0.2.10/24"])
                try namespace.run("ip", "link", "set", "lo", "up")
                work = try lab.makeWorkDirectory()
            } catch {
                lab.tearDown()
                throw error
            }
        }

        func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
            let path = "\(work)/\(name)"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            if executable { chmod(path, 0o755) }
            return path
        }

        /// Runs the agent's actions inside the namespace.
        func run(_ agent: BuiltinAgent, _ actions: [AgentAction], timeout: Int = 20_000, log: Box<[String]> = Box([])) throws -> [AgentResult] {
            try namespace.perform { try BuiltinAgentHarness.results(agent, actions, timeoutMilliseconds: timeout, log: log) }
        }

        func tearDown() { lab.tearDown() }
    }

    static func haproxyConfig(stats: String, port: Int, backend: String) -> String {
        """
        global
            stats socket \(stats) mode 600 level admin
        defaults
            mode tcp
            timeout connect 2s
            timeout client 10s
            timeout server 10s
        frontend db
            bind 127.0.0.1:\(port)
            default_backend servers
        backend servers
            server s1 \(backend)

        """
    }

    @Test func haproxyChecksStartsReloadsMonitorsAndStops() throws {
        let host = try Host()
        defer { host.tearDown() }
        let stats = "\(host.work)/haproxy.sock", pidFile = "\(host.work)/haproxy.pid"
        let config = try host.write("haproxy.cfg", Self.haproxyConfig(stats: stats, port: 3307, backend: "127.0.0.1:3306"))
        let agent = try BuiltinHAProxyAgent(parameters: ["config": config, "pid_file": pidFile, "stats_socket": stats])
        let started = try host.run(agent, [.probe, .start, .monitor])
        try #require(started == [.notRunning, .success, .success], "\(started)")
        let firstPids = Set(try String(contentsOfFile: pidFile, encoding: .utf8).split(separator: "\n"))

        // A start while it runs is a reload: new processes, the old ones told to finish (-sf).
        let log = Box<[String]>([])
        #expect(try host.run(agent, [.start, .monitor], log: log) == [.success, .success])
        let secondPids = Set(try String(contentsOfFile: pidFile, encoding: .utf8).split(separator: "\n"))
        #expect(!secondPids.isEmpty && secondPids.isDisjoint(with: firstPids), "\(firstPids) -> \(secondPids)")
        #expect(log.value.contains { $0.contains("reloading (-sf") }, "\(log.value)")

        // A broken config is refused before anything is touched: the running haproxy stays.
        _ = try host.write("haproxy.cfg", Self.haproxyConfig(stats: stats, port: 3307, backend: "127.0.0.1:3306") + "    bogus_keyword on\n")
        let refused = try host.run(agent, [.start, .monitor])
        #expect(BuiltinAgentHarness.isFailure(refused[0], containing: "haproxy -c \(config): [ALERT]"), "\(refused)")
        if case .failed(_, let hard) = refused[0] { #expect(hard) }
        #expect(refused[1] == .success)

        #expect(try host.run(agent, [.stop, .monitor, .stop]) == [.success, .notRunning, .success])
        #expect(!FileManager.default.fileExists(atPath: pidFile))

        agent.program = "haproxy-missing"
        let missing = try host.run(agent, [.start])
        #expect(missing == [.failed(reason: "haproxy-missing not installed (package haproxy)", hard: true)])
    }

    @Test func haproxyWithoutStatsSocketWatchesTheFrontendPort() throws {
        let host = try Host()
        defer { host.tearDown() }
        let config = try host.write("haproxy.cfg", Self.haproxyConfig(stats: "\(host.work)/s.sock", port: 3308, backend: "127.0.0.1:3306"))
        let agent = try BuiltinHAProxyAgent(parameters: ["config": config, "pid_file": "\(host.work)/h.pid", "port": "3308"])
        let results = try host.run(agent, [.start, .monitor, .stop, .monitor])
        #expect(results == [.success, .success, .success, .notRunning], "\(results)")
    }

    @Test func mysqlGreetingFromRealMariaDBDirectAndThroughHAProxy() throws {
        let host = try Host()
        defer { host.tearDown() }
        let data = "\(host.work)/mariadb", pidFile = "\(host.work)/mariadb.pid"
        _ = try host.namespace.run("mariadb-install-db", "--no-defaults", "--datadir=\(data)", "--user=root",
                                   "--auth-root-authentication-method=normal", "--skip-test-db")
        let daemon = "--exec /usr/sbin/mariadbd -- --no-defaults --datadir=\(data) --user=root --socket=\(host.work)/m.sock --port=3306 "
            + "--bind-address=127.0.0.1 --skip-name-resolve --innodb-buffer-pool-size=16M --skip-log-bin"
        let agent = try BuiltinMySQLAgent(parameters: [
            "start_command": "start-stop-daemon --start --background --make-pidfile --pidfile \(pidFile) \(daemon)",
            "stop_command": "start-stop-daemon --stop --pidfile \(pidFile) --remove-pidfile --retry TERM/30/KILL/5",
            "port": "3306",
        ])
        #expect(try host.run(agent, [.probe, .start, .monitor], timeout: 60_000) == [.notRunning, .success, .success])

        // The same greeting through haproxy in tcp mode in front of it (the DB proxy case).
        let stats = "\(host.work)/haproxy.sock"
        let proxyConfig = try host.write("haproxy.cfg", Self.haproxyConfig(stats: stats, port: 3310, backend: "127.0.0.1:3306"))
        let proxy = try BuiltinHAProxyAgent(parameters: ["config": proxyConfig, "pid_file": "\(host.work)/haproxy.pid", "stats_socket": stats])
        let throughProxy = try BuiltinMySQLAgent(parameters: ["start_command": "true", "stop_command": "true", "port": "3310"])
        #expect(try host.run(proxy, [.start]) == [.success])
        #expect(try host.run(throughProxy, [.monitor]) == [.success])

        #expect(try host.run(agent, [.stop, .monitor], timeout: 60_000) == [.success, .notRunning])
        // The proxy still accepts, but nothing greets behind it: a failure, not "not running".
        let orphaned = try host.run(throughProxy, [.monitor], timeout: 5000)
        #expect(orphaned.count == 1 && orphaned[0] != .success && orphaned[0] != .notRunning, "\(orphaned)")
        #expect(try host.run(proxy, [.stop]) == [.success])

        // A port that accepts and says nothing is not a database (check_mysql's rule).
        let silent = try LabProcess("silent", in: host.namespace, arguments: ["socat", "TCP-LISTEN:3309,reuseaddr,fork", "SYSTEM:sleep 30"],
                                    logDirectory: host.work)
        defer { silent.kill() }
        usleep(500_000)
        let quiet = try BuiltinMySQLAgent(parameters: ["start_command": "true", "stop_command": "true", "port": "3309"])
        let result = try host.run(quiet, [.monitor], timeout: 1500)
        #expect(BuiltinAgentHarness.isFailure(result[0], containing: "no answer within"), "\(result)")

        let missing = try BuiltinMySQLAgent(parameters: ["start_command": "mycat-missing start", "stop_command": "mycat-missing stop"])
        #expect(try host.run(missing, [.start]) == [.failed(reason: "mycat-missing not installed", hard: true)])
    }

    /// A stand-in tracker: reads `listen = HOST:PORT` from its --config and serves
    /// MogileFS's line protocol there (noop -> OK), one bash handler per connection.
    static let trackerStandIn = """
        #!/bin/bash
        if [ "$1" = serve ]; then
            while IFS= read -r line; do
                line=${line%$'\\r'}
                case ${line%% *} in
                    noop) printf 'OK \\r\\n' ;;
                    *) printf 'ERR unknown_command Unknown+server+command\\r\\n' ;;
                esac
            done
            exit 0
        fi
        for argument; do case $argument in --config=*) config=${argument#--config=} ;; esac; done
        listen=$(sed -n 's/^listen *= *//p' "$config")
        exec socat TCP-LISTEN:${listen##*:},bind=${listen%:*},reuseaddr,fork EXEC:"$0 serve"
        """

    @Test func mogilefsdStandInStartsAnswersNoopAndStops() throws {
        let host = try Host()
        defer { host.tearDown() }
        let program = try host.write("mogilefsd", Self.trackerStandIn, executable: true)
        let config = try host.write("mogilefsd.conf", "listen = 127.0.0.1:7001\n")
        let agent = try BuiltinMogileFSAgent(parameters: ["config": config, "program": program, "user": "root",
                                                          "pid_file": "\(host.work)/mogilefsd.pid"])
        #expect(try host.run(agent, [.probe, .start, .monitor, .start]) == [.notRunning, .success, .success, .success])
        #expect(try host.run(agent, [.stop, .monitor, .stop]) == [.success, .notRunning, .success])

        let missing = try BuiltinMogileFSAgent(parameters: ["config": config])
        let result = try host.run(missing, [.start])
        #expect(result == [.failed(reason: "mogilefsd not installed (MogileFS::Server from CPAN; Debian has no package)", hard: true)])
    }
}
