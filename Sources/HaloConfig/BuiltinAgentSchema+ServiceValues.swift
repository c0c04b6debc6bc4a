/// Value checks shared by the service agents' schemas (mfsmaster, mogilefsd,
/// haproxy, mysql): ports, absolute paths, addresses.
extension BuiltinAgentSchema {
    /// Problems with each of `names` as a TCP port (1-65535), if given.
    static func portProblems(_ values: [String: String], _ names: String...) -> [String] {
        names.compactMap { checkInteger(values, $0, in: 1...65535) }
    }

    /// Problems with each of `names` as an absolute path, if given.
    static func absolutePathProblems(_ values: [String: String], _ names: String...) -> [String] {
        names.compactMap { checkAbsolutePath(values, $0) }
    }

    /// Problems with `values[name]` as a numeric IPv4 or IPv6 address (the probes do not resolve names).
    static func addressProblems(_ values: [String: String], _ names: String...) -> [String] {
        names.compactMap { name in
            guard let text = values[name] else { return nil }
            let ipv4 = text.split(separator: ".", omittingEmptySubsequences: false)
            let isIPv4 = ipv4.count == 4 && ipv4.allSatisfy { UInt8($0) != nil }
            let isIPv6 = text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
            return isIPv4 || isIPv6 ? nil : "'\(name) \(text)' is not a numeric IPv4 or IPv6 address"
        }
    }
}
