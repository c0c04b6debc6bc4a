import Foundation
import Glibc
import HaloLab
import Testing

/// check_nfs against a real nfs-ganesha (VFS FSAL, NFSv3 and v4) registered
/// with a real rpcbind, both in a lab namespace. (This kernel has no nfsd; the
/// script's calls are the same for the kernel server.) rpcbind and ganesha
/// talk over /run/rpcbind.sock, so they share a private tmpfs /run in their
/// own mount namespace (ip netns exec already makes one), never the host's.
@Suite(.serialized, .enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct NFSCheckTests {
    @Test func rpcbindNullCallsAndExports() throws {
        let lab = try ServiceLab()
        defer { lab.tearDown() }
        let export = "\(lab.work)/export", recovery = "\(lab.work)/recovery"
        for directory in [export, recovery] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let config = try lab.write("ganesha.conf", """
            NFS_CORE_PARAM {
                Protocols = 3, 4;
                Enable_NLM = false;
                Enable_RQUOTA = false;
            }
            NFSv4 {
                RecoveryBackend = fs;
                RecoveryRoot = \(recovery);
                Graceless = true;
            }
            EXPORT {
                Export_Id = 1;
                Path = \(export);
                Pseudo = /export;
                Access_Type = RW;
                Squash = No_Root_Squash;
                Protocols = 3, 4;
                FSAL { Name = VFS; }
            }
            """)
        let wrapper = try lab.write("nfs-server.sh", """
            #!/bin/bash
            # rpcbind in the background, then ganesha in the foreground (it keeps this pid).
            mount -t tmpfs halo-run /run || exit 1
            mkdir -p /run/rpcbind /run/ganesha
            rpcbind -f -w &
            for i in $(seq 50); do [ -S /run/rpcbind.sock ] && break; sleep 0.1; done
            echo "rpcbind pid $!" >\(lab.work)/rpcbind.pid
            exec ganesha.nfsd -F -L /dev/stderr -f \(config) -p /run/ganesha/ganesha.pid
            """, executable: true)
        let ganesha = try lab.start("ganesha", [wrapper])
        try #require(try becomesHealthy("check_nfs", [], in: lab.server, seconds: 30), "\(lab.logs())")
        #expect(!FileManager.default.fileExists(atPath: "/run/rpcbind.sock") || hostHadRpcbind,
                "the lab's rpcbind must not leak onto the host's /run")

        let healthy = try check("check_nfs", ["--host", "127.0.0.1", "--timeout", "3"], in: lab.server)
        #expect(healthy.status == 0 && healthy.stdout.isEmpty && healthy.stderr.isEmpty, "\(healthy)")
        let both = try check("check_nfs", ["--nfs-version", "3,4", "--export", export], in: lab.server)
        #expect(both.status == 0 && both.stderr.isEmpty, "\(both)")
        let remote = try check("check_nfs", ["-H", ServiceLab.serverAddress, "-V", "4", "-e", export], in: lab.client)
        #expect(remote.status == 0 && remote.stderr.isEmpty, "\(remote)")
        let direct = try check("check_nfs", ["-H", ServiceLab.serverAddress, "-V", "4", "--port", "2049"], in: lab.client)
        #expect(direct.status == 0 && direct.stderr.isEmpty, "\(direct)")

        let notExported = try check("check_nfs", ["--export", "/srv/nope"], in: lab.server)
        #expect(notExported.status == 1 && notExported.isOneLine
                && notExported.reason.contains("export /srv/nope is not listed"), "\(notExported)")
        let otherPort = try check("check_nfs", ["-V", "4", "--port", "2050"], in: lab.server)
        #expect(otherPort.status == 1 && otherPort.isOneLine && otherPort.reason.contains("NULL call to nfs v4"), "\(otherPort)")

        // ganesha dies; rpcbind still lists it, but the NULL call is refused.
        ganesha.kill()
        let dead = try check("check_nfs", [], in: lab.server)
        #expect(dead.status == 1 && dead.isOneLine && dead.reason.contains("NULL call to nfs v"), "\(dead)")
        let deadDirect = try check("check_nfs", ["-V", "4", "-p", "2049"], in: lab.server)
        #expect(deadDirect.status == 1 && deadDirect.isOneLine, "\(deadDirect)")

        // rpcbind gone as well.
        let recorded = (try? String(contentsOfFile: "\(lab.work)/rpcbind.pid", encoding: .utf8)) ?? ""
        if let pid = recorded.split(separator: " ").last.flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            kill(pid, SIGKILL)
            #expect(eventually(seconds: 3) { processIsGone(pid) })
        }
        let noRpcbind = try check("check_nfs", [], in: lab.server)
        #expect(noRpcbind.status == 1 && noRpcbind.isOneLine && noRpcbind.reason.contains("rpcbind on 127.0.0.1"), "\(noRpcbind)")
    }

    var hostHadRpcbind: Bool { false }
}
