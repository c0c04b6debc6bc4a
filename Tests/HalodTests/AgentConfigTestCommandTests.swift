import Foundation
import Testing

/// `halod --import-haresources` and what `--config-test` learns from the agents
/// on this host: OCF meta-data parameters, validate-all, systemd's absence.
@Suite struct AgentConfigTestCommandTests {
    private static let instance = """
    vrrp_instance VI_1 {
        interface lo
        virtual_router_id 51
        priority 100
        virtual_ipaddress {
            192.0.2.10/24
        }
    }

    """

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("halo-agents-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func importPrintsAConfigurationThatPassesConfigTest() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let haresources = directory + "/haresources"
        try "# two-node NFS\nnode1 IPaddr::192.0.2.100/24/eth0 drbddisk::r0 Filesystem::/dev/drbd0::/data::ext4 nfs-kernel-server\n"
            .write(toFile: haresources, atomically: true, encoding: .utf8)
        let run = try Halod.run(["--import-haresources", haresources, "--follow", "VI_1"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.errors.isEmpty)
        #expect(run.output.contains("# preferred node: node1"))
        #expect(run.output.contains("resource_group haresources_2 {\n    follow VI_1\n"))
        #expect(run.output.contains("    resource Filesystem {\n        agent builtin:filesystem\n        device /dev/drbd0\n        directory /data\n        fstype ext4\n    }\n"))
        #expect(run.output.contains("    resource nfs-kernel-server {\n        agent heartbeat:nfs-kernel-server\n    }\n"))

        let config = directory + "/halo.conf"
        try (Self.instance + run.output).write(toFile: config, atomically: true, encoding: .utf8)
        let test = try Halod.run(["-f", config, "--config-test"])
        #expect(!test.output.contains(": error:"), "\(test.output)")
        #expect(test.output.contains("IPaddr (builtin:ip) -> drbddisk (builtin:drbd) -> Filesystem (builtin:filesystem) -> nfs-kernel-server (heartbeat:nfs-kernel-server)"))
    }

    @Test func importErrorsNameTheHaresourcesLine() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let haresources = directory + "/haresources"
        try "node1 192.0.2.1/24/eth0\nnode2 IPaddr::192.0.2.999/24/eth0\n".write(toFile: haresources, atomically: true, encoding: .utf8)
        let run = try Halod.run(["--import-haresources", haresources])
        #expect(run.status == 1)
        #expect(run.output.isEmpty)
        #expect(run.errors.contains("\(haresources):2:7: error: haresources 'IPaddr::192.0.2.999/24/eth0': '192.0.2.999/24/eth0' is not IP"))
    }

    @Test func haresourcesStatementRunsThroughConfigTest() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "node1 192.0.2.20/24/lo app::--color::blue\n".write(toFile: directory + "/haresources", atomically: true, encoding: .utf8)
        try ("haresources haresources\n" + Self.instance).write(toFile: directory + "/halo.conf", atomically: true, encoding: .utf8)
        let test = try Halod.run(["-f", directory + "/halo.conf", "--config-test"])
        #expect(test.output.contains("IPaddr (builtin:ip) -> app (heartbeat:app)"), "\(test.output)")
        #expect(test.output.contains("\(directory)/haresources:1:24: warning: resource 'app': agent heartbeat:app not found (/etc/ha.d/resource.d/app or /etc/init.d/app)"))
    }

    private static let ocfAgents = "/usr/lib/ocf/resource.d/heartbeat"

    @Test(.enabled(if: ["anything", "Dummy"].allSatisfy { FileManager.default.isExecutableFile(atPath: ocfAgents + "/" + $0) },
                   "needs resource-agents (scripts/setup)"))
    func ocfParametersAreCheckedAgainstMetaDataAndValidateAll() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/halo.conf"
        try (Self.instance + """
        resource_group g {
            follow VI_1
            resource typo {
                agent ocf:heartbeat:anything
                binfle /bin/sleep
            }
            resource missing_binary {
                agent ocf:heartbeat:anything
                binfile /nonexistent/halo-daemon
            }
            resource fine {
                agent ocf:heartbeat:Dummy
                state \(directory)/dummy.state
            }
        }
        """).write(toFile: config, atomically: true, encoding: .utf8)
        let test = try Halod.run(["-f", config, "--config-test"])
        let lines = test.output.split(separator: "\n").map(String.init).filter { $0.contains(": error:") || $0.contains(": warning:") }
        #expect(lines.count == 3, "\(test.output)")
        #expect(lines.first == "\(config):11:5: error: resource 'typo': ocf:heartbeat:anything requires parameter 'binfile' (its meta-data says so)")
        #expect(lines.dropFirst().first == "\(config):11:5: warning: resource 'typo': ocf:heartbeat:anything has no parameter 'binfle' in its meta-data; did you mean 'binfile'?")
        // The agent's own message ends the line (ocf_log may put a timestamp before it).
        let validate = lines.last ?? ""
        #expect(validate.hasPrefix("\(config):15:5: error: resource 'missing_binary': ocf:heartbeat:anything validate-all exit 5 (not installed): "))
        #expect(validate.hasSuffix("ERROR: binfile /nonexistent/halo-daemon does not exist or is not executable by root.; it cannot start here"))
        #expect(test.status == 4)
    }

    @Test(.enabled(if: !FileManager.default.fileExists(atPath: "/run/systemd/system"), "this host runs systemd"))
    func systemdUnitOnAHostWithoutSystemdIsAnError() throws {
        let config = try Halod.temporaryFile(Self.instance + """
        resource_group web {
            follow VI_1
            resource nginx {
                agent systemd:nginx.service
            }
        }
        """)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let test = try Halod.run(["-f", config, "--config-test"])
        #expect(test.output.contains("\(config):11:5: error: resource 'nginx': systemd is not running on this host (/run/systemd/system is absent): cannot drive systemd:nginx.service"), "\(test.output)")
        #expect(test.status == 4)
    }
}
