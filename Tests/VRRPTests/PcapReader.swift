import Foundation

/// Reads the classic libpcap format (not pcapng) the captures in Vectors/ use:
/// a 24-byte global header, then records of a 16-byte header and the frame.
struct PcapFile {
    struct Record {
        var seconds: UInt32
        var microseconds: UInt32
        var frame: [UInt8]
    }

    enum Failure: Error { case badMagic(UInt32), truncated(at: Int), unsupportedLinkType(UInt32) }

    static let ethernetLinkType: UInt32 = 1

    var records: [Record]

    init(bytes: [UInt8]) throws {
        guard bytes.count >= 24 else { throw Failure.truncated(at: 0) }
        func word(_ offset: Int, bigEndian: Bool) -> UInt32 {
            let b = bytes[offset..<offset + 4].map(UInt32.init)
            return bigEndian ? b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]
        }
        let bigEndian: Bool
        switch word(0, bigEndian: false) {
        case 0xA1B2_C3D4: bigEndian = false
        case 0xD4C3_B2A1: bigEndian = true
        case let magic: throw Failure.badMagic(magic)
        }
        let linkType = word(20, bigEndian: bigEndian)
        guard linkType == Self.ethernetLinkType else { throw Failure.unsupportedLinkType(linkType) }

        records = []
        var offset = 24
        while offset < bytes.count {
            guard offset + 16 <= bytes.count else { throw Failure.truncated(at: offset) }
            let included = Int(word(offset + 8, bigEndian: bigEndian))
            guard offset + 16 + included <= bytes.count else { throw Failure.truncated(at: offset) }
            records.append(Record(
                seconds: word(offset, bigEndian: bigEndian), microseconds: word(offset + 4, bigEndian: bigEndian),
                frame: Array(bytes[(offset + 16)..<(offset + 16 + included)])))
            offset += 16 + included
        }
    }

    /// A capture from Tests/VRRPTests/Vectors by file name without extension.
    static func vector(_ name: String) throws -> PcapFile {
        guard let url = Bundle.module.url(forResource: name, withExtension: "pcap", subdirectory: "Vectors") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Vectors/\(name).pcap"])
        }
        return try PcapFile(bytes: Array(try Data(contentsOf: url)))
    }

    static let vectorNames = [
        "vrrp-v2-auth-pass", "vrrp-v2-noauth", "vrrp-v3-adv1", "vrrp-v3-adv0.1", "vrrp-v3-ipv6",
    ]
}

/// Hex helpers for readable expectations.
extension Array<UInt8> {
    init(hex: String) {
        let digits = hex.filter(\.isHexDigit)
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }

    var hex: String { map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
}
