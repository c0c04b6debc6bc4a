extension BuiltinAgentSchema {
    /// `builtin:filesystem`: heartbeat's Filesystem. Mounts a device on a directory,
    /// refusing a device already mounted elsewhere; on stop, kills what keeps it busy.
    static let filesystem = BuiltinAgentSchema(
        name: "filesystem",
        summary: "mount a block device (fsck first if asked); on stop unmount it, killing its users (fuser -km) when busy",
        parameters: [
            Parameter("device", required: true, "block device or source to mount, e.g. /dev/drbd0"),
            Parameter("directory", required: true, "mount point (created when missing)"),
            Parameter("fstype", "filesystem type given to mount -t; absent: mount detects it"),
            Parameter("options", "mount -o options, e.g. noatime"),
            Parameter("fsck", default: "no", "yes: run fsck -p on the device before mounting"),
            Parameter("check_write", default: "no", "yes: the monitor also writes and removes a file in the directory"),
        ],
        checkValues: { values in
            var problems = [checkAbsolutePath(values, "directory"), checkYesNo(values, "fsck"), checkYesNo(values, "check_write")]
            if values["directory"] == "/" { problems.append("'directory' cannot be / (it is never unmounted)") }
            if let options = values["options"], options.contains(where: \.isWhitespace) {
                problems.append("'options' is one comma-separated list without spaces, not '\(options)'")
            }
            return problems.compactMap { $0 }
        })
}
