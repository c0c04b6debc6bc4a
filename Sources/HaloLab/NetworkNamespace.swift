import Foundation
import CHaloLinux
import Glibc

/// A network namespace the lab created, by name (`ip netns`).
public struct NetworkNamespace: Hashable, Sendable, CustomStringConvertible {
    public let name: String

    public init(name: String) { self.name = name }

    public var description: String { name }

    /// `ip netns exec NAME ...`
    @discardableResult
    public func run(_ arguments: String...) throws -> String {
        try Shell.run(["ip", "netns", "exec", name] + arguments)
    }

    @discardableResult
    public func run(_ arguments: [String]) throws -> String {
        try Shell.run(["ip", "netns", "exec", name] + arguments)
    }

    /// Runs `body` on a new thread that has entered this namespace. Sockets and
    /// netlink handles created there stay in the namespace when used elsewhere.
    /// (setns(CLONE_NEWNET) changes only the calling thread, so the test's own
    /// threads are untouched.)
    public func perform<T>(_ body: @escaping () throws -> T) throws -> T {
        let box = ResultBox<T>(body)
        let path = "/run/netns/\(name)"
        let thread = Thread {
            box.result = Result {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw Shell.Failure(command: ["open", path], status: errno, output: "cannot open namespace") }
                defer { close(fd) }
                guard halo_enter_network_namespace(fd) == 0 else {
                    throw Shell.Failure(command: ["setns", path], status: errno, output: String(cString: strerror(errno)))
                }
                return try box.body()
            }
            box.done.signal()
        }
        thread.start()
        box.done.wait()
        return try box.result!.get()
    }
}

/// Carries the body and its result across the thread boundary; the semaphore orders the accesses.
private final class ResultBox<T>: @unchecked Sendable {
    let body: () throws -> T
    init(_ body: @escaping () throws -> T) { self.body = body }
    var result: Result<T, Error>?
    let done = DispatchSemaphore(value: 0)
}
