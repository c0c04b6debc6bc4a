import Glibc
import HaloControl
import HaloLinux

/// The control socket on the engine's loop: accepts, reads whatever is
/// available, answers each request line with one reply line. Nothing here
/// blocks: a client that sends garbage, too much, or does not read its
/// replies is disconnected.
final class ControlServer {
    private let listener: UnixStreamListener
    private let loop: EventLoop
    private let allowedGroup: gid_t?
    private let answer: (ControlRequest) -> ControlReply
    private let log: (String) -> Void
    private var clients: [Int32: Client] = [:]
    private var nextSerial = 0
    /// Only root or the socket's group can connect; this bounds what even they can hold open.
    static let maximumClients = 32

    private final class Client {
        let connection: UnixStreamConnection
        var framer = LineFramer()
        let serial: Int
        init(connection: UnixStreamConnection, serial: Int) {
            self.connection = connection
            self.serial = serial
        }
    }

    init(path: String, group: gid_t?, loop: EventLoop, log: @escaping (String) -> Void,
         answer: @escaping (ControlRequest) -> ControlReply) throws {
        listener = try UnixStreamListener(path: path, mode: group == nil ? 0o600 : 0o660, group: group)
        self.loop = loop
        self.allowedGroup = group
        self.answer = answer
        self.log = log
        try loop.watchReadable(listener.fileDescriptor) { [unowned self] in acceptWaiting() }
    }

    private func acceptWaiting() {
        while true {
            let connection: UnixStreamConnection
            do {
                guard let accepted = try listener.accept() else { return }
                connection = accepted
            } catch {
                log("control socket: \(error)")
                return
            }
            guard let refusal = refusal(of: connection) else {
                admit(connection)
                continue
            }
            _ = connection.writeAll(ControlReply.failure(refusal).encodedLine)
            connection.close()
        }
    }

    /// Why this peer may not talk to us, or nil. Defence in depth: the socket's
    /// mode already keeps others out, unless someone loosened it.
    private func refusal(of connection: UnixStreamConnection) -> String? {
        guard let peer = try? connection.peerCredentials() else { return "cannot read peer credentials" }
        if peer.uid == 0 { return nil }
        if let allowedGroup, peer.isMember(of: allowedGroup) { return nil }
        log("control socket: refused uid \(peer.uid) (pid \(peer.pid)): not root\(allowedGroup == nil ? "" : " nor in the socket's group")")
        return "permission denied: uid \(peer.uid) is not root\(allowedGroup == nil ? "" : " nor a member of the control socket's group")"
    }

    private func admit(_ connection: UnixStreamConnection) {
        if clients.count >= Self.maximumClients, let oldest = clients.values.min(by: { $0.serial < $1.serial }) {
            drop(oldest)
        }
        nextSerial += 1
        let client = Client(connection: connection, serial: nextSerial)
        do {
            try loop.watchReadable(connection.fileDescriptor) { [unowned self, unowned client] in read(client) }
            clients[connection.fileDescriptor] = client
        } catch {
            log("control socket: \(error)")
        }
    }

    /// At most 64 KiB per wake-up: a fast writer cannot starve the adverts (the
    /// loop is level-triggered and comes back for the rest).
    private func read(_ client: Client) {
        for _ in 0..<16 {
            switch client.connection.read(limit: 4096) {
            case .wouldBlock: return
            case .endOfStream:
                drop(client)
                return
            case .bytes(let bytes):
                for piece in client.framer.append(bytes) {
                    guard respond(to: piece, client) else {
                        drop(client)
                        return
                    }
                }
            }
        }
    }

    /// False when the connection must close.
    private func respond(to piece: LineFramer.Piece, _ client: Client) -> Bool {
        let reply: ControlReply
        var keepOpen = true
        switch piece {
        case .oversize:
            reply = .failure(ControlRequestError.oversize.message)
            keepOpen = false
        case .line(let line):
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return true }
            switch ControlRequest.parse(line) {
            case .success(let request): reply = answer(request)
            case .failure(let error):
                reply = .failure(error.message)
                keepOpen = !error.closesConnection
            }
        }
        return client.connection.writeAll(reply.encodedLine) && keepOpen
    }

    private func drop(_ client: Client) {
        loop.unwatch(client.connection.fileDescriptor)
        clients[client.connection.fileDescriptor] = nil
        client.connection.close()
    }

    func stop() {
        for client in Array(clients.values) { drop(client) }
        loop.unwatch(listener.fileDescriptor)
        listener.close()
    }
}
