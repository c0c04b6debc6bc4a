import CoreMetrics
import HaloLinux
import HaloNet
import Logging

/// Serves `GET /metrics` on the engine's own loop: each readable event reads
/// what is there without blocking, a complete request is answered at once from
/// `render`, and the connection closes. A client that sends nothing, too much,
/// or garbage costs at most one small read per event and is dropped after
/// `idleTimeout`; adverts are never waiting behind it. Loop thread only.
final class MetricsServer {
    /// Connections held at once; more are closed on accept (a scraper needs one).
    static let connectionLimit = 16
    private let listener: TCPListener
    private let loop: EventLoop
    private let logger: Logger
    private let idleTimeoutNanoseconds: Int64
    private let render: () -> [UInt8]
    private var clients: [Int32: Client] = [:]

    private final class Client {
        let connection: TCPConnection
        var received: [UInt8] = []
        var timer: LoopTimer?
        init(_ connection: TCPConnection) { self.connection = connection }
    }

    init(listener: TCPListener, loop: EventLoop, logger: Logger, idleTimeoutNanoseconds: Int64 = 5_000_000_000,
         render: @escaping () -> [UInt8]) throws {
        self.listener = listener
        self.loop = loop
        self.logger = logger
        self.idleTimeoutNanoseconds = idleTimeoutNanoseconds
        self.render = render
        // Held strongly by the loop: the server lives as long as the engine's loop.
        do {
            try loop.watchReadable(listener.fileDescriptor) { self.acceptWaiting() }
        } catch {
            listener.close()
            throw error
        }
    }

    private func acceptWaiting() {
        // A bounded batch per event: a connect flood cannot hold the loop.
        for _ in 0..<Self.connectionLimit {
            let connection: TCPConnection?
            do { connection = try listener.accept() } catch {
                logger.warning("metrics endpoint: \(error)")
                return
            }
            guard let connection else { return }
            guard clients.count < Self.connectionLimit else {
                connection.close()
                continue
            }
            let client = Client(connection)
            let fd = connection.fileDescriptor
            do {
                try loop.watchReadable(fd) { [unowned self] in readFrom(fd) }
            } catch {
                connection.close()
                continue
            }
            clients[fd] = client
            client.timer = loop.schedule(at: MonotonicClock.nanoseconds() + idleTimeoutNanoseconds) { [unowned self] in
                clients[fd]?.timer = nil
                drop(fd)
            }
        }
    }

    private func readFrom(_ fd: Int32) {
        guard let client = clients[fd] else { return }
        switch client.connection.read(limit: MetricsHTTP.requestLimit) {
        case .wouldBlock:
            return
        case .endOfStream:
            drop(fd)
            return
        case .bytes(let bytes):
            client.received += bytes
        }
        switch MetricsHTTP.parse(client.received) {
        case .incomplete:
            return
        case .metrics(let headOnly):
            CoreMetrics.Counter(label: "halo_metrics_requests_total", dimensions: [("code", "200")]).increment()
            let reply = MetricsHTTP.response(status: 200, reason: "OK", contentType: MetricsHTTP.contentType,
                                             body: render(), headOnly: headOnly)
            if !client.connection.sendWithoutBlocking(reply) { logger.warning("metrics endpoint: a client's reply did not fit its socket; cut") }
        case .refused(let status, let reason):
            CoreMetrics.Counter(label: "halo_metrics_requests_total", dimensions: [("code", "\(status)")]).increment()
            _ = client.connection.sendWithoutBlocking(MetricsHTTP.refusal(status: status, reason: reason))
        }
        drop(fd)
    }

    private func drop(_ fd: Int32) {
        guard let client = clients.removeValue(forKey: fd) else { return }
        if let timer = client.timer { loop.cancel(timer) }
        loop.unwatch(fd)
        client.connection.close()
    }

    func stop() {
        for fd in Array(clients.keys) { drop(fd) }
        loop.unwatch(listener.fileDescriptor)
        listener.close()
    }
}
