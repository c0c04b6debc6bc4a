import HaloConfig
import Testing

/// The service agents' schemas as validation applies them: required
/// parameters, value checks and the either/or rules, each said at the resource's line.
@Suite struct ServiceAgentSchemaTests {
    private func errors(_ resourceBody: String) -> [String] {
        let text = instanceConfig("") + """
            resource_group g {
                follow VI_1
                resource r {
            \(resourceBody)
                }
            }

            """
        return load(text).diagnostics.filter { $0.severity == .error }.map(\.description)
    }

    @Test func validServiceResourcesPass() {
        #expect(errors("        agent builtin:mfsmaster\n        config /etc/mfs/mfsmaster.cfg\n        data_dir /var/lib/mfs\n        peer 192.0.2.12").isEmpty)
        #expect(errors("        agent builtin:mogilefsd\n        config /etc/mogilefs/mogilefsd.conf").isEmpty)
        #expect(errors("        agent builtin:haproxy\n        config /etc/haproxy/haproxy.cfg\n        stats_socket /run/haproxy.sock").isEmpty)
        #expect(errors("        agent builtin:mysql\n        service mycat\n        port 8066").isEmpty)
    }

    @Test(arguments: [
        ("        agent builtin:mfsmaster\n        config /etc/mfs/mfsmaster.cfg",
         "builtin:mfsmaster needs 'data_dir'"),
        ("        agent builtin:mfsmaster\n        config mfsmaster.cfg\n        data_dir /var/lib/mfs",
         "'config' must be an absolute path, not 'mfsmaster.cfg'"),
        ("        agent builtin:mfsmaster\n        config /c\n        data_dir /d\n        peer master-b",
         "'peer master-b' is not a numeric IPv4 or IPv6 address"),
        ("        agent builtin:mogilefsd\n        config /c\n        port 70001",
         "'port' must be a whole number from 1 to 65535, not '70001'"),
        ("        agent builtin:haproxy\n        config /etc/haproxy/haproxy.cfg",
         "needs 'stats_socket PATH' or 'port PORT' to monitor haproxy"),
        ("        agent builtin:mysql\n        service mycat\n        start_command /opt/mycat/bin/mycat start",
         "give either 'service NAME' or 'start_command' and 'stop_command', not both"),
        ("        agent builtin:mysql\n        start_command /opt/mycat/bin/mycat start",
         "needs 'service NAME', or both 'start_command' and 'stop_command'"),
    ])
    func badValuesAreErrorsAtTheResource(body: String, message: String) {
        let found = errors(body)
        #expect(found.count == 1 && found[0].contains(message) && found[0].hasPrefix("t.conf:"), "\(found)")
    }
}
