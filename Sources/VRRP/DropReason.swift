/// Why a received packet was not handed to the state machine. Every case is a
/// counter the daemon exposes under `name`, which must never change once shipped.
/// Decoding throws these; receive validation returns them.
public enum DropReason: String, CaseIterable, Hashable, Sendable, Error, CustomStringConvertible {
    // The IPv4 header, when the socket delivers it (RFC 791).
    /// IP version not 4, header length below 20 bytes, or total length shorter than the header.
    case ipHeaderInvalid = "ip_header_invalid"
    /// The IPv4 header checksum does not verify.
    case ipHeaderBadChecksum = "ip_header_bad_checksum"
    /// A fragment: the kernel reassembles before a raw socket sees the packet, so
    /// one arriving here cannot be read as a whole advert.
    case ipFragment = "ip_fragment"
    /// IP protocol other than 112 (an AH-authenticated advert arrives as protocol 51).
    case wrongProtocol = "wrong_protocol"

    // The VRRP message itself (RFC 5798 §7.1, RFC 3768 §7.1).
    /// Shorter than its header or than its address count says.
    case truncated = "truncated"
    /// Longer than its address count says, or the IP length disagrees with the buffer.
    case lengthMismatch = "length_mismatch"
    /// Version not 2 or 3, or not the version the instance runs.
    case wrongVersion = "wrong_version"
    /// Type other than 1, ADVERTISEMENT (RFC 9568 §7.1).
    case wrongType = "wrong_type"
    /// VRRPv2 over IPv6, mixed source and destination families, or the other
    /// family than the instance's.
    case addressFamilyMismatch = "address_family_mismatch"
    /// The VRRP checksum does not verify under the configured checksum mode.
    case badChecksum = "bad_checksum"
    /// v2 authentication type 2 (IP Authentication Header, removed by RFC 3768)
    /// or an unassigned type.
    case authTypeUnsupported = "auth_type_unsupported"
    /// Advert interval of zero: a MUST-drop for v3 (RFC 9568 §7.1); for v2 it can
    /// never match a configured interval (1–255 s), so it is caught here already.
    case zeroAdvertInterval = "zero_advert_interval"

    // Checks against the receiving instance.
    /// TTL or hop limit not 255 on a multicast advert (RFC 5798 §7.1); unicast
    /// adverts may be routed, so keepalived skips the check there.
    case ttlNot255 = "ttl_not_255"
    /// No instance on this interface and family runs this VRID.
    case unknownVRID = "unknown_vrid"
    /// The advert's source is one of our own addresses: our packet looped back.
    case ownPacket = "own_packet"
    /// We own the addresses (priority 255) and are set to ignore adverts
    /// (RFC 5798 §7.1; keepalived's `owner_ignore_adverts`).
    case addressOwner = "address_owner"
    /// Unicast mode with source checking on, and the source is not a configured peer.
    case sourceNotUnicastPeer = "source_not_unicast_peer"
    /// v2 authentication type differs from the configured one (RFC 3768 §7.1).
    case authTypeMismatch = "auth_type_mismatch"
    /// v2 simple password differs (RFC 3768 §7.1, all 8 bytes compared).
    case passwordMismatch = "password_mismatch"
    /// v2 advert interval differs from the configured one (RFC 3768 §7.1).
    case advertIntervalMismatch = "advert_interval_mismatch"

    /// The stable metric name.
    public var name: String { rawValue }
    public var description: String { rawValue }
}
