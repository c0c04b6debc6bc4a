import ArgumentParser
import Glibc
import HaloControl

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-read halod's configuration file and apply what changed (as SIGHUP).",
        discussion: """
        The file is checked first: with errors, nothing changes, the file:line:column diagnostics are \
        printed and the exit status is 1. Otherwise groups whose settings are the same keep running \
        untouched; added ones start, removed ones hand off and stop, changed ones are updated in place \
        or handed off and restarted. Prints one line per change and the summary.
        """)

    @OptionGroup var socket: SocketOptions

    func run() throws {
        let reply = try sendReporting(.reload, socket: socket)
        guard reply.ok else {
            for line in reply.reload?.diagnostics ?? [] { printError(line) }
            printError("haloctl: \(reply.error ?? "reload refused")")
            throw ExitCode(1)
        }
        for line in reply.reload?.details ?? [] { print(line) }
        print(reply.reload?.summary ?? reply.message ?? "reloaded")
    }
}

struct ConfigTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config-test",
        abstract: "Have halod check a configuration file (default: the one it runs) as halod --config-test does.",
        discussion: "Nothing changes in the daemon. Prints the report; exits with halod --config-test's status.")

    @OptionGroup var socket: SocketOptions

    @Option(name: [.customShort("f"), .customLong("file")], help: "Configuration file to check.")
    var file: String?

    func run() throws {
        let reply = try sendReporting(.configTest(file: file.map(absolutePath)), socket: socket)
        guard reply.ok, let result = reply.configTest else {
            printError("haloctl: \(reply.error ?? "halod sent no report")")
            throw ExitCode(1)
        }
        print(result.report, terminator: "")
        throw ExitCode(result.status)
    }

    /// halod runs elsewhere: a relative path means the caller's directory.
    private func absolutePath(_ path: String) -> String {
        guard !path.hasPrefix("/") else { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        return String(cString: buffer) + "/" + path
    }
}

/// Sends `request` and returns the reply, refused or not; exits 2 when halod cannot be reached.
private func sendReporting(_ request: ControlRequest, socket: SocketOptions) throws -> ControlReply {
    do {
        return try socket.client.send(request).reply
    } catch {
        printError("haloctl: \(error)")
        throw ExitCode(2)
    }
}
