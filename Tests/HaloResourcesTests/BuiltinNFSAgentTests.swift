import Foundation
import Glibc
import HaloLab
import HaloResources
import Testing

/// builtin:nfs: the ganesha configuration it writes, the fsid rules, the kernel
/// server's "no nfsd" error on kernels without it, and a real nfs-ganesha
/// started, read from by libnfs' nfs-cat (a userspace NFSv4 client: this kernel
/// has no NFS client) in a lab namespace, and stopped.
@Suite(.serialized) struct BuiltinNFSAgentTests {
    @Test func ganeshaConfigFixesExportIdAndFilesystemIdFromFsid() throws {
        let nfs = try BuiltinNFSAgent(parameters: ["exports": "/data/", "fsid": "7", "grace": "0", "run_dir": "/run/x",
                                                   "clients": "192.0.2.0/24,198.51.100.7", "versions": "3,4", "state_dir": "/data/state"])
        let config = nfs.ganeshaConfig
        for line in ["Export_Id = 7;", "Filesystem_id = 7.7;", "Path = \"/data\";", "Pseudo = \"/data\";", "Protocols = 3, 4;",
                     "Enable_NLM = true;", "Graceless = true;", "RecoveryRoot = \"/data/state/ganesha\";", "Access_Type = None;",
                     "Clients = 192.0.2.0/24, 198.51.100.7;", "Access_Type = RW;", "Name = VFS;", "Squash = No_Root_Squash;"] {
            #expect(config.contains(line), "\(line) in\n\(config)")
        }
        let everyone = try BuiltinNFSAgent(parameters: ["exports": "/data", "fsid": "12", "access": "ro"]).ganeshaConfig
        #expect(everyone.contains("Protocols = 4;") && everyone.contains("Access_Type = RO;") && !everyone.contains("CLIENT"))
        #expect(everyone.contains("Grace_Period = 90;") && everyone.contains("Lease_Lifetime = 60;"))
        #expect(everyone.contains("RecoveryRoot = \"/run/halo-nfs-12/recovery\";"))
    }

    @Test func anExportWithoutFsidIsRefusedWithTheReason() {
        #expect(creationError(["exports": "/data"]) == "builtin:nfs needs a fixed 'fsid': without one, clients get stale file handles after failover")
        #expect(creationError(["exports": "/data", "fsid": "abc"]) == "builtin:nfs: 'fsid' for ganesha must be a number from 1 to 65535, not 'abc'")
    }

    private func creationError(_ parameters: [String: String]) -> String? {
        do {
            _ = try BuiltinNFSAgent(parameters: parameters)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(.enabled(if: BuiltinNFSAgent.kernelNFSDProblem() != nil, "this kernel has nfsd"))
    func kernelServerSaysThereIsNoNfsdInThisKernel() throws {
        let nfs = try BuiltinNFSAgent(parameters: ["exports": "/tmp", "fsid": "3", "server": "kernel"])
        let results = try BuiltinAgentHarness.results(nfs, [.start, .probe, .stop])
        #expect(BuiltinAgentHarness.isFailure(results[0], containing: "no nfsd in this kernel"), "\(results)")
        #expect(BuiltinAgentHarness.isFailure(results[0], containing: "use 'server ganesha'"), "\(results)")
        if case .fatal = results[0] {} else { Issue.record("no node can run it: fatal, not \(results[0])") }
        #expect(Array(results.dropFirst()) == [.notRunning, .success])
    }

    @Test func missingGaneshaExportsDirectoryOrRpcbindAreClearErrors() throws {
        let scratch = try ScratchDirectory("nfs-errors")
        defer { scratch.remove() }
        let missingProgram = try BuiltinNFSAgent(parameters: ["exports": scratch.path, "fsid": "4", "ganesha": "/nonexistent/ganesha.nfsd"])
        #expect(try BuiltinAgentHarness.results(missingProgram, [.start, .probe]) ==
                [.failed(reason: "/nonexistent/ganesha.nfsd not installed (packages nfs-ganesha, nfs-ganesha-vfs)", hard: true), .notRunning])
        let missingExport = try BuiltinNFSAgent(parameters: ["exports": scratch.path + "/absent", "fsid": "4"])
        #expect(try BuiltinAgentHarness.results(missingExport, [.start]) ==
                [.failed(reason: "exports directory \(scratch.path)/absent does not exist (is its filesystem mounted?)", hard: true)])
    }

    @Test(.enabled(if: LabRequirement.canRun && BuiltinAgentContext.locate("ganesha.nfsd") != nil && BuiltinAgentContext.locate("nfs-cat") != nil,
                   "needs root, nfs-ganesha and libnfs-utils (scripts/setup)"))
    func ganeshaServesTheExportUntilStopped() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let server = try lab.addHost("s", addresses: ["192.0.2.11/24"])
        let client = try lab.addHost("c", addresses: ["192.0.2.50/24"])
        let scratch = try ScratchDirectory("nfs-ganesha")
        let exports = scratch.path + "/export", run = scratch.path + "/run"
        try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
        try "served by ganesha\n".write(toFile: exports + "/file.txt", atomically: true, encoding: .utf8)
        let nfs = try BuiltinNFSAgent(parameters: ["exports": exports, "fsid": "21", "grace": "0", "run_dir": run])
        defer {
            // Whatever happened, no ganesha outlives the test.
            if let pid = (try? String(contentsOfFile: run + "/ganesha.pid", encoding: .utf8)).flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
               (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.hasPrefix("ganesha") == true {
                kill(pid, SIGKILL)
            }
            scratch.remove()
        }
        let started = try server.perform { try BuiltinAgentHarness.results(nfs, [.probe, .start, .monitor], timeoutMilliseconds: 60_000) }
        #expect(started == [.notRunning, .success, .success], "\(scratch.read("run/ganesha.log").suffix(2000))")
        let read = try client.run("nfs-cat", "nfs://192.0.2.11\(exports)/file.txt?version=4")
        #expect(read == "served by ganesha\n")

        let stopped = try server.perform { try BuiltinAgentHarness.results(nfs, [.stop, .monitor, .stop]) }
        #expect(stopped == [.success, .notRunning, .success])
        #expect((try? client.run("timeout", "10", "nfs-cat", "nfs://192.0.2.11\(exports)/file.txt?version=4")) == nil, "nothing serves it any more")
    }

    @Test(.enabled(if: LabRequirement.canRun && BuiltinAgentContext.locate("ganesha.nfsd") != nil, "needs root and nfs-ganesha"))
    func nfsVersion3WithoutRpcbindIsRefusedBeforeGaneshaStarts() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let server = try lab.addHost("s", addresses: ["192.0.2.11/24"])
        let scratch = try ScratchDirectory("nfs-v3")
        defer { scratch.remove() }
        let nfs = try BuiltinNFSAgent(parameters: ["exports": scratch.path, "fsid": "22", "versions": "3,4", "run_dir": scratch.path + "/run"])
        let results = try server.perform { try BuiltinAgentHarness.results(nfs, [.start, .probe]) }
        #expect(results == [.failed(reason: "rpcbind is not running on this node: NFSv3 needs it (start rpcbind, or serve versions 4 only)", hard: false),
                            .notRunning])
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/run/ganesha.pid"))
    }
}
