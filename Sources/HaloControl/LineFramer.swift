/// Splits a byte stream into newline-terminated request lines, refusing any
/// line longer than the limit without buffering more than the limit.
public struct LineFramer: Sendable {
    public enum Piece: Equatable, Sendable {
        case line([UInt8])
        case oversize
    }

    public let limit: Int
    private var pending: [UInt8] = []

    public init(limit: Int = ControlProtocol.maximumRequestBytes) { self.limit = limit }

    /// Complete lines in `bytes` (plus what was pending); `.oversize` ends the stream.
    public mutating func append(_ bytes: [UInt8]) -> [Piece] {
        var pieces: [Piece] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
                pieces.append(.line(pending))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
                if pending.count > limit {
                    pieces.append(.oversize)
                    pending.removeAll()
                    return pieces
                }
            }
        }
        return pieces
    }
}
