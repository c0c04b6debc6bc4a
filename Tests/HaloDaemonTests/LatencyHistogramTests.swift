@testable import HaloDaemon
import Testing

@Suite struct LatencyHistogramTests {
    /// Each value lands in the one bucket whose bounds hold it: at or above the
    /// previous bucket's upper bound, below its own (the last bucket is open).
    @Test func everyValueLandsInTheBucketWhoseBoundsHoldIt() {
        // Around the bounds (1 µs × 2^(i/4), rounded up) and far beyond the last.
        var values: [Int64] = [-5, 0, 1, 999, 1_000, 1_001, 1_189, 1_190, 1_414, 1_415, 1_681, 1_682, 1_999, 2_000, 4_000,
                               50_000, 999_999, 1_000_000, 36_000_000, 1_048_576_000, .max]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 { values.append(Int64.random(in: 0...3_000_000_000, using: &generator)) }
        for value in values {
            var histogram = LatencyHistogram()
            histogram.record(value)
            let buckets = histogram.buckets
            let index = buckets.firstIndex { $0.count == 1 }!
            let lower = index == 0 ? Int64.min : buckets[index - 1].upperBound!
            #expect(max(value, 0) >= lower, "value \(value) below bucket \(index)")
            if let upper = buckets[index].upperBound {
                #expect(max(value, 0) < upper, "value \(value) not below bucket \(index)'s bound \(upper)")
            }
            #expect(histogram.count == 1)
        }
    }
}
