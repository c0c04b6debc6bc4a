extension BuiltinAgentSchema {
    /// `builtin:mfsmaster`: the MooseFS master, with metadata restore from a
    /// metalogger and a refusal to start on metadata older than the peer's.
    static let mfsmaster = BuiltinAgentSchema(
        name: "mfsmaster",
        summary: "MooseFS master (moosefs-master): restores metadata (mfsmaster -a, metalogger files) before starting; refuses stale metadata",
        parameters: [
            Parameter("config", required: true, "mfsmaster.cfg passed with -c"),
            Parameter("data_dir", required: true, "the master's DATA_PATH (metadata, changelogs, lock; Halo's version record)"),
            Parameter("metalogger_data_dir", "DATA_PATH of this node's mfsmetalogger: its *_ml files are restored when newer"),
            Parameter("host", default: "127.0.0.1", "address the monitor connects to"),
            Parameter("port", default: "9421", "the master's client port (MATOCL_LISTEN_PORT)"),
            Parameter("peer", "the other master's address: its metadata version is asked (mfscli) and remembered"),
            Parameter("peer_port", default: "9421", "the other master's client port"),
        ],
        checkValues: { values in
            portProblems(values, "port", "peer_port") + absolutePathProblems(values, "config", "data_dir", "metalogger_data_dir")
                + addressProblems(values, "host", "peer")
        })
}
