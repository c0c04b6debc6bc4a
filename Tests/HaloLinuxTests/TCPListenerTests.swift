import Foundation
import Glibc
import HaloLab
import HaloLinux
import HaloNet
import Testing

/// The metrics endpoint's TCP listener across a real bridge: accepts without
/// blocking, reads what the client sent, and hands a large reply to the kernel
/// at once even when the client never reads.
@Suite(.enabled(if: LabRequirement.canRun, "needs root for network namespaces"))
struct TCPListenerTests {
    /// Waits (bounded) until the listener has a connection to accept.
    private func acceptWithin(_ listener: TCPListener, seconds: Double = 5) throws -> TCPConnection? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let connection = try listener.accept() { return connection }
            usleep(2_000)
        }
        return nil
    }

    private func readWithin(_ connection: TCPConnection, seconds: Double = 5) -> UnixStreamConnection.ReadResult {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let result = connection.read(limit: 4096)
            if result != .wouldBlock { return result }
            usleep(2_000)
        }
        return .wouldBlock
    }

    @Test(arguments: [("192.0.2.11/24", "192.0.2.12/24"), ("2001:db8::11/64", "2001:db8::12/64")])
    func acceptsReadsAndReplies(serverAddress: String, clientAddress: String) throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let server = try lab.addHost("s", addresses: [serverAddress])
        let client = try lab.addHost("c", addresses: [clientAddress])
        let address = try #require(IPAddress(String(serverAddress.prefix { $0 != "/" })))
        let listener = try server.perform { try TCPListener(address: address, port: 0) }
        defer { listener.close() }
        #expect(listener.port > 0, "the kernel's port is reported")
        #expect(try listener.accept() == nil, "nothing pending: accept returns at once")

        let fd = try TCPExchange.connect(in: client, to: address, port: listener.port)
        defer { close(fd) }
        let connection = try #require(try acceptWithin(listener))
        _ = "ping".withCString { send(fd, $0, 4, 0) }
        #expect(readWithin(connection) == .bytes(Array("ping".utf8)))
        #expect(connection.sendWithoutBlocking(Array("pong".utf8)))
        connection.close()
        #expect(try TCPExchange.readUntilClosed(fd, timeoutSeconds: 5) == Array("pong".utf8))
    }

    @Test func largeReplyToAClientThatNeverReadsDoesNotBlock() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let server = try lab.addHost("s", addresses: ["192.0.2.11/24"])
        let client = try lab.addHost("c", addresses: ["192.0.2.12/24"])
        let listener = try server.perform { try TCPListener(address: IPAddress("192.0.2.11")!, port: 0) }
        defer { listener.close() }
        let fd = try TCPExchange.connect(in: client, to: IPAddress("192.0.2.11")!, port: listener.port)
        defer { close(fd) }
        let connection = try #require(try acceptWithin(listener))
        let reply = [UInt8](repeating: UInt8(ascii: "x"), count: 512 * 1024)
        let started = Date()
        #expect(connection.sendWithoutBlocking(reply), "the grown send buffer takes the whole reply")
        // Bounded only to catch a blocking send (which would never return); no speed claim.
        #expect(Date().timeIntervalSince(started) < 30)
        connection.close()
        #expect(try TCPExchange.readUntilClosed(fd, timeoutSeconds: 10).count == reply.count, "the client still gets all of it")
    }

    @Test func bindingAnAddressTheHostDoesNotHaveFailsNamingIt() throws {
        let lab = try Lab()
        defer { lab.tearDown() }
        let server = try lab.addHost("s", addresses: ["192.0.2.11/24"])
        #expect {
            _ = try server.perform { try TCPListener(address: IPAddress("192.0.2.99")!, port: 9650) }
        } throws: { error in
            "\(error)".contains("192.0.2.99:9650")
        }
    }
}
