import CHaloLinux
import Glibc

/// An AF_PACKET socket that sends whole Ethernet frames out of one interface:
/// gratuitous ARPs and unsolicited neighbour advertisements, whose source
/// addresses (the VIP) the IP stack would not let us forge.
public final class FrameSocket: @unchecked Sendable {
    public let fileDescriptor: Int32
    public let interface: Interface

    public init(interface: Interface) throws {
        // Protocol 0: send only; this socket never receives.
        fileDescriptor = try check("socket(AF_PACKET)", socket(AF_PACKET, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue), 0))
        self.interface = interface
    }

    deinit { close(fileDescriptor) }

    public func send(frame: [UInt8]) throws {
        try check("send frame on \(interface.name)", halo_send_frame(fileDescriptor, frame, frame.count, interface.index))
    }
}
