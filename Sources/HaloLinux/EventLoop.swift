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
    private let epollFD: Int32
    private let wakeFD: Int32
    private var readHandlers: [Int32: () -> Void] = [:]
    /// Armed timers by deadline; entries of timers since cancelled or re-armed are skipped when reached.
    private var deadlines = TimerHeap()
    private var armedCount = 0
    private var nextSequence: UInt64 = 1
    private var stopping = false

    private let inbox = Mutex<[@Sendable () -> Void]>([])
    /// CLOCK_MONOTONIC straight from the vDSO (see `halo_vdso_clock_gettime`): the
    /// loop reads it twice a turn, right after waking.
    private let readClock = halo_vdso_clock_gettime()!  // never NULL: glibc's is the fallback

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

    /// A timer that runs `action` each time it is armed and its deadline comes:
    /// made once and re-armed, so a periodic timer allocates nothing. Loop thread only.
    public func makeTimer(_ action: @escaping () -> Void) -> LoopTimer {
        LoopTimer(action: action)
    }

    /// Arms `timer` for `deadline` (MonotonicClock nanoseconds), replacing the deadline it had. Loop thread only.
    public func arm(_ timer: LoopTimer, at deadline: Int64) {
        if timer.sequence == 0 { armedCount += 1 }
        timer.sequence = nextSequence
        nextSequence += 1
        deadlines.push(TimerHeap.Entry(deadline: deadline, sequence: timer.sequence, timer: timer))
    }

    /// Runs `action` once at `deadline` (MonotonicClock nanoseconds). Loop thread only.
    @discardableResult
    public func schedule(at deadline: Int64, _ action: @escaping () -> Void) -> LoopTimer {
        let timer = makeTimer(action)
        arm(timer, at: deadline)
        return timer
    }

    /// Disarms `timer`; it may be armed again. Loop thread only.
    public func cancel(_ timer: LoopTimer) {
        guard timer.sequence != 0 else { return }
        timer.sequence = 0
        armedCount -= 1
        if armedCount == 0 && !deadlines.isEmpty { deadlines.removeAll() }
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

    /// The earliest armed timer's entry, dropping stale entries from the top of the heap.
    private func earliestEntry() -> TimerHeap.Entry? {
        while let top = deadlines.top {
            if top.timer.sequence == top.sequence { return top }
            deadlines.pop()
        }
        return nil
    }

    /// When the due timers of this loop turn were collected (MonotonicClock nanoseconds):
    /// a timer's action reads its lateness here instead of the clock.
    public private(set) var timersDueAt: Int64 = 0

    /// MonotonicClock.nanoseconds(), read through the loop's own pointer to the vDSO.
    public func nanoseconds() -> Int64 {
        var now = timespec()
        _ = readClock(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    private func runDueTimers() {
        let now = nanoseconds()
        timersDueAt = now
        // Timers armed by these actions for `now` or earlier run on the next turn (timeout 0).
        while let entry = earliestEntry(), entry.deadline <= now {
            deadlines.pop()
            cancel(entry.timer)
            entry.timer.action()
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
        // No CPU number written to this thread's rseq area after every wait (see halo_unregister_rseq).
        _ = halo_unregister_rseq()
        var events = [epoll_event](repeating: epoll_event(), count: 32)
        while !stopping {
            let timeout = earliestEntry().map { max($0.deadline - nanoseconds(), 0) } ?? -1
            let count = halo_epoll_wait_ns(epollFD, &events, Int32(events.count), timeout)
            if count > 0 {
                for index in 0..<Int(count) {
                    let fd = events[index].data.fd
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

/// A timer of an `EventLoop`: armed at most once at a time. Hashable by identity.
public final class LoopTimer: Hashable {
    fileprivate let action: () -> Void
    /// The loop's sequence number of the arming in force; 0 while disarmed.
    fileprivate var sequence: UInt64 = 0

    fileprivate init(action: @escaping () -> Void) {
        self.action = action
    }

    public var isArmed: Bool { sequence != 0 }

    public static func == (lhs: LoopTimer, rhs: LoopTimer) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A binary min-heap of armed timers by (deadline, arming sequence): the next
/// timer in O(1), insertion and removal in O(log n), without allocating once it has grown.
struct TimerHeap {
    struct Entry {
        var deadline: Int64
        var sequence: UInt64
        var timer: LoopTimer
    }

    private var entries: [Entry] = []

    var top: Entry? { entries.first }
    var isEmpty: Bool { entries.isEmpty }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
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

    /// Earlier deadline first; equal deadlines in arming order (sequences increase).
    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence
    }
}
