import CHaloLinux
import Glibc
import Synchronization

/// One thread that owns file descriptors and timers: epoll for readiness, one
/// timerfd armed at the earliest absolute deadline (nanosecond precision,
/// CLOCK_MONOTONIC), and an eventfd so other threads can hand it work.
///
/// Everything registered runs on the loop's thread, one callback at a time, so
/// the state it touches needs no locks.
public final class EventLoop: @unchecked Sendable {
    public typealias TimerID = UInt64

    private let epollFD: Int32
    private let timerFD: Int32
    private let wakeFD: Int32
    private var readHandlers: [Int32: () -> Void] = [:]
    private var timers: [TimerID: (deadline: Int64, action: () -> Void)] = [:]
    private var nextTimerID: TimerID = 1
    private var armedDeadline: Int64 = .max
    private var stopping = false

    private let inbox = Mutex<[@Sendable () -> Void]>([])

    public init() throws {
        epollFD = try check("epoll_create1", epoll_create1(Int32(EPOLL_CLOEXEC)))
        timerFD = try check("timerfd_create", timerfd_create(CLOCK_MONOTONIC, Int32(TFD_CLOEXEC | TFD_NONBLOCK)))
        wakeFD = try check("eventfd", eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)))
        try addToEpoll(timerFD)
        try addToEpoll(wakeFD)
    }

    deinit {
        close(epollFD)
        close(timerFD)
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
        if deadline < armedDeadline { arm(deadline) }
        return id
    }

    public func cancel(_ id: TimerID) {
        timers[id] = nil
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

    private func arm(_ deadline: Int64) {
        armedDeadline = deadline
        var spec = itimerspec()
        // A zero it_value disarms the timer, so a deadline already past becomes 1 ns.
        let target = max(deadline, 1)
        spec.it_value.tv_sec = Int(target / 1_000_000_000)
        spec.it_value.tv_nsec = Int(target % 1_000_000_000)
        timerfd_settime(timerFD, Int32(TFD_TIMER_ABSTIME), &spec, nil)
    }

    private func runDueTimers() {
        var expirations: UInt64 = 0
        _ = read(timerFD, &expirations, 8)
        armedDeadline = .max
        while true {
            let now = MonotonicClock.nanoseconds()
            guard let (id, timer) = timers.min(by: { $0.value.deadline < $1.value.deadline }),
                  timer.deadline <= now else { break }
            timers[id] = nil
            timer.action()
        }
        if let next = timers.values.map(\.deadline).min() { arm(next) }
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
        var events = [epoll_event](repeating: epoll_event(), count: 32)
        while !stopping {
            let count = epoll_wait(epollFD, &events, Int32(events.count), -1)
            if count < 0 { continue }  // EINTR: a signal arrived; nothing to do here
            for event in events.prefix(Int(count)) {
                let fd = event.data.fd
                if fd == timerFD {
                    runDueTimers()
                } else if fd == wakeFD {
                    drainInbox()
                } else {
                    readHandlers[fd]?()
                }
            }
        }
        stopping = false
    }
}
