/// Why an `Advertisement` cannot be put on the wire. The state machine builds
/// adverts from validated configuration, so these mean a bug or a config check
/// that let something through; the data plane logs them instead of sending.
public enum AdvertisementEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// v2 carries whole seconds (RFC 3768 §5.3.7): the interval must be a multiple of 100 cs.
    case v2IntervalNotWholeSeconds(UInt16)
    /// v2: 1–255 s; v3: 1–4095 cs (RFC 5798 §5.2.5; zero is dropped by receivers per RFC 9568 §7.1).
    case intervalOutOfRange(UInt16)
    /// The count field is one byte.
    case tooManyAddresses(Int)
    /// Every address and both ends of the packet must be of one family.
    case addressFamilyMismatch
    /// VRRPv2 is defined for IPv4 only (RFC 3768 §1).
    case v2OverIPv6
    /// VRRPv3 has no authentication (RFC 5798 §9).
    case authenticationWithV3
    /// The simple password field is exactly 8 bytes (RFC 3768 §5.3.10).
    case passwordLength(Int)

    public var description: String {
        switch self {
        case .v2IntervalNotWholeSeconds(let cs): "VRRPv2 advert interval \(cs) cs is not whole seconds"
        case .intervalOutOfRange(let cs): "advert interval \(cs) cs is out of range"
        case .tooManyAddresses(let n): "\(n) addresses do not fit the one-byte count"
        case .addressFamilyMismatch: "addresses, source and destination are not all of one family"
        case .v2OverIPv6: "VRRPv2 cannot run over IPv6"
        case .authenticationWithV3: "VRRPv3 has no authentication"
        case .passwordLength(let n): "password field is \(n) bytes, not 8"
        }
    }
}
