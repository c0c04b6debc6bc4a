/// Timer lateness in log-spaced buckets (1 µs to ~1 s): constant memory however
/// long the daemon runs, percentiles good to a bucket's width (≈ 19 %).
struct LatencyHistogram: Sendable {
    /// Bucket i holds values below 1 µs × 1.19^i; the last bucket catches the rest.
    private static let bucketCount = 80
    private static let bounds: [Int64] = (0..<bucketCount).map { Int64(1_000 * pow119($0)) }
    private var counts = [Int](repeating: 0, count: bucketCount + 1)
    private(set) var count = 0
    private(set) var maximum: Int64 = 0

    mutating func record(_ nanoseconds: Int64) {
        let value = max(nanoseconds, 0)
        // The first bound above the value (bucketCount when none), by bisection.
        var low = 0, high = Self.bucketCount
        while low < high {
            let middle = (low + high) / 2
            if value < Self.bounds[middle] { high = middle } else { low = middle + 1 }
        }
        let index = low
        counts[index] += 1
        count += 1
        maximum = max(maximum, value)
    }

    /// Every bucket with its exclusive upper bound (nil: the open last one), for the metrics endpoint.
    var buckets: [(upperBound: Int64?, count: Int)] {
        counts.indices.map { ($0 < Self.bucketCount ? Self.bounds[$0] : nil, counts[$0]) }
    }

    /// Upper bound of the bucket holding the given quantile (0...1), in nanoseconds.
    func quantile(_ q: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let target = Int((Double(count) * q).rounded(.up))
        var seen = 0
        for (index, n) in counts.enumerated() {
            seen += n
            if seen >= max(target, 1) { return index < Self.bucketCount ? min(Self.bounds[index], maximum) : maximum }
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

    private static func pow119(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { value, _ in value * 1.19 }
    }
}
