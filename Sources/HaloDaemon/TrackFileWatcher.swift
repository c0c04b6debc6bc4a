import CHaloLinux
import Glibc
import HaloConfig
import HaloLinux
import Logging

/// Watches the `vrrp_track_file`s: each holds an integer that, times its
/// weight, moves the priority. inotify on the files' directories rather than
/// polling: a change takes effect at once (as in keepalived, which also uses
/// inotify), costs nothing while nothing changes, and watching the directory
/// sees files that are replaced by rename or created later. Loop thread only.
final class TrackFileWatcher {
    let specs: [TrackFileSpec]
    /// Current value per tracker name (0 while the file is missing or unreadable).
    private(set) var values: [String: Int] = [:]
    private let logger: Logger
    private var inotifyFD: Int32 = -1
    /// Called with the tracker name and a one-line cause when its value changed.
    var onChange: ((String, String) -> Void)?

    init(specs: [TrackFileSpec], logger: Logger) {
        self.specs = specs
        self.logger = logger
    }

    deinit { if inotifyFD >= 0 { close(inotifyFD) } }

    func start(on loop: EventLoop) throws {
        for spec in specs {
            if let initial = spec.initialValue, access(spec.path, F_OK) != 0 { write(initial, to: spec.path) }
            values[spec.name] = Self.readValue(spec.path)
            logger.info("Track file \(spec.name) (\(spec.path)): value \(values[spec.name] ?? 0)")
        }
        guard !specs.isEmpty else { return }
        inotifyFD = try checked("inotify_init1", inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)))
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY)
        for directory in Set(specs.map { Path.directory(of: $0.path) }) {
            if inotify_add_watch(inotifyFD, directory, mask) < 0 {
                logger.error("Track file: cannot watch \(directory): \(SystemError("inotify_add_watch"))")
            }
        }
        try loop.watchReadable(inotifyFD) { [unowned self] in changed() }
    }

    /// Stops watching (a reload replaced the track files); the descriptor closes with the watcher.
    func stop(on loop: EventLoop) {
        if inotifyFD >= 0 { loop.unwatch(inotifyFD) }
        onChange = nil
    }

    private func changed() {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while buffer.withUnsafeMutableBytes({ read(inotifyFD, $0.baseAddress, $0.count) }) > 0 {}
        // Which names changed does not matter: re-reading a few small files is cheaper than parsing events.
        for spec in specs {
            let value = Self.readValue(spec.path)
            let old = values[spec.name] ?? 0
            guard value != old else { continue }
            values[spec.name] = value
            logger.info("Track file \(spec.name) (\(spec.path)): value \(old) -> \(value)")
            onChange?(spec.name, "track file \(spec.name) value \(old) -> \(value)")
        }
    }

    /// The file's leading integer, as keepalived reads it (strtol: garbage after it is ignored); 0 when absent.
    static func readValue(_ path: String) -> Int {
        // O_NONBLOCK: a FIFO put there by mistake must not hang the loop.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return 0 }
        let text = String(decoding: bytes[0..<count], as: UTF8.self).drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        var digits = String(text.prefix { $0.isNumber || $0 == "-" || $0 == "+" })
        if digits.hasPrefix("+") { digits.removeFirst() }
        return Int(digits) ?? 0
    }

    private func write(_ value: Int, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            logger.error("Track file: cannot create \(path): \(SystemError("open"))")
            return
        }
        var text = "\(value)\n"
        _ = text.withUTF8 { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    private func checked(_ operation: String, _ result: Int32) throws -> Int32 {
        if result < 0 { throw SystemError(operation) }
        return result
    }
}
