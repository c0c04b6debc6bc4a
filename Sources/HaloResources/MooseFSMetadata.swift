import Glibc

/// What a MooseFS data directory holds, read from its files: the metadata
/// version it would start from (the next change id: the metadata file's
/// header version, or one past the last changelog entry, whichever is
/// higher), for the master's files or a metalogger's `*_ml` files.
public struct MooseFSMetadata: Equatable, Sendable {
    public var version: UInt64
    /// The lowest changelog entry found (1 when the logs go back to the file system's creation).
    public var firstChange: UInt64?
    /// A metadata image ("MFSM 2.x" or the empty "MFSM NEW") is present.
    public var hasImage: Bool

    public init(version: UInt64, firstChange: UInt64?, hasImage: Bool) {
        self.version = version
        self.firstChange = firstChange
        self.hasImage = hasImage
    }

    public enum Files: Sendable {
        /// metadata.mfs, metadata.mfs.back, changelog.N.mfs
        case master
        /// metadata_ml.mfs.back, changelog_ml.N.mfs, changelog_ml_back.N.mfs
        case metalogger
    }

    public static func read(directory: String, files: Files) -> MooseFSMetadata {
        var result = MooseFSMetadata(version: 0, firstChange: nil, hasImage: false)
        for name in AgentFiles.list(directory) {
            let path = "\(directory)/\(name)"
            if isImage(name, files) {
                guard let header = AgentFiles.read(path, limit: 16), header.count >= 8, header.starts(with: Array("MFSM".utf8)) else { continue }
                result.hasImage = true
                result.version = max(result.version, imageVersion(header) ?? 0)
            } else if isChangelog(name, files), let text = AgentFiles.readText(path) {
                for (first, last) in [changeRange(text)].compactMap({ $0 }) {
                    result.version = max(result.version, last + 1)
                    result.firstChange = min(result.firstChange ?? first, first)
                }
            }
        }
        return result
    }

    static func isImage(_ name: String, _ files: Files) -> Bool {
        switch files {
        case .master: name == "metadata.mfs" || name == "metadata.mfs.back"
        case .metalogger: name == "metadata_ml.mfs.back"
        }
    }

    static func isChangelog(_ name: String, _ files: Files) -> Bool {
        guard name.hasSuffix(".mfs") else { return false }
        switch files {
        case .master: return name.hasPrefix("changelog.")
        case .metalogger: return name.hasPrefix("changelog_ml.") || name.hasPrefix("changelog_ml_back.")
        }
    }

    /// "MFSM 2.0" headers carry the version as 8 big-endian bytes; "MFSM NEW" is an empty file system (version 1).
    static func imageVersion(_ header: [UInt8]) -> UInt64? {
        if header.starts(with: Array("MFSM NEW".utf8)) { return 1 }
        guard header.count >= 16 else { return nil }
        return header[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// First and last entry ids of a changelog ("ID: TIME|OPERATION" lines).
    static func changeRange(_ text: String) -> (UInt64, UInt64)? {
        var first: UInt64?, last: UInt64?
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), let id = UInt64(line[..<colon]) else { continue }
            first = min(first ?? id, id)
            last = max(last ?? id, id)
        }
        guard let first, let last else { return nil }
        return (first, last)
    }

    /// Copies a metalogger's files into the master's data directory, where
    /// `mfsmaster -a` finds them. Without a downloaded image (the metalogger
    /// only saves one after the master's first metadata dump) the empty image
    /// is a correct base when the changelogs go back to change 1.
    /// Returns nil when done, else why it cannot be restored.
    static func restore(from metalogger: String, into data: String) -> String? {
        let found = read(directory: metalogger, files: .metalogger)
        guard found.hasImage || found.firstChange == 1 else {
            return "no metadata_ml.mfs.back in \(metalogger) and its changelogs do not go back to change 1"
        }
        // The master's own older files would compete with the restored ones in `mfsmaster -a`: set them aside.
        let aside = "\(data)/before-metalogger-restore"
        let own = AgentFiles.list(data).filter { isImage($0, .master) || isChangelog($0, .master) || isImage($0, .metalogger) || isChangelog($0, .metalogger) }
        if !own.isEmpty {
            mkdir(aside, 0o750)
            for name in own where rename("\(data)/\(name)", "\(aside)/\(name)") != 0 { return "cannot move \(data)/\(name) aside" }
        }
        for name in AgentFiles.list(metalogger) where isImage(name, .metalogger) || isChangelog(name, .metalogger) {
            guard AgentFiles.copy("\(metalogger)/\(name)", to: "\(data)/\(name)") else { return "cannot copy \(metalogger)/\(name) to \(data)" }
        }
        if !found.hasImage && !AgentFiles.write(Array("MFSM NEW".utf8), to: "\(data)/metadata_ml.mfs.back") {
            return "cannot write \(data)/metadata_ml.mfs.back"
        }
        return nil
    }
}

/// Metadata versions this node has seen, kept in the master's data directory
/// (LizardFS's agent keeps the same in the cluster's attributes): the peer's,
/// as last learned, survives the peer's death, so a node that was down while
/// the other one ran on cannot come back with older metadata.
public struct MooseFSVersionRecord: Equatable, Sendable {
    public var peers: [String: UInt64] = [:]
    public var local: UInt64 = 0

    public static let fileName = ".halo-mfsmaster-versions"

    public static func load(directory: String) -> MooseFSVersionRecord {
        var record = MooseFSVersionRecord()
        for line in (AgentFiles.readText("\(directory)/\(fileName)") ?? "").split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "local", let version = UInt64(words[1]) { record.local = version }
            if words.count == 3, words[0] == "peer", let version = UInt64(words[2]) { record.peers[String(words[1])] = version }
        }
        return record
    }

    @discardableResult
    public func save(directory: String) -> Bool {
        let lines = ["local \(local)"] + peers.keys.sorted().map { "peer \($0) \(peers[$0]!)" }
        return AgentFiles.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: "\(directory)/\(Self.fileName)")
    }

    /// The highest version known from any peer, and which.
    public var newestPeer: (name: String, version: UInt64)? {
        peers.max { $0.value < $1.value }.map { ($0.key, $0.value) }
    }
}
