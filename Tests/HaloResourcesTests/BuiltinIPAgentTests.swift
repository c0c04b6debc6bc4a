import Foundation
import HaloLab
import HaloResources
import Testing

/// builtin:ip in a lab namespace: the address is added through netlink with its
/// label, announced (gratuitous ARPs / unsolicited NAs seen by the neighbour,
/// repeated), monitored, and removed; a missing interface is said clearly.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct BuiltinIPAgentTests {
    private func agent(_ parameters: [String: String]) throws -> BuiltinIPAgent {
        try BuiltinIPAgent(parameters: parameters)
    }

    private func addresses(_ host: NetworkNamespace) -> String { (try? host.run("ip", "-o", "addr", "show", "dev", "eth0")) ?? "" }

    @Test func addsAnnouncesMonitorsAndRemovesAnIPv4Address() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let a = try lab.addHost("a", mac: "02:00:5e:00:01:11", addresses: ["192.0.2.11/24"])
        let b = try lab.addHost("b", addresses: ["192.0.2.12/24"])
        let capture = try FrameCapture(in: b, etherType: 0x0806)
        let ip = try agent(["address": "192.0.2.30/24", "interface": "eth0", "label": "eth0:nfs", "announcements": "2"])
        let results = try a.perform { try BuiltinAgentHarness.results(ip, [.probe, .start, .monitor], lingerSeconds: 1.5) }
        #expect(results == [.notRunning, .success, .success])
        #expect(addresses(a).contains("inet 192.0.2.30/24") && addresses(a).contains("eth0:nfs"), "\(addresses(a))")
        // Gratuitous ARP: sender and target are the address, sender MAC is a's.
        func announcements(_ frames: [FrameCapture.Frame]) -> [FrameCapture.Frame] {
            frames.filter { frame in
                let bytes = frame.bytes
                return bytes.count >= 42 && Array(bytes[28..<32]) == [192, 0, 2, 30] && Array(bytes[38..<42]) == [192, 0, 2, 30]
                    && Array(bytes[22..<28]) == [0x02, 0x00, 0x5e, 0x00, 0x01, 0x11]
            }
        }
        // The capture thread may still be reading the last frame: give it time, then expect exactly two.
        _ = eventually(seconds: 5) { announcements(capture.captured).count >= 2 }
        usleep(300_000)
        let announcements = announcements(capture.stop())
        #expect(announcements.count == 2, "two announcements, 1 s apart")
        if announcements.count == 2 { #expect(announcements[1].at - announcements[0].at >= 800_000_000) }
        #expect(try b.run("ping", "-c", "1", "-W", "2", "192.0.2.30").contains("1 received"))

        #expect(try a.perform { try BuiltinAgentHarness.results(ip, [.stop, .monitor, .stop]) } == [.success, .notRunning, .success])
        #expect(!addresses(a).contains("192.0.2.30"))
    }

    @Test func ipv6AddressIsAnnouncedWithAnUnsolicitedNeighbourAdvertisement() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let a = try lab.addHost("a", addresses: ["2001:db8::11/64"])
        let b = try lab.addHost("b", addresses: ["2001:db8::12/64"])
        let capture = try FrameCapture(in: b, etherType: 0x86DD)
        let ip = try agent(["address": "2001:db8::30/64", "interface": "eth0", "announcements": "1"])
        #expect(try a.perform { try BuiltinAgentHarness.results(ip, [.start, .monitor], lingerSeconds: 0.5) } == [.success, .success])
        #expect(addresses(a).contains("inet6 2001:db8::30/64"))
        let target: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [0x30]
        func advertisements(_ frames: [FrameCapture.Frame]) -> [FrameCapture.Frame] {
            frames.filter { $0.bytes.count >= 78 && $0.bytes[54] == 136 && Array($0.bytes[62..<78]) == target }
        }
        _ = eventually(seconds: 5) { !advertisements(capture.captured).isEmpty }
        usleep(300_000)
        let advertisements = advertisements(capture.stop())
        #expect(advertisements.count == 1)
        #expect(try a.perform { try BuiltinAgentHarness.results(ip, [.stop, .probe]) } == [.success, .notRunning])
        #expect(!addresses(a).contains("2001:db8::30"))
    }

    @Test func aMissingInterfaceFailsTheStartAndIsNotRunning() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let a = try lab.addHost("a", addresses: ["192.0.2.11/24"])
        let ip = try agent(["address": "192.0.2.30/24", "interface": "eth9"])
        let results = try a.perform { try BuiltinAgentHarness.results(ip, [.start, .probe, .monitor, .stop]) }
        #expect(results == [.failed(reason: "interface eth9 does not exist", hard: true), .notRunning,
                            .failed(reason: "interface eth9 does not exist", hard: false), .success])
        #expect(throws: BuiltinAgentError.self) { try agent(["address": "192.0.2.30", "interface": "eth0"]) }
    }
}
