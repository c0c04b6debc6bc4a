import Glibc
import HaloControl
import HaloLinux

/// Where the dumps go and how they are written: keepalived's names in
/// `state_dump_directory` (default /tmp, as keepalived), each replaced
/// atomically (a reader never sees half a file) with mode 0644.
enum StateDumpFiles {
    /// keepalived's JSON dump signal: SIGRTMIN+2 (`keepalived --signum=JSON`).
    static var jsonSignal: Int32 { __libc_current_sigrtmin() + 2 }

    static func fileName(_ format: DumpFormat) -> String {
        switch format {
        case .data: "keepalived.data"
        case .stats: "keepalived.stats"
        case .json: "keepalived.json"
        }
    }

    /// Writes `text` to a fresh temporary file beside `path` and renames it over
    /// `path`. No fsync: a dump is a snapshot for tools, not state to survive a
    /// crash, and the loop must not wait on the disk. O_EXCL and the rename keep
    /// a symlink planted in /tmp from redirecting the write.
    static func write(_ text: String, to path: String) throws {
        let temporary = "\(path).\(getpid()).tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw SystemError("open(\(temporary))") }
        var bytes = Array(text.utf8)
        var written = 0
        var failure: SystemError?
        while written < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = SystemError("write(\(temporary))")
                break
            }
            written += count
        }
        // The umask must not narrow what readers (monitoring agents) may open.
        if failure == nil && fchmod(fd, 0o644) != 0 { failure = SystemError("fchmod(\(temporary))") }
        close(fd)
        if failure == nil && rename(temporary, path) != 0 { failure = SystemError("rename(\(temporary), \(path))") }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }
}

extension Engine {
    func renderStateDump(_ format: DumpFormat) -> String {
        let snapshot = stateDumpSnapshot()
        switch format {
        case .data: return StateDumpText.data(snapshot)
        case .stats: return StateDumpText.stats(snapshot)
        case .json: return StateDumpJSON.render(snapshot)
        }
    }

    /// The signal's dump, written where keepalived's tools look for it.
    func writeStateDump(_ format: DumpFormat) {
        let path = configuration.stateDumpDirectory + "/" + StateDumpFiles.fileName(format)
        do {
            try StateDumpFiles.write(renderStateDump(format), to: path)
            logger.info("\(format) dump written to \(path)")
        } catch {
            logger.error("cannot write the \(format) dump to \(path): \(error)")
        }
    }
}
