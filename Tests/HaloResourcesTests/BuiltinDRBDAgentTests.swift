import Foundation
import HaloResources
import Testing

/// builtin:drbd against scripts/drbdadm-standin (this kernel has no DRBD module):
/// drbddisk's retry semantics, role parsing, a refused second Primary, and the
/// message when drbdadm is missing.
@Suite struct BuiltinDRBDAgentTests {
    /// One node's stand-in: drbdadm symlinked into its own state directory.
    final class Node {
        let scratch: ScratchDirectory
        var drbdadm: String { "\(scratch.path)/drbdadm" }

        init(_ name: String, resources: [String] = ["r0"], failPrimary: Int = 0) throws {
            scratch = try ScratchDirectory("drbd-\(name)")
            try FileManager.default.createSymbolicLink(atPath: drbdadm, withDestinationPath: "\(repositoryRoot)/scripts/drbdadm-standin")
            try scratch.write("resources", resources.joined(separator: "\n") + "\n")
            try scratch.write("fail-primary", "\(failPrimary)\n")
        }

        var calls: [String] { scratch.read("calls").split(separator: "\n").map(String.init) }
        var role: String { scratch.read("role-r0").trimmingCharacters(in: .whitespacesAndNewlines) }

        func agent(_ extra: [String: String] = [:]) throws -> BuiltinDRBDAgent {
            try BuiltinDRBDAgent(parameters: ["resource": "r0", "drbdadm": drbdadm].merging(extra) { _, new in new })
        }
    }

    @Test func promotesOnTheThirdAttemptAfterTwoFailuresOneSecondApart() throws {
        let node = try Node("retry", failPrimary: 2)
        let log = Box<[String]>([])
        let steps = try BuiltinAgentHarness.run(node.agent(), [.probe, .start, .monitor], log: log)
        #expect(steps.map(\.result) == [.notRunning, .success, .success])
        #expect(steps[1].seconds >= 1.9, "drbddisk waits 1 s between attempts: \(steps[1].seconds)")
        #expect(node.calls == ["role r0", "primary r0", "primary r0", "primary r0", "role r0"])
        #expect(log.value.count == 2 && log.value[0].contains("attempt 1 of 6") && log.value[0].contains("Need access to UpToDate data"), "\(log.value)")
        #expect(node.role == "Primary")
    }

    @Test func givesUpAfterItsAttemptsWithDrbdadmsMessage() throws {
        let node = try Node("giveup", failPrimary: 10)
        let agent = try node.agent(["attempts": "3"])
        agent.retryPauseNanoseconds = 50_000_000
        let log = Box<[String]>([])
        let results = try BuiltinAgentHarness.results(agent, [.start, .monitor], log: log)
        #expect(BuiltinAgentHarness.isFailure(results[0], containing: "exit 17"), "\(results)")
        #expect(BuiltinAgentHarness.isFailure(results[0], containing: "terminated with exit code 17"), "\(results)")
        #expect(results[1] == .notRunning)
        #expect(node.calls.filter { $0 == "primary r0" }.count == 3)
        #expect(log.value.last?.contains("failed 3 time(s), giving up") == true, "\(log.value)")
    }

    @Test func stopDemotesAndASecondPrimaryIsRefusedWhileThePeerHoldsIt() throws {
        let n1 = try Node("n1"), n2 = try Node("n2")
        try n1.scratch.write("peer", n2.scratch.path)
        try n2.scratch.write("peer", n1.scratch.path)
        #expect(try BuiltinAgentHarness.results(n1.agent(), [.start, .monitor]) == [.success, .success])
        let refused = try n2.agent(["attempts": "2"])
        refused.retryPauseNanoseconds = 50_000_000
        let results = try BuiltinAgentHarness.results(refused, [.start])
        #expect(BuiltinAgentHarness.isFailure(results[0], containing: "Multiple primaries not allowed"), "\(results)")
        // The old primary demotes (stop), then the peer's promotion goes through.
        #expect(try BuiltinAgentHarness.results(n1.agent(), [.stop, .monitor]) == [.success, .notRunning])
        #expect(try BuiltinAgentHarness.results(n2.agent(), [.start, .monitor]) == [.success, .success])
        #expect(n1.calls.contains("secondary r0"))
    }

    @Test func aResourceMissingFromTheConfigAndAMissingDrbdadmAreClearErrors() throws {
        let node = try Node("unknown", resources: ["r1"])
        let agent = try node.agent(["attempts": "1"])
        let unknown = try BuiltinAgentHarness.results(agent, [.start, .monitor])
        #expect(BuiltinAgentHarness.isFailure(unknown[0], containing: "'r0' not defined in your config"), "\(unknown)")
        #expect(BuiltinAgentHarness.isFailure(unknown[1], containing: "not defined"), "\(unknown)")

        let missing = try BuiltinDRBDAgent(parameters: ["resource": "r0", "drbdadm": "/nonexistent/drbdadm"])
        let results = try BuiltinAgentHarness.results(missing, [.probe, .start, .monitor])
        #expect(results[0] == .notRunning, "nothing is Primary without drbd-utils")
        #expect(results[1] == .failed(reason: "/nonexistent/drbdadm not installed (package drbd-utils)", hard: true))
        #expect(results[2] == .failed(reason: "/nonexistent/drbdadm not installed (package drbd-utils)", hard: true))
    }
}
