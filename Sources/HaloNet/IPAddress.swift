/// IPv4 and IPv6 addresses as plain values, parsed and printed without libc so
/// the config parser and the packet codec stay pure and fuzzable.

public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Host-order value: 192.0.2.1 is 0xC000_0201.
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Network-order bytes.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 4 else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Dotted quad, exactly four decimal parts 0-255 (no octal, no shorthand).
    public init?(_ text: Substring) {
        var parts: [UInt32] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = UInt32(part), n <= 255 else { return nil }
            parts.append(n)
        }
        guard parts.count == 4 else { return nil }
        value = parts.reduce(0) { $0 << 8 | $1 }
    }

    public init?(_ text: String) { self.init(Substring(text)) }

    public var bytes: [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    public var isMulticast: Bool { value >> 28 == 0xE }
    public var isUnspecified: Bool { value == 0 }

    public var description: String { bytes.map(String.init).joined(separator: ".") }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Network-order: high holds bytes 0-7, low bytes 8-15.
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 16 else { return nil }
        let array = Array(bytes)
        high = array[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        low = array[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
    }

    init(groups: [UInt16]) {
        precondition(groups.count == 8)
        high = groups[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
        low = groups[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
    }

    /// RFC 4291 text form, including `::` and an embedded dotted quad tail.
    public init?(_ text: Substring) {
        guard !text.isEmpty, text.count <= 45, text.allSatisfy({ $0.isASCII }) else { return nil }
        var head: [UInt16] = [], tail: [UInt16] = []
        let halves = text.components(separatedByDoubleColon: ())
        guard halves.count <= 2 else { return nil }
        func parse(_ part: Substring, into groups: inout [UInt16], allowQuad: Bool) -> Bool {
            if part.isEmpty { return true }
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, field) in fields.enumerated() {
                if allowQuad, i == fields.count - 1, field.contains(".") {
                    guard let v4 = IPv4Address(field) else { return false }
                    groups.append(UInt16(v4.value >> 16))
                    groups.append(UInt16(truncatingIfNeeded: v4.value))
                    continue
                }
                guard (1...4).contains(field.count), let g = UInt16(field, radix: 16) else { return false }
                groups.append(g)
            }
            return true
        }
        if halves.count == 1 {
            guard parse(halves[0], into: &head, allowQuad: true), head.count == 8 else { return nil }
            self.init(groups: head)
        } else {
            guard parse(halves[0], into: &head, allowQuad: false),
                  parse(halves[1], into: &tail, allowQuad: true),
                  head.count + tail.count <= 7 else { return nil }
            self.init(groups: head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail)
        }
    }

    public init?(_ text: String) { self.init(Substring(text)) }

    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
    }

    public var groups: [UInt16] {
        (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
    }

    public var isLinkLocal: Bool { high >> 54 == 0x3FA }  // fe80::/10
    public var isMulticast: Bool { high >> 56 == 0xFF }
    public var isUnspecified: Bool { high == 0 && low == 0 }

    /// RFC 5952 canonical text: lower case, longest run (>= 2) of zero groups as `::`.
    public var description: String {
        let g = groups
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8, g[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        let hex = { (range: Range<Int>) in range.map { String(g[$0], radix: 16) }.joined(separator: ":") }
        guard bestLength >= 2 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

public enum AddressFamily: String, Hashable, Sendable {
    case ipv4 = "IPv4", ipv6 = "IPv6"
}

public enum IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    public init?(_ text: Substring) {
        if let a = IPv4Address(text) { self = .v4(a) } else if let a = IPv6Address(text) { self = .v6(a) } else { return nil }
    }

    public init?(_ text: String) { self.init(Substring(text)) }

    public var family: AddressFamily {
        switch self { case .v4: .ipv4; case .v6: .ipv6 }
    }

    public var bytes: [UInt8] {
        switch self { case .v4(let a): a.bytes; case .v6(let a): a.bytes }
    }

    public var isMulticast: Bool {
        switch self { case .v4(let a): a.isMulticast; case .v6(let a): a.isMulticast }
    }

    public var description: String {
        switch self { case .v4(let a): a.description; case .v6(let a): a.description }
    }

    /// Unsigned byte-wise compare, as VRRP's tie-break on primary address wants.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

/// An address with a prefix length, written `ADDR[/LEN]`.
public struct IPPrefix: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var length: UInt8

    public init(address: IPAddress, length: UInt8) {
        self.address = address
        self.length = length
    }

    /// Without `/LEN` the prefix is a host route (/32 or /128), as keepalived defaults VIPs.
    public init?(_ text: Substring) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let maxLength: UInt8 = address.family == .ipv4 ? 32 : 128
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let length = UInt8(parts[1]), length <= maxLength else { return nil }
            self.init(address: address, length: length)
        } else {
            self.init(address: address, length: maxLength)
        }
    }

    public init?(_ text: String) { self.init(Substring(text)) }

    public var family: AddressFamily { address.family }

    public var description: String { "\(address)/\(length)" }
}

extension Substring {
    /// Splits on the first `::` only; a second `::` yields three parts (invalid).
    fileprivate func components(separatedByDoubleColon _: Void) -> [Substring] {
        var parts: [Substring] = []
        var rest = self[...]
        while let range = rest.firstRange(of: "::") {
            parts.append(rest[rest.startIndex..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }
}
