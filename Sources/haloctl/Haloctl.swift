import ArgumentParser
import Glibc
import HaloControl

/// The operator's tool: talks to halod over its control socket (docs/control-protocol.md).
@main
struct Haloctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haloctl",
        abstract: "Control a running halod: status, planned failover, standby.",
        discussion: "Exit status: 0 success, 1 halod refused the request, 2 halod could not be reached.",
        version: "haloctl 0.1.0 (control protocol schema \(ControlProtocol.schema))",
        subcommands: [Status.self, Failover.self, Standby.self, Unstandby.self, Ping.self, Reload.self, ConfigTest.self, Dump.self, Resource.self]
    )
}

struct SocketOptions: ParsableArguments {
    @Option(name: .customLong("socket"), help: "halod's control socket.")
    var path = ControlProtocol.defaultSocketPath

    @Option(name: .customLong("timeout"), help: "Seconds to wait for a reply.")
    var timeout = 5.0

    var client: ControlClient { ControlClient(path: path, timeoutSeconds: timeout) }

    /// Sends `request`; on failure prints why and exits (1: refused, 2: unreachable).
    func send(_ request: ControlRequest) throws -> (reply: ControlReply, line: [UInt8]) {
        let result: (reply: ControlReply, line: [UInt8])
        do {
            result = try client.send(request)
        } catch {
            printError("haloctl: \(error)")
            throw ExitCode(2)
        }
        guard result.reply.ok else {
            printError("haloctl: \(result.reply.error ?? "request refused")")
            throw ExitCode(1)
        }
        return result
    }
}

func printError(_ message: String) {
    var line = message + "\n"
    _ = line.withUTF8 { write(2, $0.baseAddress, $0.count) }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Who is master and why: every instance's state, priorities, VIPs, master and last transition.")

    @OptionGroup var socket: SocketOptions

    @Flag(help: "Print halod's reply as JSON (stable schema, docs/control-protocol.md).")
    var json = false

    @Flag(help: "Refresh until interrupted.")
    var watch = false

    @Option(name: .customLong("every"), help: "Seconds between refreshes with --watch.")
    var interval = 2.0

    func run() throws {
        repeat {
            let (reply, line) = try socket.send(.status)
            var text: String
            if json {
                text = String(decoding: line, as: UTF8.self) + "\n"
            } else if let report = reply.status {
                text = StatusScreen.render(report)
            } else {
                text = "halod sent no status\n"
            }
            // Clear the screen between refreshes, as watch(1) does.
            if watch { text = "\u{1B}[H\u{1B}[2J" + text }
            print(text, terminator: "")
            if watch { usleep(useconds_t(max(interval, 0.1) * 1_000_000)) }
        } while watch
    }
}

struct Failover: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hand mastership of an instance or sync group (default: all) to the backup, make-before-break.",
        discussion: """
        This node sends priority 0 and keeps the VIPs until the new master is heard, then stays out of \
        the election while the new master is heard; it rejoins by itself when the new master goes silent \
        for a master-down interval or hands off in turn. Prints the new master and how long the hand-off took.
        """)

    @OptionGroup var socket: SocketOptions

    @Argument(help: "A vrrp_instance or vrrp_sync_group name.")
    var name: String?

    @Option(help: "Seconds to wait for the new master.")
    var wait = 10.0

    func run() throws {
        let started = monotonicSeconds()
        let (reply, _) = try socket.send(.failover(name: name))
        let handedOff = reply.failover?.instances ?? []
        print("handing off \(handedOff.joined(separator: ", "))")
        var pending = Set(handedOff)
        while !pending.isEmpty && monotonicSeconds() - started < wait {
            usleep(10_000)
            guard let status = try socket.send(.status).reply.status else { continue }
            for instance in status.instances where pending.contains(instance.name) && instance.state != "HANDOFF" {
                pending.remove(instance.name)
                let elapsed = Int((monotonicSeconds() - started) * 1000)
                let reason = instance.lastTransition?.reason ?? "?"
                print("\(instance.name): new master \(instance.master ?? "not heard") after \(elapsed) ms (\(reason)); this node is \(instance.state)")
            }
        }
        if !pending.isEmpty {
            printError("haloctl: still handing off after \(wait) s: \(pending.sorted().joined(separator: ", "))")
            throw ExitCode(1)
        }
    }
}

struct Standby: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hand off and leave every election; kept across restarts of halod until unstandby.")

    @OptionGroup var socket: SocketOptions

    func run() throws {
        _ = try socket.send(.standby)
        print("standby: this node hands off and stays out of every election")
    }
}

struct Unstandby: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rejoin every election after standby.")

    @OptionGroup var socket: SocketOptions

    func run() throws {
        _ = try socket.send(.unstandby)
        print("unstandby: this node takes part in every election again")
    }
}

struct Ping: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check that halod answers.")

    @OptionGroup var socket: SocketOptions

    func run() throws {
        let (reply, _) = try socket.send(.ping)
        print(reply.message ?? "ok")
    }
}
