import HaloNet

extension BuiltinAgentSchema {
    /// `builtin:ip`: heartbeat's IPaddr. An address outside the VIP list, added
    /// where the group puts it, announced with gratuitous ARP or unsolicited NA.
    static let ip = BuiltinAgentSchema(
        name: "ip",
        summary: "add an address to an interface through netlink (as the VIPs are) and announce it; remove it on stop",
        parameters: [
            Parameter("address", required: true, "address with prefix length, e.g. 192.0.2.20/24 or 2001:db8::20/64"),
            Parameter("interface", required: true, "interface to put it on, e.g. eth0"),
            Parameter("label", "IPv4 label, starting with the interface name, e.g. eth0:nfs"),
            Parameter("announcements", default: "3", "gratuitous ARPs / unsolicited NAs sent after adding, 1 s apart (0: none)"),
        ],
        checkValues: { values in
            var problems = [checkInterfaceName(values, "interface"), checkInteger(values, "announcements", in: 0...100)]
            let address = values["address"].flatMap { $0.contains("/") ? IPPrefix($0) : nil }
            if let text = values["address"], address == nil {
                problems.append("'address' '\(text)' is not an address with a prefix length (192.0.2.20/24, 2001:db8::20/64)")
            }
            if let label = values["label"] {
                if let address, case .v6 = address.address {
                    problems.append("'label' is for IPv4 addresses only")
                } else if label.utf8.count > 15 {
                    problems.append("'label' '\(label)' is longer than 15 characters")
                } else if let interface = values["interface"], !label.hasPrefix(interface) {
                    problems.append("'label' '\(label)' must start with the interface name '\(interface)'")
                }
            }
            return problems.compactMap { $0 }
        })
}
