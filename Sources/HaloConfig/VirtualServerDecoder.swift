import HaloNet

extension Decoder {
    static let schedulers: Set<String> = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos"]

    /// `virtual_server IP PORT { ... }`. `fwmark N` and `group NAME` forms are
    /// recognized and ignored, as Halo runs no IPVS at all.
    mutating func decodeVirtualServer(_ statement: Statement) -> VirtualServer? {
        guard let first = statement.arguments.first else {
            diagnostics.error(statement.location, "'virtual_server' needs an address and port")
            return nil
        }
        if first.text == "fwmark" || first.text == "group" {
            diagnostics.warning(statement.location, "'virtual_server \(first.text)' is not supported by Halo, ignored")
            ignored.append(IgnoredPart(what: "virtual_server \(first.text)", reason: KeywordCatalog.notSupported, location: statement.location))
            return nil
        }
        guard let serverAddress = address(first, for: "virtual_server") else { return nil }
        guard statement.arguments.count >= 2 else {
            diagnostics.error(first.location, "'virtual_server \(first.text)' needs a port after the address")
            return nil
        }
        guard let port = port(statement.arguments[1], for: "virtual_server") else { return nil }
        warnExtra(statement, after: 2)
        guard let block = block(statement) else { return nil }
        var server = VirtualServer(address: serverAddress, port: port, location: statement.location)
        for item in block {
            switch item.name {
            case "delay_loop":
                if let time = seconds(item, Milliseconds(1)...Milliseconds.seconds(86400)) { server.delayLoop = time }
            case "lb_algo", "lvs_sched":
                guard let token = value(item) else { break }
                if Self.schedulers.contains(token.text) { server.scheduler = token.text } else {
                    diagnostics.error(token.location, "unknown IPVS scheduler '\(token.text)' (expected one of \(Self.schedulers.sorted().joined(separator: ", ")))")
                }
            case "lb_kind", "lvs_method":
                guard let token = value(item) else { break }
                if let method = VirtualServer.ForwardingMethod(rawValue: token.text.uppercased()) { server.forwardingMethod = method } else {
                    diagnostics.error(token.location, "'\(item.name)' must be NAT, DR or TUN, not '\(token.text)'")
                }
            case "persistence_timeout":
                if let time = seconds(item, Milliseconds.seconds(1)...Milliseconds.seconds(2_678_400)) { server.persistenceTimeout = time }
            case "nat_mask":
                // Old keepalived 1.x syntax; 2.2.7 rejects it as unknown, so it is ignored with a note.
                let reason = "obsolete (keepalived 1.x; keepalived 2.2.7 reports it as unknown), ignored"
                diagnostics.warning(item.location, "'nat_mask' is \(reason)")
                ignored.append(IgnoredPart(what: "nat_mask", reason: reason, location: item.location))
            case "persistence_granularity":
                guard let netmask = address(item) else { break }
                if case .v4(let mask) = netmask { server.persistenceNetmask = mask } else {
                    diagnostics.error(item.arguments[0].location, "'\(item.name)' needs an IPv4 netmask, not '\(netmask)'")
                }
            case "protocol":
                guard let token = value(item) else { break }
                if let transport = VirtualServer.TransportProtocol(rawValue: token.text.uppercased()) { server.transportProtocol = transport } else {
                    diagnostics.error(token.location, "'protocol' must be TCP, UDP or SCTP, not '\(token.text)'")
                }
            case "real_server":
                if let real = decodeRealServer(item, of: server) { server.realServers.append(real) }
            default:
                unhandled(item, in: .virtualServer)
            }
        }
        return server
    }

    mutating func decodeRealServer(_ statement: Statement, of server: VirtualServer) -> RealServer? {
        guard let first = statement.arguments.first else {
            diagnostics.error(statement.location, "'real_server' needs an address and port")
            return nil
        }
        guard let realAddress = address(first, for: "real_server") else { return nil }
        var port = server.port
        if statement.arguments.count >= 2 {
            guard let given = self.port(statement.arguments[1], for: "real_server") else { return nil }
            port = given
        }
        warnExtra(statement, after: 2)
        if realAddress.family != server.address.family {
            diagnostics.error(first.location, "real_server \(realAddress) is \(realAddress.family.rawValue) but virtual_server \(server.address) is \(server.address.family.rawValue)")
            return nil
        }
        var real = RealServer(address: realAddress, port: port, location: statement.location)
        for item in block(statement) ?? [] {
            switch item.name {
            case "weight":
                if let weight = integer(item, 0...65535) { real.weight = weight }
            case "inhibit_on_failure":
                real.inhibitOnFailure = flag(item)
            case "notify_up":
                real.notifyUp = command(item)
            case "notify_down":
                real.notifyDown = command(item)
            case "TCP_CHECK":
                if let timing = decodeCheck(item, section: .tcpCheck, into: TCPCheck(location: item.location)) { real.checks.append(.tcp(timing)) }
            case "HTTP_GET", "SSL_GET":
                if let check = decodeCheck(item, section: .httpCheck, into: HTTPCheck(tls: item.name == "SSL_GET", location: item.location)) {
                    real.checks.append(.http(check))
                }
            case "MISC_CHECK":
                if let check = decodeMiscCheck(item) { real.checks.append(.misc(check)) }
            default:
                unhandled(item, in: .realServer)
            }
        }
        return real
    }
}
