import Foundation
import Glibc
import HaloLab
import Testing

/// check_mysql against a real MariaDB (mariadbd from mariadb-server, in a lab
/// namespace with a fresh datadir), through haproxy in tcp mode, and against
/// ports that are not MySQL.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct MySQLCheckTests {
    @Test func handshakeErrPacketsLoginAndProxy() throws {
        let lab = try ServiceLab()
        defer { lab.tearDown() }
        let data = "\(lab.work)/mariadb", socket = "\(lab.work)/mariadb.sock"
        let install = try runCommand(["mariadb-install-db", "--no-defaults", "--datadir=\(data)", "--user=root",
                                      "--auth-root-authentication-method=normal", "--skip-test-db"])
        try #require(install.status == 0, "\(install)")
        let mariadb = try lab.start("mariadbd", [
            "mariadbd", "--no-defaults", "--datadir=\(data)", "--user=root", "--socket=\(socket)", "--port=3306",
            "--bind-address=0.0.0.0", "--skip-name-resolve", "--pid-file=\(lab.work)/mariadb.pid",
            "--innodb-buffer-pool-size=16M", "--skip-log-bin",
        ])
        try #require(try becomesHealthy("check_mysql", [], in: lab.server, seconds: 30), "\(lab.logs())")

        // Healthy: handshake read, nothing on stdout or stderr.
        let healthy = try check("check_mysql", ["--host", "127.0.0.1", "--port", "3306", "--timeout", "2"], in: lab.server)
        #expect(healthy.status == 0 && healthy.stdout.isEmpty && healthy.stderr.isEmpty, "\(healthy)")

        // An ERR packet instead of the handshake: the client host has no account (skip-name-resolve).
        let refused = try check("check_mysql", ["-H", ServiceLab.serverAddress], in: lab.client)
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.isOneLine && refused.reason.contains("MySQL error 1130")
                && refused.reason.contains("Host '\(ServiceLab.clientAddress)' is not allowed to connect"), "\(refused)")

        // --user/--password: a real login and query with the mysql client.
        let sql = "CREATE USER 'halo'@'127.0.0.1' IDENTIFIED BY 'secret'; GRANT USAGE ON *.* TO 'halo'@'127.0.0.1';"
        let created = try runCommand(["mariadb", "--no-defaults", "--socket=\(socket)", "-u", "root", "-e", sql])
        try #require(created.status == 0, "\(created)")
        let login = try check("check_mysql", ["--user", "halo", "--password", "secret"], in: lab.server)
        #expect(login.status == 0 && login.stderr.isEmpty && login.stdout.isEmpty, "\(login)")
        let badLogin = try check("check_mysql", ["--user", "halo", "--password", "wrong"], in: lab.server)
        #expect(badLogin.status == 1 && badLogin.isOneLine && badLogin.reason.contains("Access denied"), "\(badLogin)")
        let badQuery = try check("check_mysql", ["--user", "halo", "--password", "secret", "--query", "SELECT * FROM nope.t"],
                                 in: lab.server)
        #expect(badQuery.status == 1 && badQuery.isOneLine, "\(badQuery)")

        // A MySQL proxy: haproxy in tcp mode on 3307 in front of MariaDB relays the handshake.
        let config = try lab.write("haproxy.cfg", """
            defaults
                mode tcp
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            listen mysql
                bind 127.0.0.1:3307
                server db 127.0.0.1:3306
            """)
        _ = try lab.start("haproxy", ["haproxy", "-db", "-f", config])
        #expect(try becomesHealthy("check_mysql", ["--port", "3307"], in: lab.server, seconds: 10), "\(lab.logs())")

        // Not MySQL: an HTTP server waits for a request, so the handshake never comes.
        let http = try lab.write("http.sh", """
            #!/bin/bash
            IFS= read -r line; printf 'HTTP/1.0 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n'
            """, executable: true)
        _ = try lab.start("http", ["socat", "TCP-LISTEN:8080,reuseaddr,fork", "EXEC:\(http)"])
        _ = try lab.start("silent", ["socat", "TCP-LISTEN:9000,reuseaddr,fork", "SYSTEM:sleep 30"])
        _ = try lab.start("ssh", ["socat", "TCP-LISTEN:2222,reuseaddr,fork", "SYSTEM:echo SSH-2.0-OpenSSH_9.2p1"])
        #expect(try eventually(seconds: 5) { try check("check_mysql", ["-p", "2222"], in: lab.server).reason.contains("not a MySQL server") })
        for port in ["8080", "9000"] {
            let started = Date()
            let silent = try check("check_mysql", ["--port", port, "--timeout", "1"], in: lab.server)
            #expect(silent.status == 1 && silent.isOneLine && silent.reason.contains("no MySQL handshake")
                    && silent.reason.contains("within 1s"), "\(silent)")
            #expect(Date().timeIntervalSince(started) < 4, "the timeout bounds the check")
        }
        let ssh = try check("check_mysql", ["-p", "2222"], in: lab.server)
        #expect(ssh.status == 1 && ssh.reason.contains("not a MySQL server (greeting starts \"SSH-\")"), "\(ssh)")

        // Stopped: connection refused.
        mariadb.signal(SIGTERM)
        #expect(mariadb.waitForExit(seconds: 20) != nil, "\(lab.logs())")
        let stopped = try check("check_mysql", [], in: lab.server)
        #expect(stopped.status == 1 && stopped.isOneLine && stopped.reason.contains("cannot connect to 127.0.0.1:3306"), "\(stopped)")
        // The proxy still accepts, but has nothing behind it: it closes without a handshake.
        let orphanProxy = try check("check_mysql", ["--port", "3307", "--timeout", "3"], in: lab.server)
        #expect(orphanProxy.status == 1 && orphanProxy.isOneLine, "\(orphanProxy)")
    }
}
