import HaloConfig
import Testing

/// heartbeat's haresources: the file's rules, the mapping to Halo's agents, the
/// `haresources FILE` statement and `--import-haresources`'s text.
@Suite struct HaresourcesTests {
    static let issueLine = "node1 IPaddr::192.0.2.100/24/eth0 drbddisk::r0 Filesystem::/dev/drbd0::/data::ext4 nfs"

    private func parse(_ text: String) -> ([HaresourcesLine], [String]) {
        var collector = DiagnosticCollector()
        let lines = HaresourcesParser.parse(text, file: "haresources", diagnostics: &collector)
        return (lines, collector.sorted.map(\.description))
    }

    private func translate(_ text: String, directory: String = ResourceAgentKind.heartbeatResourceDirectory,
                           existing: Set<String> = []) -> ([ResourceGroup], [String]) {
        var collector = DiagnosticCollector()
        let lines = HaresourcesParser.parse(text, file: "/etc/ha.d/haresources", diagnostics: &collector)
        let groups = HaresourcesTranslator(resourceDirectory: directory, exists: { existing.contains($0) })
            .translate(lines, diagnostics: &collector).map(\.group)
        return (groups, collector.sorted.map(\.description))
    }

    private func summary(_ resource: Resource) -> String {
        ([resource.name, resource.agent?.description ?? "-"] + resource.parameters.map { "\($0.name)=\($0.value)" }).joined(separator: " ")
    }

    @Test func commentsContinuationsAndDoubleColons() {
        let (lines, problems) = parse("""
        # heartbeat resource groups
        node1 192.0.2.5/24/eth0 \\
              Filesystem::/dev/sdb1::/srv::ext4   # the data
          # a comment line
        node2 apache::/etc/apache2/apache2.conf
        """)
        #expect(problems.isEmpty)
        #expect(lines.map(\.node) == ["node1", "node2"])
        #expect(lines[0].resources.map(\.name) == ["192.0.2.5/24/eth0", "Filesystem"])
        #expect(lines[0].resources[1].arguments == ["/dev/sdb1", "/srv", "ext4"])
        #expect(lines[0].resources[1].location == SourceLocation(file: "haresources", line: 3, column: 7))
        #expect(lines[0].text == "node1 192.0.2.5/24/eth0 Filesystem::/dev/sdb1::/srv::ext4")
        #expect(lines[1].location.line == 5)
        #expect(lines[1].resources[0].arguments == ["/etc/apache2/apache2.conf"])
    }

    @Test func nodeWithoutResourcesIsAnError() {
        let (lines, problems) = parse("node1 IPaddr::192.0.2.1/24/eth0\n\nnode2   \n")
        #expect(lines.count == 1)
        #expect(problems == ["haresources:3:1: error: haresources line names node 'node2' but no resources"])
    }

