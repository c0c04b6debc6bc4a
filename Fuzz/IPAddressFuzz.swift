// modules: HaloNet
import HaloNet

/// Any text either fails to parse or parses to an address whose canonical
/// printing parses back to the same address.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIPAddress(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let prefix = IPPrefix(text) {
        precondition(IPPrefix(prefix.description) == prefix, "prefix round trip: \(text)")
    }
    if let address = IPAddress(text) {
        precondition(IPAddress(address.description) == address, "address round trip: \(text)")
        if case .v6(let v6) = address { precondition(IPv6Address(bytes: v6.bytes) == v6) }
    }
    return 0
}
