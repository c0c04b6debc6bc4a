import Foundation
import HaloLab
import HaloLinux
import HaloResources
import Testing

/// builtin:mfsmaster against Debian's mfsmaster: start, monitor, a clean stop
/// that writes metadata.mfs, and the refusal to start on metadata older than
/// a peer's last known version; the metadata readers on real files.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct MooseFSMasterAgentTests {
    /// A master config with its own data directory, listening on 127.0.0.1 only.
    static func masterFiles(_ host: ServiceAgentTests.Host, name: String = "master") throws -> (config: String, data: String) {
        try MooseFSMasterFiles.write(in: host.work, configName: "\(name).cfg", dataDirectory: "\(host.work)/\(name)",
                                     listenHost: "127.0.0.1")
    }

    @Test func startsMonitorsStopsCleanlyAndRefusesStaleMetadata() throws {
        let host = try ServiceAgentTests.Host()
        defer { host.tearDown() }
        let (config, data) = try Self.masterFiles(host)
        let agent = try BuiltinMooseFSMasterAgent(parameters: ["config": config, "data_dir": data])
        #expect(try host.run(agent, [.probe, .start, .monitor], timeout: 30_000) == [.notRunning, .success, .success])
        #expect(try host.run(agent, [.stop, .monitor], timeout: 30_000) == [.success, .notRunning])
        // The clean stop dumped the metadata with its version in the header.
        let stored = MooseFSMetadata.read(directory: data, files: .master)
        #expect(stored.hasImage && stored.version > 1, "\(stored)")
        #expect(MooseFSVersionRecord.load(directory: data).local >= 1)

        // A peer was seen further ahead: this node's metadata is stale, so no start.
        var record = MooseFSVersionRecord.load(directory: data)
        record.peers["192.0.2.12"] = stored.version + 100
        #expect(record.save(directory: data))
        let log = Box<[String]>([])
        let refused = try host.run(agent, [.start, .monitor], timeout: 30_000, log: log)
        let line = "refusing to start mfsmaster: local metadata version \(stored.version) is older than \(stored.version + 100) last known from 192.0.2.12"
        #expect(refused == [.failed(reason: line, hard: true), .notRunning], "\(refused)")
        #expect(log.value.contains(line), "\(log.value)")

        agent.program = "mfsmaster-missing"
        #expect(try host.run(agent, [.start]) == [.failed(reason: "mfsmaster-missing not installed (package moosefs-master)", hard: true)])
    }

    @Test func readsVersionsFromChangelogsHeadersAndMfscli() throws {
        let scratch = try ScratchDirectory("mfsmeta")
        try scratch.write("changelog_ml.0.mfs", "7: 1|CREATE(1,a,1,438,18,0,0,0):2\n8: 1|ACCESS(1)\n")
        try scratch.write("changelog_ml_back.0.mfs", "1: 1|SETMETAID(5)\n2: 1|SESADD(#1):1\n")
        try scratch.write("changelog.0.mfs", "99: 1|ACCESS(1)\n")
        let logged = MooseFSMetadata.read(directory: scratch.path, files: .metalogger)
        #expect(logged == MooseFSMetadata(version: 9, firstChange: 1, hasImage: false))
        // A "MFSM 2.0" header: version in 8 big-endian bytes after the signature.
        let header = Array("MFSM 2.0".utf8) + [0, 0, 0, 0, 0, 0, 0x01, 0x2c]
        FileManager.default.createFile(atPath: "\(scratch.path)/metadata.mfs", contents: Data(header))
        #expect(MooseFSMetadata.read(directory: scratch.path, files: .master) == MooseFSMetadata(version: 300, firstChange: 99, hasImage: true))

        let output = "metadata servers:\t192.0.2.12\t3.0.117\t-\t1795314684.429696\t11\tnot available\t341295104\n"
        #expect(BuiltinMooseFSMasterAgent.metadataVersion(mfscliOutput: output) == 11)
        #expect(BuiltinMooseFSMasterAgent.metadataVersion(mfscliOutput: "can't connect to master\n") == nil)
    }

    @Test func restoresFromMetaloggerFilesWhenTheyAreNewer() throws {
        let host = try ServiceAgentTests.Host()
        defer { host.tearDown() }
        let (config, data) = try Self.masterFiles(host)
        // What a metalogger that followed a master from its creation holds: changelogs from change 1, no image yet.
        let metalogger = "\(host.work)/metalogger"
        try FileManager.default.createDirectory(atPath: metalogger, withIntermediateDirectories: true)
        _ = try host.write("metalogger/changelog_ml_back.0.mfs", "1: 1795314644|SETMETAID(7710817693621527393)\n")
        _ = try host.write("metalogger/changelog_ml.0.mfs", """
            2: 1795314648|SESADD(#6918405027924098189,1,0,0000,0,0,999,999,1,9,0,4294967295,0x00000000,2130706433,/mnt):1
            3: 1795314673|CREATE(1,restored-file,1,438,18,0,0,0):2

            """)
        let agent = try BuiltinMooseFSMasterAgent(parameters: ["config": config, "data_dir": data, "metalogger_data_dir": metalogger])
        let log = Box<[String]>([])
        #expect(try host.run(agent, [.start, .monitor], timeout: 30_000, log: log) == [.success, .success], "\(log.value)")
        #expect(log.value.contains { $0.contains("restoring metadata from metalogger files in \(metalogger) (version 4, local 1)") }, "\(log.value)")
        #expect(try host.run(agent, [.stop], timeout: 30_000) == [.success])
        // The stopped master's dump holds the replayed changes.
        #expect(MooseFSMetadata.read(directory: data, files: .master).version >= 4)
    }
}
