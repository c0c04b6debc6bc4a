extension BuiltinAgentSchema {
    /// `builtin:haproxy`: config checked with `haproxy -c` before every start or reload.
    static let haproxy = BuiltinAgentSchema(
        name: "haproxy",
        summary: "haproxy: config checked (haproxy -c) before start and reload, started daemonised with a pid file, reloaded with -sf",
        parameters: [
            Parameter("config", required: true, "haproxy.cfg"),
            Parameter("pid_file", default: "/run/haproxy-halo.pid", "pid file (-p)"),
            Parameter("stats_socket", "the config's 'stats socket' path: the monitor asks it 'show info'"),
            Parameter("host", default: "127.0.0.1", "address of the frontend the monitor connects to (without stats_socket)"),
            Parameter("port", "frontend port the monitor connects to (without stats_socket)"),
        ],
        checkValues: { values in
            var problems = portProblems(values, "port") + absolutePathProblems(values, "config", "pid_file", "stats_socket")
                + addressProblems(values, "host")
            if values["stats_socket"] == nil && values["port"] == nil {
                problems.append("needs 'stats_socket PATH' or 'port PORT' to monitor haproxy")
            }
            return problems
        })
}
