import Foundation
import HaloConfig
import Testing

/// Mutates the example configurations with a seeded generator and checks the
/// loader's invariants on every mutant: no crash, the same input gives the same
/// result, and every diagnostic is well formed and points inside the input.
@Suite struct MutationPropertyTests {
    /// SplitMix64: tiny, seedable, identical on every platform, so a failure is reproducible from its seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = ["{", "}", "\"", "!", "#", "\n", " ", "include t.conf", "include *.conf", "vrrp_instance X {",
                            "virtual_router_id 0", "advert_int 0.015", "version 3", "2001:db8::1", "192.0.2.1/33",
                            "track_script {", "auth_pass 123456789", "state MASTER", "nopreempt", "中文", "\u{0}", "\r\n"]

    static func mutate(_ text: String, using generator: inout Generator) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = characters.isEmpty ? 0 : Int.random(in: 0..<characters.count, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0 where !characters.isEmpty:
                characters.removeSubrange(position..<min(characters.count, position + Int.random(in: 1...12, using: &generator)))
            case 1:
                characters.insert(contentsOf: fragments.randomElement(using: &generator)!, at: position)
            case 2 where !characters.isEmpty:
                let start = Int.random(in: 0..<characters.count, using: &generator)
                let chunk = characters[start..<min(characters.count, start + Int.random(in: 1...40, using: &generator))]
                characters.insert(contentsOf: chunk, at: position)
            default:
                if !characters.isEmpty { characters[position] = Character(UnicodeScalar(UInt8.random(in: 32...126, using: &generator))) }
            }
        }
        return String(characters)
    }

    @Test func mutatedExamplesKeepTheInvariants() throws {
        let examples = try Repository.exampleConfigs.map { try String(contentsOf: $0, encoding: .utf8) }
        try #require(!examples.isEmpty)
        var generator = Generator(state: 0x4841_4C4F)  // "HALO"
        let start = ContinuousClock.now
        var mutants = 0
        while mutants < 3000 && ContinuousClock.now - start < .seconds(20) {
            let base = examples[mutants % examples.count]
            let text = Self.mutate(base, using: &generator)
            let other = Self.mutate(examples[(mutants + 1) % examples.count], using: &generator)
            let source = InMemoryFileSource(["t.conf": text, "other.conf": other])
            let first = ConfigurationLoader.load(path: "t.conf", source: source)
            let second = ConfigurationLoader.load(path: "t.conf", source: source)
            #expect(first.diagnostics == second.diagnostics, "nondeterministic diagnostics for mutant \(mutants)")
            #expect(first.configuration == second.configuration, "nondeterministic configuration for mutant \(mutants)")
            let lineCounts = ["t.conf": text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count,
                              "other.conf": other.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count]
            for diagnostic in first.diagnostics {
                let lines = lineCounts[diagnostic.location.file]
                #expect(lines != nil, "diagnostic in unknown file: \(diagnostic)")
                #expect((1...(lines ?? 0)).contains(diagnostic.location.line) && diagnostic.location.column >= 1, "\(diagnostic)")
                #expect(!diagnostic.message.isEmpty && !diagnostic.message.contains("\n"), "\(diagnostic)")
            }
            #expect(first.diagnostics == first.diagnostics.sorted { $0.location < $1.location } || isStablySorted(first.diagnostics))
            #expect(Set(first.diagnostics).count == first.diagnostics.count, "a diagnostic repeated for mutant \(mutants)")
            if let configuration = first.configuration {
                checkRepairedModel(configuration)
                _ = ConfigTestReport(path: "t.conf", result: first, kernelHasIPVS: false).render()
            }
            mutants += 1
        }
        #expect(mutants >= 500, "only \(mutants) mutants in the time budget")
    }

    private func isStablySorted(_ diagnostics: [Diagnostic]) -> Bool {
        zip(diagnostics, diagnostics.dropFirst()).allSatisfy { !($1.location < $0.location) }
    }

    /// Whatever the input, what validation lets through is runnable.
    private func checkRepairedModel(_ configuration: Configuration) {
        for instance in configuration.instances {
            #expect((1...255).contains(instance.virtualRouterID ?? 0) && instance.interface != nil)
            #expect((1...255).contains(instance.priority))
            if instance.version == .v2 {
                #expect(instance.advertInterval.value % 1000 == 0 && instance.family == .ipv4)
            } else {
                #expect(instance.advertInterval.value % 10 == 0 && instance.authentication == nil)
            }
            #expect(Set(instance.virtualAddresses.map(\.prefix.family)).count <= 1)
            #expect(instance.trackedScripts.allSatisfy { configuration.script(named: $0.name) != nil })
            #expect((instance.authentication?.password.utf8.count ?? 0) <= 8)
        }
        let names = Set(configuration.instances.map(\.name))
        #expect(configuration.syncGroups.allSatisfy { !$0.members.isEmpty && $0.members.allSatisfy(names.contains) })
    }
}
