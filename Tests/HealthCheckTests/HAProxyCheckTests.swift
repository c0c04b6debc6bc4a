import Foundation
import Glibc
import HaloLab
import Testing

/// check_haproxy against a real haproxy (master-worker, pid file, unix and TCP
/// stats sockets) balancing to a socat backend in a lab namespace.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct HAProxyCheckTests {
    @Test func processFrontendAndBackendStatus() throws {
        let lab = try ServiceLab()
        defer { lab.tearDown() }
        let socket = "\(lab.work)/admin.sock", pidfile = "\(lab.work)/haproxy.pid"
        let config = try lab.write("haproxy.cfg", """
            global
                stats socket \(socket) mode 600 level admin
                stats socket ipv4@127.0.0.1:9999 level user
            defaults
                mode tcp
                timeout connect 1s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind :8080
                default_backend be
            backend be
                server s1 127.0.0.1:8081 check inter 200ms fall 1 rise 1
            """)
        let haproxy = try lab.start("haproxy", ["haproxy", "-W", "-db", "-f", config, "-p", pidfile])
        let backend = try lab.start("backend", ["socat", "TCP-LISTEN:8081,reuseaddr,fork", "SYSTEM:true"])
        try #require(try becomesHealthy("check_haproxy", ["--pidfile", pidfile, "--port", "8080"], in: lab.server, seconds: 10),
                     "\(lab.logs())")

        let frontend = try check("check_haproxy", ["--pidfile", pidfile, "--host", "127.0.0.1", "--port", "8080", "--timeout", "2"],
                                 in: lab.server)
        #expect(frontend.status == 0 && frontend.stdout.isEmpty && frontend.stderr.isEmpty, "\(frontend)")
        #expect(try check("check_haproxy", ["--port", "8080"], in: lab.server).healthy, "process found by name")
        let otherPort = try check("check_haproxy", ["--pidfile", pidfile, "--port", "8082"], in: lab.server)
        #expect(otherPort.status == 1 && otherPort.isOneLine && otherPort.reason.contains("frontend 127.0.0.1:8082 refuses"),
                "\(otherPort)")

        // Backend UP, by socat, by perl (no socat on PATH), over the TCP stats socket, and per server.
        let stats = ["--stats-socket", socket, "--backend", "be"]
        #expect(try becomesHealthy("check_haproxy", stats, in: lab.server, seconds: 5), "\(lab.logs())")
        let up = try check("check_haproxy", stats + ["--pidfile", pidfile, "--port", "8080"], in: lab.server)
        #expect(up.status == 0 && up.stderr.isEmpty && up.stdout.isEmpty, "\(up)")
        let noSocat = try pathWithout("socat", in: lab.work)
        let viaPerl = try check("check_haproxy", stats, in: lab.server, environment: ["PATH": noSocat])
        #expect(viaPerl.status == 0 && viaPerl.stderr.isEmpty, "\(viaPerl)")
        #expect(try check("check_haproxy", ["-s", "127.0.0.1:9999", "-b", "be", "--server", "s1"], in: lab.server).healthy)
        let missing = try check("check_haproxy", ["-s", socket, "-b", "nope"], in: lab.server)
        #expect(missing.status == 1 && missing.reason.contains("backend nope not found"), "\(missing)")

        // The backend's only server goes away: haproxy marks it and the backend DOWN.
        backend.kill()
        #expect(try eventually(seconds: 5) { !(try check("check_haproxy", stats, in: lab.server).healthy) })
        let down = try check("check_haproxy", stats, in: lab.server)
        #expect(down.status == 1 && down.isOneLine && down.reason.contains("backend be is DOWN"), "\(down)")
        let downViaPerl = try check("check_haproxy", stats, in: lab.server, environment: ["PATH": noSocat])
        #expect(downViaPerl.status == 1 && downViaPerl.reason.contains("backend be is DOWN"), "\(downViaPerl)")
        let server = try check("check_haproxy", ["-s", "127.0.0.1:9999", "-b", "be", "--server", "s1"], in: lab.server)
        #expect(server.status == 1 && server.reason.contains("server be/s1 is DOWN"), "\(server)")
        // The frontend still accepts: the port form alone stays healthy.
        #expect(try check("check_haproxy", ["--pidfile", pidfile, "--port", "8080"], in: lab.server).healthy)

        // haproxy stopped.
        haproxy.kill()
        let stopped = try check("check_haproxy", ["--pidfile", pidfile, "--port", "8080"], in: lab.server)
        #expect(stopped.status == 1 && stopped.isOneLine && stopped.reason.contains("haproxy is not running"), "\(stopped)")
        let noSocket = try check("check_haproxy", stats + ["--pidfile", pidfile], in: lab.server)
        #expect(noSocket.status == 1 && noSocket.isOneLine, "\(noSocket)")
    }

    /// A directory to use as PATH: links to everything in /usr/bin and /usr/sbin except `excluded`.
    func pathWithout(_ excluded: String, in work: String) throws -> String {
        let directory = "\(work)/path-without-\(excluded)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for source in ["/usr/sbin", "/usr/bin"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: source) where name != excluded {
                symlink("\(source)/\(name)", "\(directory)/\(name)")
            }
        }
        return directory
    }
}
