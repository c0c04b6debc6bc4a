import Foundation
import Glibc
import HaloLab
import Testing

/// The control socket refuses strangers and survives garbage while the elections go on.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct ControlSecurityLabTests {
    @Test func nonRootIsRefusedByModeAndByPeerCredentials() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try ControlStatusLabTests.startPair(pair)
        let socket = try pair.controlPaths("n1").socket
        var info = stat()
        #expect(stat(socket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600 && info.st_uid == 0, "mode \(String(info.st_mode & 0o777, radix: 8))")

        let refused = try pair.haloctl("n1", "status", user: "nobody", group: "nogroup")
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.error.contains("permission denied"), "\(refused.error)")

        // Even with the file opened up by mistake, SO_PEERCRED keeps nobody out.
        chmod(socket, 0o666)
        let stillRefused = try pair.haloctl("n1", "status", user: "nobody", group: "nogroup")
        #expect(stillRefused.status == 1, "\(stillRefused)\n\(pair.logs(n1, n2))")
        #expect(stillRefused.error.contains("permission denied: uid 65534 is not root"), "\(stillRefused.error)")
        #expect(stillRefused.output.isEmpty)
        #expect(n1.log.contains("refused uid 65534"), "\(n1.log)")
    }

    @Test func membersOfTheControlSocketGroupMayConnect() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        _ = try ControlStatusLabTests.startPair(pair, globalLines: ["control_socket_group nogroup"])
        var info = stat()
        #expect(stat(try pair.controlPaths("n1").socket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660 && info.st_gid == 65534, "mode \(String(info.st_mode & 0o777, radix: 8)) gid \(info.st_gid)")
        let allowed = try pair.haloctl("n1", "status", user: "nobody", group: "nogroup")
        #expect(allowed.status == 0, "\(allowed)")
        #expect(allowed.output.contains("MASTER"), "\(allowed.output)")
    }

    @Test func garbageAndOversizeGetErrorRepliesWhileAdvertsKeepFlowing() throws {
        let pair = try PairLab()
        defer { pair.tearDown() }
        let (n1, n2) = try ControlStatusLabTests.startPair(pair)
        let socket = try pair.controlPaths("n1").socket
        let receivedBefore = try advertsReceived(pair, "n2")

        // A client that sends half a line and then nothing must not hold up anyone.
        let stalled = try RawControlConnection(path: socket)
        stalled.send(#"{"request":"sta"#)

        let garbage = try RawControlConnection(path: socket)
        garbage.send("this is not json\n")
        let garbageReply = garbage.readLine() ?? ""
        #expect(garbageReply.contains(#""ok":false"#) && garbageReply.contains("malformed request"), "\(garbageReply)")
        #expect(garbage.isClosedByServer)

        let unknown = try RawControlConnection(path: socket)
        unknown.send(#"{"request":"reboot"}"# + "\n")
        let unknownReply = unknown.readLine() ?? ""
        #expect(unknownReply.contains(#""ok":false"#) && unknownReply.contains(#"unknown request \"reboot\""#), "\(unknownReply)")
        unknown.send(#"{"request":"ping"}"# + "\n")
        #expect(unknown.readLine() == #"{"message":"pong","ok":true,"schema":1}"#, "an unknown request keeps the connection")

        let oversize = try RawControlConnection(path: socket)
        oversize.send(String(repeating: "x", count: 10_000))
        let oversizeReply = oversize.readLine() ?? ""
        #expect(oversizeReply.contains(#""ok":false"#) && oversizeReply.contains("longer than 4096 bytes"), "\(oversizeReply)")
        #expect(oversize.isClosedByServer)

        // Binary junk with embedded newlines: one error, then closed.
        let binary = try RawControlConnection(path: socket)
        binary.send("\u{0}\u{1}\u{FF}\n{\"request\":\"ping\"}\n")
        #expect((binary.readLine() ?? "").contains("malformed"))
        #expect(binary.isClosedByServer)

        usleep(1_000_000)
        let receivedAfter = try advertsReceived(pair, "n2")
        // 100 ms adverts: about 10 in that second (plus the time the requests took).
        #expect(receivedAfter - receivedBefore >= 8, "adverts stalled: \(receivedBefore) -> \(receivedAfter)\n\(pair.logs(n1, n2))")
        #expect(pair.holders(of: PairLab.vip4) == ["n1"])
        #expect(!n2.log.contains("Entering MASTER STATE"), "\(n2.log)")
        let ping = try pair.haloctl("n1", "ping")
        #expect(ping.status == 0, "the stalled client must not block others: \(ping)")
        stalled.send("tus\"}\n")
        #expect(stalled.readLine()?.contains(#""ok":true"#) == true, "a slow client is still served once its line is complete")
    }

    private func advertsReceived(_ pair: PairLab, _ host: String) throws -> Int {
        let result = try pair.haloctl(host, "status", "--json")
        let line = result.output.trimmingCharacters(in: .newlines)
        let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        let status = json?["status"] as? [String: Any]
        let instance = (status?["instances"] as? [[String: Any]])?.first
        return ((instance?["adverts"] as? [String: Any])?["received"] as? Int) ?? -1
    }
}
