extension BuiltinAgentSchema {
    /// `builtin:mysql`: a MySQL-protocol service (MariaDB, MyCAT, a proxy in front
    /// of them), monitored with the protocol's server greeting.
    static let mysql = BuiltinAgentSchema(
        name: "mysql",
        summary: "MySQL-protocol server or DB proxy (MyCAT): start/stop commands or an init service, monitored with the server greeting",
        parameters: [
            Parameter("service", "init script or unit name: 'service NAME start|stop'"),
            Parameter("start_command", "command that starts it and returns (daemonises)"),
            Parameter("stop_command", "command that stops it"),
            Parameter("host", default: "127.0.0.1", "address the monitor connects to"),
            Parameter("port", default: "3306", "port the monitor connects to (MyCAT: 8066)"),
        ],
        checkValues: { values in
            var problems = portProblems(values, "port") + addressProblems(values, "host")
            let commands = (values["start_command"] != nil, values["stop_command"] != nil)
            if values["service"] != nil && (commands.0 || commands.1) {
                problems.append("give either 'service NAME' or 'start_command' and 'stop_command', not both")
            } else if values["service"] == nil && !(commands.0 && commands.1) {
                problems.append("needs 'service NAME', or both 'start_command' and 'stop_command'")
            }
            return problems
        })
}
