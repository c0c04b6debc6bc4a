extension BuiltinAgentSchema {
    /// `builtin:mogilefsd`: a MogileFS tracker, monitored with its `noop` command.
    static let mogilefsd = BuiltinAgentSchema(
        name: "mogilefsd",
        summary: "MogileFS tracker: started in the background with a pid file, monitored with the tracker's noop command",
        parameters: [
            Parameter("config", required: true, "mogilefsd.conf passed with --config"),
            Parameter("user", default: "mogile", "user the tracker runs as (--user)"),
            Parameter("host", default: "127.0.0.1", "address the monitor connects to"),
            Parameter("port", default: "7001", "the tracker port"),
            Parameter("pid_file", default: "/run/mogilefsd-halo.pid", "pid file written by start-stop-daemon"),
            Parameter("program", default: "mogilefsd", "the tracker executable"),
        ],
        checkValues: { values in
            portProblems(values, "port") + absolutePathProblems(values, "config", "pid_file") + addressProblems(values, "host")
        })
}
