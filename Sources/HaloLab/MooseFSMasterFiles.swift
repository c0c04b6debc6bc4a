import Foundation

/// What a test's own mfsmaster needs: a data directory seeded with Debian's empty
/// metadata, exports and topology files, and a config naming them (root, so no
/// mfs user is needed). One place for the agent, check-script and failover tests.
public enum MooseFSMasterFiles {
    /// Writes the files in `directory`; `listenHost` binds every master port to it
    /// (nil: mfsmaster's default, all addresses). Returns the config and data paths.
    public static func write(in directory: String, configName: String, dataDirectory: String,
                             listenHost: String? = nil) throws -> (config: String, data: String) {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/var/lib/mfs/metadata.mfs.empty", toPath: "\(dataDirectory)/metadata.mfs")
        let exports = "\(directory)/mfsexports.cfg", topology = "\(directory)/mfstopology.cfg"
        try "* / rw,alldirs,maproot=0\n".write(toFile: exports, atomically: true, encoding: .utf8)
        try "\n".write(toFile: topology, atomically: true, encoding: .utf8)
        var lines = ["WORKING_USER = root", "WORKING_GROUP = root", "DATA_PATH = \(dataDirectory)",
                     "EXPORTS_FILENAME = \(exports)", "TOPOLOGY_FILENAME = \(topology)"]
        if let listenHost {
            lines += ["MATOCL_LISTEN_HOST", "MATOCS_LISTEN_HOST", "MATOML_LISTEN_HOST"].map { "\($0) = \(listenHost)" }
        }
        let config = "\(directory)/\(configName)"
        try (lines.joined(separator: "\n") + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        return (config, dataDirectory)
    }
}