    @Test func wellKnownResourcesMapToBuiltinAgentsAndTheRestToScripts() {
        let (groups, problems) = translate(Self.issueLine)
        #expect(problems.isEmpty)
        #expect(groups.map(\.name) == ["haresources_1"])
        #expect(groups[0].resources.map(summary) == [
            "IPaddr builtin:ip address=192.0.2.100/24 interface=eth0",
            "drbddisk builtin:drbd resource=r0",
            "Filesystem builtin:filesystem device=/dev/drbd0 directory=/data fstype=ext4",
            "nfs heartbeat:nfs",
        ])
        #expect(groups[0].resources[3].agent?.scriptCandidates == ["/etc/ha.d/resource.d/nfs", "/etc/init.d/nfs"])
    }

    @Test func bareIPsIPaddr2ArgumentsAndRepeatedNames() {
        let (groups, problems) = translate("""
        node2 192.0.2.7/25/eth1/192.0.2.127 IPaddr2::192.0.2.8/24/eth1 drbddisk Filesystem::/dev/drbd1::/srv::xfs::noatime \\
              mysql::--port::3307 mysql
        """)
        #expect(problems == ["/etc/ha.d/haresources:1:7: warning: haresources '192.0.2.7/25/eth1/192.0.2.127': broadcast 192.0.2.127 ignored; builtin:ip derives it from the prefix"])
        #expect(groups[0].resources.map(summary) == [
            "IPaddr builtin:ip address=192.0.2.7/25 interface=eth1",
            "IPaddr2 builtin:ip address=192.0.2.8/24 interface=eth1",
            "drbddisk builtin:drbd resource=all",
            "Filesystem builtin:filesystem device=/dev/drbd1 directory=/srv fstype=xfs options=noatime",
            "mysql heartbeat:mysql args=--port 3307",
            "mysql_2 heartbeat:mysql",
        ])
    }

    @Test(arguments: [
        ("n IPaddr::192.0.2.300/24/eth0", "/etc/ha.d/haresources:1:3: error: haresources 'IPaddr::192.0.2.300/24/eth0': '192.0.2.300/24/eth0' is not IP[/BITS[/INTERFACE[/BROADCAST]]] with an IPv4 address"),
        ("n 192.0.2.1", "/etc/ha.d/haresources:1:3: error: haresources '192.0.2.1': write the prefix length and interface (192.0.2.1/24/eth0): Halo does not guess them from the routes as heartbeat did"),
        ("n IPaddr::192.0.2.1/40/eth0", "/etc/ha.d/haresources:1:3: error: haresources 'IPaddr::192.0.2.1/40/eth0': prefix length '40' must be 1 to 32"),
        ("n Filesystem::/dev/sda1", "/etc/ha.d/haresources:1:3: error: haresources 'Filesystem::/dev/sda1': Filesystem needs ::DEVICE::DIRECTORY[::FSTYPE[::OPTIONS]]"),
        ("n drbddisk::r0::r1", "/etc/ha.d/haresources:1:3: error: haresources 'drbddisk::r0::r1': drbddisk takes one DRBD resource name"),
        ("n ::x", "/etc/ha.d/haresources:1:3: error: haresources resource '::x' has no name before '::'"),
        ("n ../bin/evil", "/etc/ha.d/haresources:1:3: error: haresources '../bin/evil': a resource is a script name, not a path"),
    ])
    func badResourcesNameTheFileAndLine(line: String, message: String) {
        let (groups, problems) = translate(line)
        #expect(problems == [message])
        #expect(groups.first?.resources.isEmpty == true)
    }

    @Test func anotherResourceDirectoryIsResolvedThenInitD() {
        let (groups, _) = translate("n web db other", directory: "/srv/hb", existing: ["/srv/hb/web", "/etc/init.d/db"])
        #expect(groups[0].resources.map { $0.agent?.description } == ["heartbeat:/srv/hb/web", "heartbeat:/etc/init.d/db", "heartbeat:/srv/hb/other"])
    }

    private let haresources = "node1 IPaddr::192.0.2.100/24/eth0 drbddisk::r0\nnode2 svc::a::b\n"

    @Test func statementFollowsTheNamedInstancesInLineOrder() throws {
        let result = load("""
        haresources /etc/ha.d/haresources {
            follow VI_1 VI_2
            monitor_interval 3
            stop_retries 5
        }
        \(instanceConfig(""))
        \(instanceConfig("", name: "VI_2", vrid: 52))
        """, files: ["/etc/ha.d/haresources": haresources])
        #expect(diagnostics(result) == [])
        let groups = try #require(result.configuration?.resourceGroups)
        #expect(groups.map(\.name) == ["haresources_1", "haresources_2"])
        #expect(groups.map(\.follow) == [.instance("VI_1"), .instance("VI_2")])
        #expect(groups.map(\.monitorInterval) == [.seconds(3), .seconds(3)])
        #expect(groups[1].stopRetries == 5)
        #expect(groups[1].resources.map(summary) == ["svc heartbeat:svc args=a b"])
        #expect(groups[1].resources[0].location == SourceLocation(file: "/etc/ha.d/haresources", line: 2, column: 7))
    }

    @Test func bareStatementFollowsTheOnlyInstanceRelativeToTheConfig() throws {
        let result = load("haresources hb/haresources\n" + instanceConfig(""), files: ["hb/haresources": "n1 x::1\n"])
        #expect(diagnostics(result) == [])
        #expect(result.configuration?.resourceGroups.map(\.follow) == [.instance("VI_1")])
    }

    @Test func statementErrorsPointAtTheStatementOrTheHaresourcesLine() {
        let two = instanceConfig("") + "\n" + instanceConfig("", name: "VI_2", vrid: 52)
        let unbound = load("haresources hr\n" + two, files: ["hr": "n1 x\n"])
        #expect(diagnostics(unbound) == ["t.conf:1:1: error: haresources: cannot pick what its groups follow (the configuration has 2 vrrp_instance(s) and 0 vrrp_sync_group(s)); add { follow VRRP_INSTANCE... }"])
        #expect(unbound.configuration?.resourceGroups.isEmpty == true)
        let counted = load("haresources hr {\n follow VI_1\n}\n" + two, files: ["hr": "n1 x\nn2 y\n"])
        #expect(diagnostics(counted) == ["t.conf:1:1: error: haresources hr has 2 line(s) but 1 followed name(s); give one per line, in order"])
        let unknown = load("haresources hr {\n follow VI_9\n}\n" + instanceConfig(""), files: ["hr": "n1 x\n"])
        #expect(diagnostics(unknown) == ["t.conf:2:2: error: resource_group 'hr_1' follows unknown vrrp_instance 'VI_9'"])
        let missing = load("haresources nowhere\n" + instanceConfig(""))
        #expect(diagnostics(missing) == ["t.conf:1:13: error: cannot read haresources file nowhere: No such file or directory"])
    }

    @Test func importPrintsGroupsThatLoadOnceAFollowIsGiven() throws {
        let source = InMemoryFileSource(["/etc/ha.d/haresources": "# cluster\n" + Self.issueLine + "\n"])
        let bound = HaresourcesImport.render(path: "/etc/ha.d/haresources", source: source, follows: ["VI_1"])
        #expect(!bound.hasErrors)
        #expect(bound.text.contains("# /etc/ha.d/haresources line 2: \(Self.issueLine)\n# preferred node: node1"))
        #expect(bound.text.contains("resource_group haresources_2 {\n    follow VI_1\n    resource IPaddr {\n        agent builtin:ip\n        address 192.0.2.100/24\n        interface eth0\n    }\n"))
        let reloaded = load(bound.text + "\n" + instanceConfig(""))
        #expect(diagnostics(reloaded) == [])
        let direct = load("haresources /etc/ha.d/haresources\n" + instanceConfig(""), files: source.files)
        #expect(reloaded.configuration?.resourceGroups.first?.resources.map(summary) == direct.configuration?.resourceGroups.first?.resources.map(summary))

        let unbound = HaresourcesImport.render(path: "/etc/ha.d/haresources", source: source, follows: [])
        #expect(unbound.text.contains("    # follow VRRP_INSTANCE\n"))
        #expect(diagnostics(load(unbound.text + "\n" + instanceConfig(""))).contains { $0.contains("has no 'follow VRRP_INSTANCE'") })
    }

    @Test func importQuotesArgumentsWithSpaces() {
        let source = InMemoryFileSource(["h": "n1 app::--name::a#b\n"])
        let output = HaresourcesImport.render(path: "h", source: source, follows: ["VI_1"])
        #expect(output.text.contains("        args \"--name a#b\"\n"))
        let reloaded = load(output.text + "\n" + instanceConfig(""))
        #expect(reloaded.configuration?.resourceGroups.first?.resources.first?.parameters.first?.value == "--name a#b")
    }
}
