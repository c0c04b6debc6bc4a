import Foundation
import Glibc
import HaloLab
import Testing

/// check_mogilefsd against a stand-in tracker: mogilefsd is not packaged in
/// Debian, so socat serves each connection with a bash handler speaking the
/// tracker's line protocol ("noop" -> "OK", unknown commands -> "ERR ...").
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct MogileFSCheckTests {
    static let standIn = """
        #!/bin/bash
        # Stand-in MogileFS tracker, one connection (socat EXEC): MODE ok | err | silent.
        mode=${1:-ok}
        while IFS= read -r line; do
            line=${line%$'\\r'}
            case $mode:${line%% *} in
                silent:*) ;;
                ok:noop) printf 'OK \\r\\n' ;;
                err:*) printf 'ERR store_failed Database+is+down\\r\\n' ;;
                *) printf 'ERR unknown_command Unknown+server+command\\r\\n' ;;
            esac
        done
        """

    @Test func noopAnswersAndFailures() throws {
        let lab = try ServiceLab()
        defer { lab.tearDown() }
        let handler = try lab.write("mogilefsd-standin", Self.standIn, executable: true)
        let tracker = try lab.start("tracker", ["socat", "TCP-LISTEN:7001,reuseaddr,fork", "EXEC:\(handler) ok"])
        _ = try lab.start("erring", ["socat", "TCP-LISTEN:7002,reuseaddr,fork", "EXEC:\(handler) err"])
        _ = try lab.start("silent", ["socat", "TCP-LISTEN:7003,reuseaddr,fork", "EXEC:\(handler) silent"])
        _ = try lab.start("http", ["socat", "TCP-LISTEN:8080,reuseaddr,fork", "SYSTEM:echo HTTP/1.0 200 OK; sleep 2"])
        try #require(try becomesHealthy("check_mogilefsd", [], in: lab.server, seconds: 5), "\(lab.logs())")

        let healthy = try check("check_mogilefsd", ["--host", "127.0.0.1", "--port", "7001", "--timeout", "2"], in: lab.server)
        #expect(healthy.status == 0 && healthy.stdout.isEmpty && healthy.stderr.isEmpty, "\(healthy)")
        // Over the switch, from the client host.
        let remote = try check("check_mogilefsd", ["-H", ServiceLab.serverAddress], in: lab.client)
        #expect(remote.status == 0, "\(remote)")

        let erring = try check("check_mogilefsd", ["-p", "7002"], in: lab.server)
        #expect(erring.status == 1 && erring.isOneLine
                && erring.reason.contains("answered noop with an error: ERR store_failed"), "\(erring)")

        let started = Date()
        let silent = try check("check_mogilefsd", ["-p", "7003", "-t", "1"], in: lab.server)
        #expect(silent.status == 1 && silent.isOneLine && silent.reason.contains("no answer to noop"), "\(silent)")
        #expect(Date().timeIntervalSince(started) < 4)

        let http = try check("check_mogilefsd", ["-p", "8080"], in: lab.server)
        #expect(http.status == 1 && http.isOneLine && http.reason.contains("not a MogileFS tracker"), "\(http)")

        tracker.kill()
        let stopped = try check("check_mogilefsd", [], in: lab.server)
        #expect(stopped.status == 1 && stopped.isOneLine && stopped.reason.contains("cannot connect to 127.0.0.1:7001"), "\(stopped)")
    }
}
