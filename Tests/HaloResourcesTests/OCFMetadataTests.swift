import Foundation
import HaloResources
import Testing

/// The meta-data scanner on hand-written XML, then resource-agents' real
/// IPaddr2, Filesystem, anything and Dummy: their meta-data and validate-all.
@Suite struct OCFMetadataTests {
    @Test func parametersDefaultsAndActions() throws {
        let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
        <resource-agent name='demo' version="1.0">
        <!-- <parameter name="commented" required="1"> is not a parameter -->
        <longdesc lang="en"><![CDATA[ text with <parameter name="fake"/> inside ]]></longdesc>
        <parameters>
        <parameter name="path" unique="1" required="1">
        <shortdesc lang="en">a &lt;path&gt;</shortdesc>
        <content type="string" default="" />
        </parameter>
        <parameter name="mode" required="0"><content type="string" default="a&amp;b"/></parameter>
        <parameter name="flag"/>
        </parameters>
        <actions>
        <action name="start" timeout="20s" />
        <action name="validate-all" timeout="20s" />
        </actions>
        </resource-agent>
        """
        let metadata = try OCFMetadata.parse(xml)
        #expect(metadata.agentName == "demo")
        #expect(metadata.parameters.map(\.name) == ["path", "mode", "flag"])
        #expect(metadata.parameters.map(\.required) == [true, false, false])
        #expect(metadata.parameter(named: "mode")?.defaultValue == "a&b")
        #expect(metadata.parameter(named: "path")?.defaultValue == "")
        #expect(metadata.parameter(named: "flag")?.defaultValue == nil)
        #expect(metadata.actions == ["start", "validate-all"])
    }

    @Test(arguments: [
        ("<parameters/>", "no <resource-agent> element"),
        ("<resource-agent name=\"x\"><!-- open", "unterminated markup (missing '-->')"),
        ("<resource-agent name=x>", "unquoted attribute 'name' in <resource-agent>"),
        ("<resource-agent name=\"x\"><parameters><parameter required=\"1\"/>", "a <parameter> without a name"),
        ("<resource-agent name=\"x", "unterminated markup (missing '>')"),
    ])
    func malformedMetadataSaysWhy(xml: String, reason: String) {
        #expect(throws: OCFMetadata.ParseError(description: reason)) { try OCFMetadata.parse(xml) }
    }

    private static let agents = "/usr/lib/ocf/resource.d/heartbeat"

    private func ocf(_ type: String, _ parameters: [(String, String)]) -> ResourceDefinition {
        ResourceDefinition(name: type.lowercased(), kind: .ocf(provider: "heartbeat", type: type), parameters: parameters)
    }

    @Test(.enabled(if: ["IPaddr2", "Filesystem", "anything", "Dummy"].allSatisfy { FileManager.default.isExecutableFile(atPath: agents + "/" + $0) },
                   "needs resource-agents (scripts/setup)"))
    func realAgentsMetadataAndValidateAll() throws {
        let resources = [
            ocf("IPaddr2", []),
            ocf("Filesystem", [("device", "/dev/halo-none"), ("directory", "/mnt/halo-none"), ("fstype", "ext4")]),
            ocf("anything", [("binfile", "/bin/sleep")]),
            ocf("anything", [("binfile", "/nonexistent/halo")]),
            ocf("Dummy", []),
            ResourceDefinition(name: "absent", kind: .ocf(provider: "nobody", type: "nothing")),
            ResourceDefinition(name: "script", kind: .lsb(script: "x")),
        ]
        let reports = try OCFMetadataProbe.run(resources)
        #expect(reports.keys.sorted() == [0, 1, 2, 3, 4])

        let ip = try reports[0]!.metadata.get()
        #expect(ip.agentName == "IPaddr2")
        #expect(ip.parameter(named: "ip")?.required == true)
        #expect(ip.parameter(named: "cidr_netmask")?.required == false)
        #expect(ip.actions.contains("validate-all"))
        // IPaddr2 without ip: OCF 6, not configured.
        guard case .invalid(let ipReason)? = reports[0]!.validation else { Issue.record("\(String(describing: reports[0]!.validation))"); return }
        #expect(ipReason.hasPrefix("validate-all exit 6 (not configured)"))

        let filesystem = try reports[1]!.metadata.get()
        #expect(filesystem.parameters.filter(\.required).map(\.name) == ["device", "directory", "fstype"])

        #expect(try reports[2]!.metadata.get().parameter(named: "binfile")?.required == true)
        #expect(reports[2]!.validation == .valid)
        guard case .invalid(let binReason)? = reports[3]!.validation else { Issue.record("\(String(describing: reports[3]!.validation))"); return }
        #expect(binReason.hasPrefix("validate-all exit 5 (not installed)"))

        #expect(try reports[4]!.metadata.get().parameter(named: "state")?.required == false)
        #expect(reports[4]!.validation == .valid)
    }
}
