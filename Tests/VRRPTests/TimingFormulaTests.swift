import Testing
@testable import VRRP

@Suite struct TimingFormulaTests {
    /// keepalived 2.2.7 takeover times measured on this kind of machine
    /// (REFERENCE.md): the formula must be at most 1 ms below each measurement
    /// (the measurement adds timer and wire latency, never subtracts).
    @Test(arguments: [
        (VRRPVersion.v2, UInt16(100), UInt8(90), 3_648.7),
        (VRRPVersion.v3, UInt16(100), UInt8(90), 3_648.7),
        (VRRPVersion.v3, UInt16(10), UInt8(90), 365.0),
        (VRRPVersion.v3, UInt16(1), UInt8(90), 37.0),
    ])
    func masterDownMatchesMeasuredKeepalived(version: VRRPVersion, interval: UInt16, priority: UInt8, measuredMilliseconds: Double) {
        let timing = VRRPTiming(version: version)
        let down = timing.masterDownInterval(priority: priority, masterAdvertInterval: .centiseconds(Int64(interval)))
        let computed = Double(down.nanoseconds) / 1_000_000
        #expect(computed <= measuredMilliseconds)
        #expect(computed >= measuredMilliseconds - 1)
    }

    @Test func exactValuesByHand() {
        let v2 = VRRPTiming(version: .v2)
        // (256 − 90) / 256 s = 0.6484375 s; 3 × 1 s + that.
        #expect(v2.skewTime(priority: 90, masterAdvertInterval: .seconds(1)) == VRRPDuration(nanoseconds: 648_437_500))
        #expect(v2.masterDownInterval(priority: 90, masterAdvertInterval: .seconds(1)) == VRRPDuration(nanoseconds: 3_648_437_500))
        // v2 skew ignores the advert interval: at 2 s it is still 0.6484375 s.
        #expect(v2.masterDownInterval(priority: 90, masterAdvertInterval: .seconds(2)) == VRRPDuration(nanoseconds: 6_648_437_500))

        let v3 = VRRPTiming(version: .v3)
        // (166 × 100 ms) / 256 = 64.84375 ms, not the 60 ms a centisecond-truncated skew would give.
        #expect(v3.skewTime(priority: 90, masterAdvertInterval: .centiseconds(10)) == VRRPDuration(nanoseconds: 64_843_750))
        #expect(v3.masterDownInterval(priority: 90, masterAdvertInterval: .centiseconds(1)) == VRRPDuration(nanoseconds: 36_484_375))
        // Minimum skew (priority 255): interval / 256.
        #expect(v3.minimumSkew(masterAdvertInterval: .centiseconds(10)) == VRRPDuration(nanoseconds: 390_625))
        #expect(v2.minimumSkew(masterAdvertInterval: .seconds(3)) == VRRPDuration(nanoseconds: 3_906_250))
    }

    @Test func downTimerAdvertsReplacesTheThree() {
        // 5 × 1 s + (156 / 256) s = 5.609375 s.
        let timing = VRRPTiming(version: .v3, downTimerAdverts: 5)
        #expect(timing.masterDownInterval(priority: 100, masterAdvertInterval: .seconds(1)) == VRRPDuration(nanoseconds: 5_609_375_000))
        let one = VRRPTiming(version: .v2, downTimerAdverts: 1)
        #expect(one.masterDownInterval(priority: 100, masterAdvertInterval: .seconds(1)) == VRRPDuration(nanoseconds: 1_609_375_000))
    }

    @Test func effectivePriorityClampsAndSparesTheOwner() {
        #expect(Priority.effective(base: 100, trackerWeight: 20) == 120)
        #expect(Priority.effective(base: 100, trackerWeight: 200) == 254)
        #expect(Priority.effective(base: 100, trackerWeight: -150) == 1)
        #expect(Priority.effective(base: 255, trackerWeight: -50) == 255)
        #expect(Priority.effective(base: 1, trackerWeight: 0) == 1)
    }

    @Test func durationsPrintAsMilliseconds() {
        #expect(VRRPDuration(nanoseconds: 3_648_437_500).description == "3648.437ms")
        #expect(VRRPInstant(nanoseconds: 5_000).description == "t=0.005ms")
    }
}
