import Foundation
import HaloConfig
import Testing

/// The built-in storage agents in the config: filesystem, drbd, ip, nfs. Each
/// error is said at the resource's line with what is wrong and, for spelling,
/// what was meant.
@Suite struct BuiltinAgentConfigTests {
    /// `resource_group g { follow VI_1; resource r { LINES } }` then VI_1: the resource starts at line 3, column 2.
    private func check(_ lines: [String]) -> [String] {
        let group = (["resource_group g {", " follow VI_1", " resource r {"] + lines.map { "  " + $0 } + [" }", "}"]).joined(separator: "\n")
        return diagnostics(load(group + "\n" + instanceConfig("")))
    }

    @Test func everyStorageAgentWithEveryParameterIsAccepted() {
        let text = """
        resource_group storage {
            follow VI_1
            vip_position last
            resource disk {
                agent builtin:drbd
                resource r0
                attempts 6
                drbdadm /usr/sbin/drbdadm
            }
            resource data {
                agent builtin:filesystem
                device /dev/drbd0
                directory /data
                fstype ext4
                options noatime,nodiratime
                fsck yes
                check_write yes
            }
            resource nfs {
                agent builtin:nfs
                exports /data/export
                fsid 1
                server ganesha
                clients 192.0.2.0/24,198.51.100.0/24
                access rw
                versions 3,4
                state_dir /data/nfs-state
                grace 30
                run_dir /run/halo-nfs
                pseudo /export
                ganesha /usr/bin/ganesha.nfsd
            }
            resource extra {
                agent builtin:ip
                address 192.0.2.20/24
                interface eth0
                label eth0:nfs
                announcements 5
            }
            resource extra6 {
                agent builtin:ip
                address 2001:db8::20/64
                interface eth0
            }
            resource kernel_nfs {
                agent builtin:nfs
                exports /data
                server kernel
                fsid 0b6e3a4c-3d0f-4c8e-9a43-2f1f5ad9c6e1
            }
        }
        """
        let result = load(text + "\n" + instanceConfig(""))
        #expect(diagnostics(result) == [])
        let group = result.configuration?.resourceGroups.first
        #expect(group?.resources.map(\.agent) == [.builtin(name: "drbd"), .builtin(name: "filesystem"), .builtin(name: "nfs"),
                                                  .builtin(name: "ip"), .builtin(name: "ip"), .builtin(name: "nfs")])
    }

    @Test func unknownAgentSuggestsTheNearestName() {
        #expect(check(["agent builtin:filesytem", "device /dev/sdb1", "directory /data"]) ==
                ["t.conf:3:2: error: resource 'r': no built-in agent 'filesytem'; did you mean 'builtin:filesystem'?"])
        let unknown = check(["agent builtin:glusterfs-volume"])
        #expect(unknown.count == 1 && unknown[0].contains("no built-in agent 'glusterfs-volume' (built-in agents: "), "\(unknown)")
        #expect(["drbd", "filesystem", "ip", "nfs"].allSatisfy { unknown.first?.contains($0) == true }, "\(unknown)")
    }

    @Test func nfsWithoutFsidSaysClientsGetStaleHandles() {
        #expect(check(["agent builtin:nfs", "exports /data"]) == [
            "t.conf:3:2: error: resource 'r': builtin:nfs needs 'fsid' (fixed filesystem id, the same on every node: clients keep file handles "
                + "that contain it, and without a fixed one they get stale file handles after failover)",
        ])
    }

    @Test func unknownParameterSuggestsTheNearestOne() {
        #expect(check(["agent builtin:filesystem", "device /dev/sdb1", "directroy /data", "directory /data"]) ==
                ["t.conf:3:2: error: resource 'r': builtin:filesystem has no parameter 'directroy'; did you mean 'directory'?"])
        #expect(check(["agent builtin:drbd", "resouce r0"]) == [
            "t.conf:3:2: error: resource 'r': builtin:drbd has no parameter 'resouce'; did you mean 'resource'?",
            "t.conf:3:2: error: resource 'r': builtin:drbd needs 'resource' (DRBD resource name from drbd.conf, e.g. r0)",
        ])
    }

    @Test(arguments: [
        (["agent builtin:nfs", "exports /data", "fsid 0"], "'fsid 0' is the NFSv4 pseudo root, not an export: use 1 or more"),
        (["agent builtin:nfs", "exports /data", "fsid 70000"], "'fsid' for ganesha is from 1 to 65535, not 70000"),
        (["agent builtin:nfs", "exports /data", "fsid 0b6e3a4c-3d0f-4c8e-9a43-2f1f5ad9c6e1"], "'fsid' for ganesha must be a number from 1 to 65535, not '0b6e3a4c-3d0f-4c8e-9a43-2f1f5ad9c6e1'"),
        (["agent builtin:nfs", "exports /data", "fsid x1", "server kernel"], "'fsid' must be a number or a UUID, not 'x1'"),
        (["agent builtin:nfs", "exports data", "fsid 1"], "'exports' must be an absolute path, not 'data'"),
        (["agent builtin:nfs", "exports /data", "fsid 1", "server knfsd"], "'server' is ganesha or kernel, not 'knfsd'"),
        (["agent builtin:nfs", "exports /data", "fsid 1", "versions 2"], "'versions' is 4, 3 or 3,4, not '2'"),
        (["agent builtin:nfs", "exports /data", "fsid 1", "grace 600"], "'grace' must be a whole number from 0 to 180, not '600'"),
        (["agent builtin:filesystem", "device /dev/sdb1", "directory /"], "'directory' cannot be / (it is never unmounted)"),
        (["agent builtin:filesystem", "device /dev/sdb1", "directory /data", "fsck maybe"], "'fsck' is yes or no, not 'maybe'"),
        (["agent builtin:drbd", "resource r0", "attempts 0"], "'attempts' must be a whole number from 1 to 100, not '0'"),
        (["agent builtin:ip", "address 192.0.2.20", "interface eth0"], "'address' '192.0.2.20' is not an address with a prefix length (192.0.2.20/24, 2001:db8::20/64)"),
        (["agent builtin:ip", "address 192.0.2.20/24", "interface eth0", "label eth1:x"], "'label' 'eth1:x' must start with the interface name 'eth0'"),
        (["agent builtin:ip", "address 2001:db8::20/64", "interface eth0", "label eth0:x"], "'label' is for IPv4 addresses only"),
        (["agent builtin:ip", "address 192.0.2.20/24", "interface eth0/1"], "'interface' 'eth0/1' is not an interface name (1 to 15 characters, no '/', ':' or spaces)"),
    ])
    func badValuesAreNamedAtTheResource(lines: [String], problem: String) {
        let agent = lines[0].replacingOccurrences(of: "agent ", with: "")
        #expect(check(lines) == ["t.conf:3:2: error: resource 'r' (\(agent)): \(problem)"])
    }
}
