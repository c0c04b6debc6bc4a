import CHaloLinux
import Glibc
import HaloLinux
import Testing
import Foundation

@Suite struct EventLoopTests {
    /// Runs a loop on its own thread until `body` stops it.
    private func runLoop(_ setUp: @escaping @Sendable (EventLoop) -> Void) throws -> EventLoop {
        let loop = try EventLoop()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            setUp(loop)
            loop.run()
            done.signal()
        }
        thread.start()
        #expect(done.wait(timeout: .now() + 10) == .success, "loop did not stop")
        return loop
    }

    @Test func theLoopsClockIsTheMonotonicClock() throws {
        let loop = try EventLoop()
        for _ in 0..<1_000 {
            let before = MonotonicClock.nanoseconds()
            let reading = loop.nanoseconds()
            let after = MonotonicClock.nanoseconds()
            #expect(before <= reading && reading <= after)
        }
    }

    @Test func theLoopThreadHasNoRseqAreaTheKernelUpdates() throws {
        let cpuBefore = Box<Int32>(-3), cpuInLoop = Box<Int32>(-3)
        _ = try runLoop { loop in
            cpuBefore.value = halo_rseq_cpu_id()
            loop.schedule(at: MonotonicClock.nanoseconds() + 5_000_000) {
                cpuInLoop.value = halo_rseq_cpu_id()
                loop.stop()
            }
        }
        #expect(cpuBefore.value >= 0, "glibc registers an rseq area for every thread on this kernel")
        #expect(cpuInLoop.value == -1)
    }

    @Test func firesTimersInDeadlineOrderNotSchedulingOrder() throws {
        let order = Box<[Int]>([])
        _ = try runLoop { loop in
            let now = MonotonicClock.nanoseconds()
            loop.schedule(at: now + 30_000_000) { order.value.append(3); loop.stop() }
            loop.schedule(at: now + 10_000_000) { order.value.append(1) }
            loop.schedule(at: now + 20_000_000) { order.value.append(2) }
            let cancelled = loop.schedule(at: now + 15_000_000) { order.value.append(99) }
            loop.cancel(cancelled)
        }
        #expect(order.value == [1, 2, 3])
    }

    @Test func reArmingATimerReplacesItsDeadline() throws {
        let fired = Box<[String]>([])
        _ = try runLoop { loop in
            let now = MonotonicClock.nanoseconds()
            let timer = loop.makeTimer { fired.value.append("timer") }
            loop.arm(timer, at: now + 5_000_000)
            loop.arm(timer, at: now + 20_000_000)  // replaces the 5 ms deadline
            loop.schedule(at: now + 10_000_000) { fired.value.append("10 ms") }
            loop.schedule(at: now + 30_000_000) { fired.value.append("30 ms"); loop.stop() }
        }
        #expect(fired.value == ["10 ms", "timer", "30 ms"])
    }

    @Test func aCancelledTimerCanBeArmedAgainAndRearmItselfFromItsAction() throws {
        let firings = Box(0)
        _ = try runLoop { loop in
            let now = MonotonicClock.nanoseconds()
            let periodic = Box<LoopTimer?>(nil)
            periodic.value = loop.makeTimer {
                firings.value += 1
                #expect(!periodic.value!.isArmed, "a timer is disarmed while its action runs")
                if firings.value < 5 {
                    loop.arm(periodic.value!, at: MonotonicClock.nanoseconds() + 2_000_000)
                } else {
                    loop.stop()
                }
            }
            loop.arm(periodic.value!, at: now + 1_000_000)
            #expect(periodic.value!.isArmed)
            loop.cancel(periodic.value!)
            #expect(!periodic.value!.isArmed)
            loop.cancel(periodic.value!)  // twice is harmless
            loop.arm(periodic.value!, at: now + 3_000_000)
        }
        #expect(firings.value == 5)
    }

    @Test func equalDeadlinesFireInArmingOrder() throws {
        let order = Box<[Int]>([])
        _ = try runLoop { loop in
            let deadline = MonotonicClock.nanoseconds() + 5_000_000
            for n in 1...5 { loop.schedule(at: deadline) { order.value.append(n) } }
            loop.schedule(at: deadline + 1) { loop.stop() }
        }
        #expect(order.value == [1, 2, 3, 4, 5])
    }

    @Test func firesAPastDeadlineImmediately() throws {
        let fired = Box(false)
        _ = try runLoop { loop in
            loop.schedule(at: MonotonicClock.nanoseconds() - 1_000_000) { fired.value = true; loop.stop() }
        }
        #expect(fired.value)
    }

    @Test func runsWorkHandedInFromOtherThreadsAndReadHandlers() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let readFD = fds[0], writeFD = fds[1]
        let got = Box<[UInt8]>([])
        let loop = try EventLoop()
        let done = DispatchSemaphore(value: 0)
        Thread {
            try? loop.watchReadable(readFD) {
                var byte: UInt8 = 0
                _ = read(readFD, &byte, 1)
                got.value.append(byte)
                if byte == 2 { loop.stop() }
            }
            loop.run()
            done.signal()
        }.start()
        loop.execute { var one: UInt8 = 1; _ = write(writeFD, &one, 1) }
        usleep(20_000)
        var two: UInt8 = 2
        _ = write(writeFD, &two, 1)
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(got.value == [1, 2])
    }

    /// Behaviour, not a benchmark: a 10 ms periodic deadline chain on absolute
    /// deadlines does not drift (each deadline is computed from the first, not from when the last one fired).
    @Test func periodicAbsoluteDeadlinesDoNotDrift() throws {
        let lateness = Box<[Int64]>([])
        _ = try runLoop { loop in
            let start = MonotonicClock.nanoseconds()
            func tick(_ n: Int64) {
                let deadline = start + n * 10_000_000
                loop.schedule(at: deadline) {
                    lateness.value.append(MonotonicClock.nanoseconds() - deadline)
                    if n == 100 { loop.stop() } else { tick(n + 1) }
                }
            }
            tick(1)
        }
        #expect(lateness.value.count == 100)
        #expect(lateness.value.allSatisfy { $0 >= 0 }, "a timer fired early")
    }
}

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
