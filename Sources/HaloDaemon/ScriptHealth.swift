/// keepalived's rise/fall counter for one `vrrp_script`: a value in
/// 0 ... rise + fall − 1 that is "up" from `rise` on. It starts at rise − 1
/// (one success makes the script up, the first failure makes it down), or at 0
/// with `init_fail`. Up, a success refills it; each failure takes one off and the
/// `fall`-th in a row makes it down. Down, a failure empties it and `rise`
/// successes in a row make it up.
struct ScriptHealth: Sendable {
    enum Status: Sendable, Equatable, CustomStringConvertible {
        /// No result yet: counts as neither up nor down.
        case unknown
        case up
        case down

        var description: String {
            switch self {
            case .unknown: "unknown"
            case .up: "up"
            case .down: "down"
            }
        }
    }

    let rise: Int
    let fall: Int
    private(set) var status: Status
    private var counter: Int

    init(rise: Int, fall: Int, initiallyFailed: Bool) {
        self.rise = max(rise, 1)
        self.fall = max(fall, 1)
        counter = initiallyFailed ? 0 : self.rise - 1
        status = initiallyFailed ? .down : .unknown
    }

    private var full: Int { rise + fall - 1 }

    /// Records one run; true when the status changed.
    mutating func record(success: Bool) -> Bool {
        let before = status
        if success {
            if counter < rise - 1 {
                counter += 1
            } else {
                if counter < rise { status = .up }
                counter = full
            }
        } else {
            if counter > rise {
                counter -= 1
            } else {
                if counter == rise || status == .unknown { status = .down }
                counter = 0
            }
        }
        return status != before
    }
}

/// How one tracker line (`track_script` / `track_interface` / `track_file`)
/// moves an instance: a weight added to the priority, or a fault.
enum TrackerEffect: Equatable {
    case none
    case weight(Int)
    case fault

    /// keepalived's rule for a script (and a link): weight 0 faults while failing,
    /// a positive weight is added while OK, a negative one while failing;
    /// `reverse` swaps what counts as OK.
    static func of(status: ScriptHealth.Status, weight: Int, reversed: Bool) -> TrackerEffect {
        guard status != .unknown else { return .none }
        let failing = (status == .down) != reversed
        if weight == 0 { return failing ? .fault : .none }
        if weight > 0 { return failing ? .none : .weight(weight) }
        return failing ? .weight(weight) : .none
    }

    /// A tracked file: its value times the weight (negated by `reverse`);
    /// with weight 0, any non-zero value is a fault.
    static func of(fileValue: Int, weight: Int, reversed: Bool) -> TrackerEffect {
        if weight == 0 { return fileValue == 0 ? .none : .fault }
        let product = fileValue.multipliedReportingOverflow(by: reversed ? -weight : weight)
        return product.overflow ? .fault : (product.partialValue == 0 ? .none : .weight(product.partialValue))
    }
}
