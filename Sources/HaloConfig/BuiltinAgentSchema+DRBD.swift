extension BuiltinAgentSchema {
    /// `builtin:drbd`: heartbeat's drbddisk. Promotes a DRBD resource on start
    /// (retrying: the peer may still be demoting), demotes it on stop.
    static let drbd = BuiltinAgentSchema(
        name: "drbd",
        summary: "drbdadm primary RESOURCE on start (retried, 1 s apart), drbdadm secondary on stop; monitor: drbdadm role says Primary",
        parameters: [
            Parameter("resource", required: true, "DRBD resource name from drbd.conf, e.g. r0"),
            Parameter("attempts", default: "6", "drbdadm primary/secondary attempts before the action fails (drbddisk's 6)"),
            Parameter("drbdadm", default: "drbdadm", "the drbdadm program (looked up in PATH when it has no '/')"),
        ],
        checkValues: { values in
            var problems = [checkInteger(values, "attempts", in: 1...100)]
            if let name = values["resource"], name.isEmpty || name.contains(where: \.isWhitespace) {
                problems.append("'resource' '\(name)' is not a DRBD resource name")
            }
            return problems.compactMap { $0 }
        })
}
