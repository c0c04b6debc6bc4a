extension BuiltinAgentSchema {
    /// `builtin:nfs`: an NFS export that moves with the group, served by
    /// nfs-ganesha (its own daemon per group) or the kernel's nfsd (exportfs).
    static let nfs = BuiltinAgentSchema(
        name: "nfs",
        summary: "export a directory over NFS with a fixed fsid: nfs-ganesha (own config, pid and log under run_dir) or kernel nfsd (exportfs, nfs-server)",
        parameters: [
            Parameter("exports", required: true, "directory to export, e.g. /data"),
            Parameter("fsid", required: true,
                      "fixed filesystem id, the same on every node: clients keep file handles that contain it, "
                          + "and without a fixed one they get stale file handles after failover"),
            Parameter("server", default: "ganesha", "ganesha (nfs-ganesha with the VFS FSAL) or kernel (nfsd, exportfs)"),
            Parameter("clients", default: "*", "who may mount: host, network or *; several separated by commas"),
            Parameter("access", default: "rw", "rw or ro"),
            Parameter("versions", default: "4", "NFS versions served: 4, 3 or 3,4 (3 needs rpcbind running)"),
            Parameter("state_dir", "shared directory for NFS client state (ganesha's recovery directory; bind-mounted on /var/lib/nfs for kernel)"),
            Parameter("grace", default: "90", "seconds of NFSv4 grace after start for clients to reclaim locks, up to 180 (0: none)"),
            Parameter("run_dir", "ganesha's config, pid and log directory (default /run/halo-nfs-FSID)"),
            Parameter("pseudo", "NFSv4 path clients mount (ganesha; default: the exports path)"),
            Parameter("ganesha", default: "ganesha.nfsd", "the nfs-ganesha daemon (looked up in PATH when it has no '/')"),
        ],
        checkValues: { values in
            var problems = [
                checkAbsolutePath(values, "exports"), checkAbsolutePath(values, "state_dir"), checkAbsolutePath(values, "run_dir"),
                checkAbsolutePath(values, "pseudo"), checkInteger(values, "grace", in: 0...180),
            ]
            let server = values["server"] ?? "ganesha"
            if server != "ganesha" && server != "kernel" { problems.append("'server' is ganesha or kernel, not '\(server)'") }
            if let access = values["access"], access != "rw", access != "ro" { problems.append("'access' is rw or ro, not '\(access)'") }
            if let versions = values["versions"], !["3", "4", "3,4", "4,3"].contains(versions) {
                problems.append("'versions' is 4, 3 or 3,4, not '\(versions)'")
            }
            if let clients = values["clients"], clients.isEmpty || clients.contains(where: \.isWhitespace) {
                problems.append("'clients' is a comma-separated list without spaces, not '\(clients)'")
            }
            if let fsid = values["fsid"] { problems.append(checkFSID(fsid, server: server)) }
            return problems.compactMap { $0 }
        })

    /// ganesha wants a number it also uses as Export_Id (1-65535); the kernel takes a number or a UUID.
    static func checkFSID(_ fsid: String, server: String) -> String? {
        if fsid == "0" { return "'fsid 0' is the NFSv4 pseudo root, not an export: use 1 or more" }
        if let number = Int(fsid) {
            if server == "ganesha" && !(1...65535).contains(number) { return "'fsid' for ganesha is from 1 to 65535, not \(fsid)" }
            if number < 1 || number > 4_294_967_295 { return "'fsid' must be from 1 to 4294967295, not \(fsid)" }
            return nil
        }
        let isUUID = fsid.count == 36 && fsid.enumerated().allSatisfy { index, character in
            [8, 13, 18, 23].contains(index) ? character == "-" : character.isHexDigit
        }
        if isUUID && server == "kernel" { return nil }
        return server == "kernel" ? "'fsid' must be a number or a UUID, not '\(fsid)'" : "'fsid' for ganesha must be a number from 1 to 65535, not '\(fsid)'"
    }
}
