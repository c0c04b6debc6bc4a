/// Timer lateness in log-spaced buckets (1 µs to ~1.8 s): constant memory however
/// long the daemon runs, percentiles good to a bucket's width (2^¼, ≈ 19 %).
struct LatencyHistogram: Sendable {
    /// Bucket 0 holds values below 1 µs, bucket i below 1 µs × 2^(i/4); the last bucket catches the rest.
    private static let bucketCount = 84
    /// 2^¼, 2^½, 2^¾: where a doubling splits into its four buckets.
    private static let quarterSteps: (Double, Double, Double) = (1.189_207_115_002_721, 1.414_213_562_373_095, 1.681_792_830_507_429)
    private var counts = [Int](repeating: 0, count: bucketCount + 1)
    private(set) var count = 0
    private(set) var maximum: Int64 = 0

    /// Runs at every advert: the bucket comes from the value's binary exponent and
    /// significand, with no table to read (a cold table costs more than the arithmetic).
    mutating func record(_ nanoseconds: Int64) {
        let value = max(nanoseconds, 0)
        var index = 0
        if value >= 1_000 {
            let microseconds = Double(value) / 1_000
            let significand = microseconds.significand
            let steps = Self.quarterSteps
            let quarter = (significand >= steps.0 ? 1 : 0) + (significand >= steps.1 ? 1 : 0) + (significand >= steps.2 ? 1 : 0)
            index = min(1 + 4 * Int(microseconds.exponent) + quarter, Self.bucketCount)
        }
        counts[index] += 1
        count += 1
        maximum = max(maximum, value)
    }

    /// Exclusive upper bound of bucket `index` (< bucketCount), in whole nanoseconds:
    /// 1000 × 2^(index/4) rounded up, so an integer is below it exactly when `record` puts it lower.
    private static func bound(_ index: Int) -> Int64 {
        let steps = quarterSteps
        let significand = [1.0, steps.0, steps.1, steps.2][index % 4]
        return Int64((1_000 * Double(sign: .plus, exponent: index / 4, significand: significand)).rounded(.up))
    }

    /// Every bucket with its exclusive upper bound (nil: the open last one), for the metrics endpoint.
    var buckets: [(upperBound: Int64?, count: Int)] {
        counts.indices.map { ($0 < Self.bucketCount ? Self.bound($0) : nil, counts[$0]) }
    }

    /// Upper bound of the bucket holding the given quantile (0...1), in nanoseconds.
    func quantile(_ q: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let target = Int((Double(count) * q).rounded(.up))
        var seen = 0
        for (index, n) in counts.enumerated() {
            seen += n
            if seen >= max(target, 1) { return index < Self.bucketCount ? min(Self.bound(index), maximum) : maximum }
        }
        return maximum
    }

    var summary: String {
        func ms(_ ns: Int64) -> String {
            let tenths = (ns + 500) / 1_000  // µs
            return "\(tenths / 1_000).\(String(tenths % 1_000 + 1_000).dropFirst()) ms"
        }
        return "p50 \(ms(quantile(0.5))), p99 \(ms(quantile(0.99))), max \(ms(maximum)) over \(count) adverts"
    }
}
