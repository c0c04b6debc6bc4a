import ArgumentParser
import HaloControl

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print halod's state as keepalived's dumps do (no file written).",
        discussion: """
        Default: the data dump SIGUSR1 writes to keepalived.data; --stats: the counters SIGUSR2 writes to \
        keepalived.stats; --json: the array SIGRTMIN+2 writes to keepalived.json. The signals write to \
        global_defs state_dump_directory (default /tmp).
        """)

    @OptionGroup var socket: SocketOptions

    @Flag(help: "The statistics dump (keepalived.stats).")
    var stats = false

    @Flag(help: "The JSON dump (keepalived.json).")
    var json = false

    func validate() throws {
        if stats && json { throw ValidationError("choose one of --stats and --json") }
    }

    func run() throws {
        let format: DumpFormat = stats ? .stats : json ? .json : .data
        let (reply, _) = try socket.send(.dump(format))
        print(reply.dump ?? "", terminator: "")
    }
}
