import ArgumentParser
import HaloControl

struct Resource: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Act on a resource group's resources on this node.",
        subcommands: [Restart.self, Cleanup.self])

    struct Restart: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop then start a resource in place, on the node where its group runs.",
            discussion: """
            The resources above it in its group stop first (top down) and start again after it (in order); \
            those below it and the VIPs stay. Refused where the group is not running.
            """)

        @OptionGroup var socket: SocketOptions

        @Argument(help: "A resource name.")
        var name: String

        func run() throws {
            let (reply, _) = try socket.send(.resourceRestart(name: name))
            guard let report = reply.resources else { return }
            print("\(report.group): \(report.note)")
        }
    }

    struct Cleanup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reset fail counts and last errors of a resource, or of every resource of a group.",
            discussion: """
            A group that gave up mastership because of failures (a failed start, migration_threshold, a \
            blocked stop) may be promoted again once nothing is left to clear; a blocked resource is stopped again.
            """)

        @OptionGroup var socket: SocketOptions

        @Argument(help: "A resource or resource group name.")
        var name: String

        func run() throws {
            let (reply, _) = try socket.send(.resourceCleanup(name: name))
            guard let report = reply.resources else { return }
            let cleared = report.resources.isEmpty ? "" : " (\(report.resources.joined(separator: ", ")))"
            print("\(report.group): \(report.note)\(cleared)")
        }
    }
}
