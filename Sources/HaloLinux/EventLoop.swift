import CHaloLinux
import Glibc
import Synchronization

/// One thread that owns file descriptors and timers: epoll for readiness with a
/// nanosecond timeout up to the earliest absolute deadline (CLOCK_MONOTONIC),
/// and an eventfd so other threads can hand it work.
///
/// Everything registered runs on the loop's thread, one callback at a time, so
/// the state it touches needs no locks. An advert costs one wait and one send:
/// no timerfd to re-arm and read (two of the four system calls per advert before).
public final class EventLoop: @unchecked Sendable {
    public typealias TimerID = UInt64

    private let epollFD: Int32
    private let wakeFD: Int32
    private var readHandlers: [Int32: () -> Void] = [:]
    /// Live timers; `deadlines` may still hold entries of cancelled ones, skipped when reached.
    private var timers: [TimerID: (deadline: Int64, action: () -> Void)] = [:]
    private var deadlines = TimerHeap()
    private var nextTimerID: TimerID = 1
    private var stopping = false

    private let inbox = Mutex<[@Sendable () -> Void]>([])

    public init() throws {
        epollFD = try check("epoll_create1", epoll_create1(Int32(EPOLL_CLOEXEC)))
        wakeFD = try check("eventfd", eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)))
        try addToEpoll(wakeFD)
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    private func addToEpoll(_ fd: Int32) throws {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = fd
        try check("epoll_ctl(ADD \(fd))", epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event))
    }

    /// Calls `handler` on the loop thread whenever `fd` is readable. Loop thread only.
    public func watchReadable(_ fd: Int32, handler: @escaping () -> Void) throws {
        try addToEpoll(fd)
        readHandlers[fd] = handler
    }

    public func unwatch(_ fd: Int32) {
        readHandlers[fd] = nil
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
    }

    /// Runs `action` at `deadline` (MonotonicClock nanoseconds). Loop thread only.
    @discardableResult
    public func schedule(at deadline: Int64, _ action: @escaping () -> Void) -> TimerID {
        let id = nextTimerID
        nextTimerID += 1
        timers[id] = (deadline, action)
        deadlines.push(deadline: deadline, id: id)
        return id
    }

    public func cancel(_ id: TimerID) {
        timers[id] = nil
        if timers.isEmpty { deadlines.removeAll() }
    }

    /// Queues work from any thread; it runs on the loop thread.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        inbox.withLock { $0.append(work) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Makes `run()` return after the current callback. Any thread.
    public func stop() {
        execute { [unowned self] in self.stopping = true }
    }

    /// The earliest live deadline, dropping cancelled entries from the top of the heap.
    private func earliestDeadline() -> (deadline: Int64, id: TimerID)? {
        while let top = deadlines.top {
            if let timer = timers[top.id], timer.deadline == top.deadline { return top }
            deadlines.pop()
        }
        return nil
    }

    private func runDueTimers() {
        while let (deadline, id) = earliestDeadline(), deadline <= MonotonicClock.nanoseconds() {
            deadlines.pop()
            let action = timers.removeValue(forKey: id)!.action
            action()
        }
    }

    private func drainInbox() {
        var count: UInt64 = 0
        _ = read(wakeFD, &count, 8)
        let work = inbox.withLock { queued in
            defer { queued.removeAll() }
            return queued
        }
        work.forEach { $0() }
    }

    /// Runs until `stop()`. Call on the thread that is to own the loop.
    public func run() {
        // Wake-ups on time to the microsecond, not the default 50 µs slack.
        _ = halo_set_timer_slack(1_000)
        var events = [epoll_event](repeating: epoll_event(), count: 32)
        while !stopping {
            let timeout = earliestDeadline().map { max($0.deadline - MonotonicClock.nanoseconds(), 0) } ?? -1
            let count = halo_epoll_wait_ns(epollFD, &events, Int32(events.count), timeout)
            if count > 0 {
                for event in events.prefix(Int(count)) {
                    let fd = event.data.fd
                    if fd == wakeFD {
                        drainInbox()
                    } else {
                        readHandlers[fd]?()
                    }
                }
            }
            // count < 0 is EINTR (a signal arrived): only the timers may be due.
            runDueTimers()
        }
        stopping = false
    }
}

/// A binary min-heap of (deadline, timer id): the next timer in O(1), insertion
/// and removal in O(log n), without allocating once it has grown.
struct TimerHeap {
    private var entries: [(deadline: Int64, id: EventLoop.TimerID)] = []

    var top: (deadline: Int64, id: EventLoop.TimerID)? { entries.first }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    mutating func push(deadline: Int64, id: EventLoop.TimerID) {
        entries.append((deadline, id))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        guard !entries.isEmpty else { return }
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < entries.count, Self.precedes(entries[left], entries[first]) { first = left }
            if right < entries.count, Self.precedes(entries[right], entries[first]) { first = right }
            guard first != parent else { return }
            entries.swapAt(parent, first)
            parent = first
        }
    }

    /// Earlier deadline first; equal deadlines in scheduling order (ids increase).
    private static func precedes(_ a: (deadline: Int64, id: EventLoop.TimerID), _ b: (deadline: Int64, id: EventLoop.TimerID)) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.id < b.id
    }
}
