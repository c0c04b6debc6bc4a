import CHaloLinux

/// The attributes that follow a family header (ifaddrmsg, ifinfomsg) in one
/// netlink message, copied out so they outlive the receive buffer.
struct NetlinkAttributes {
    private var values: [UInt16: [UInt8]] = [:]

    init(of header: UnsafePointer<nlmsghdr>, familyHeaderSize: Int) {
        let tail = UnsafeRawPointer(mnl_nlmsg_get_payload_tail(header))!
        var attribute = UnsafeRawPointer(mnl_nlmsg_get_payload_offset(header, familyHeaderSize))!
            .assumingMemoryBound(to: nlattr.self)
        // mnl_attr_for_each is a macro; this is its loop.
        while mnl_attr_ok(attribute, Int32(tail - UnsafeRawPointer(attribute))) {
            let type = mnl_attr_get_type(attribute)
            let length = Int(mnl_attr_get_payload_len(attribute))
            let payload = UnsafeRawBufferPointer(start: mnl_attr_get_payload(attribute), count: length)
            values[type] = Array(payload)
            attribute = UnsafePointer(mnl_attr_next(attribute))
        }
    }

    subscript(type: Int) -> [UInt8]? { values[UInt16(type)] }

    func string(_ type: Int) -> String? {
        guard let bytes = self[type] else { return nil }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    func uint32(_ type: Int) -> UInt32? {
        guard let bytes = self[type], bytes.count >= 4 else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
    }
}

extension UnsafePointer where Pointee == nlmsghdr {
    /// The family header (ifaddrmsg, ifinfomsg, …) right after the netlink header.
    func familyHeader<T>(as type: T.Type) -> T {
        UnsafeRawPointer(mnl_nlmsg_get_payload(self)).loadUnaligned(as: T.self)
    }
}
