import HaloNet

extension Decoder {
    /// `virtual_ipaddress { IP[/LEN] [dev IF] [label L] [scope S] [brd B] [no_track] ... }`.
    mutating func decodeVirtualAddresses(_ statement: Statement) -> [VirtualAddress] {
        warnExtra(statement, after: 0)
        guard let block = block(statement) else { return [] }
        var addresses: [VirtualAddress] = []
        for item in block {
            rejectBlock(item)
            guard let prefix = IPPrefix(item.keyword.text) else {
                diagnostics.error(item.location, "'\(item.keyword.text)' is not an address: expected IP or IP/LEN (e.g. 192.0.2.10/24)")
                continue
            }
            var address = VirtualAddress(prefix: prefix, location: item.location)
            var rest = item.arguments[...]
            while let option = rest.popFirst() {
                switch option.text {
                case "no_track":
                    address.noTrack = true
                case "home", "-nodad", "nodad", "noprefixroute", "autojoin":
                    diagnostics.warning(option.location, "address option '\(option.text)' is not supported by Halo, ignored")
                case "dev", "label", "scope", "brd", "broadcast", "preferred_lft":
                    guard let value = rest.popFirst() else {
                        diagnostics.error(option.location, "'\(option.text)' needs a value")
                        break
                    }
                    switch option.text {
                    case "dev": address.device = value.text
                    case "label": address.label = value.text
                    case "scope": address.scope = value.text
                    case "preferred_lft":
                        diagnostics.warning(option.location, "address option 'preferred_lft' is not supported by Halo, ignored")
                    default:
                        guard prefix.family == .ipv4 else {
                            diagnostics.error(option.location, "'\(option.text)' applies to IPv4 addresses only")
                            break
                        }
                        if value.text == "+" || value.text == "-" {
                            diagnostics.warning(value.location, "'\(option.text) \(value.text)' is not supported by Halo, ignored")
                        } else if case .v4(let v4)? = IPAddress(value.text) {
                            address.broadcast = v4
                        } else {
                            diagnostics.error(value.location, "'\(option.text)' needs an IPv4 address, not '\(value.text)'")
                        }
                    }
                default:
                    diagnostics.warning(option.location, "unknown address option '\(option.text)', ignored"
                        + (EditDistance.suggestion(for: option.text, among: ["dev", "label", "scope", "brd", "no_track"]).map { "; did you mean '\($0)'?" } ?? ""))
                }
            }
            addresses.append(address)
        }
        return addresses
    }

    /// `virtual_routes { [src IP] [to] DEST [via GW] [dev IF] [scope S] [table T] [metric M] [no_track] }`,
    /// or `blackhole|unreachable|prohibit|throw DEST`.
    mutating func decodeVirtualRoutes(_ statement: Statement) -> [VirtualRoute] {
        warnExtra(statement, after: 0)
        guard let block = block(statement) else { return [] }
        var routes: [VirtualRoute] = []
        for item in block {
            rejectBlock(item)
            var words = [item.keyword] + item.arguments
            var type: String?
            if ["blackhole", "unreachable", "prohibit", "throw"].contains(words[0].text) {
                type = words.removeFirst().text
            }
            var destination: IPPrefix?
            var route = VirtualRoute(destination: IPPrefix(address: .v4(IPv4Address(0)), length: 0), location: item.location)
            route.type = type
            var rest = words[...]
            var valid = true
            while let word = rest.popFirst() {
                let valued = ["src", "to", "via", "gw", "dev", "oif", "scope", "table", "metric", "preference", "proto", "realms", "mtu", "advmss"]
                if word.text == "no_track" { route.noTrack = true; continue }
                if word.text == "onlink" { continue }
                if valued.contains(word.text) {
                    guard let value = rest.popFirst() else {
                        diagnostics.error(word.location, "'\(word.text)' needs a value")
                        valid = false
                        break
                    }
                    switch word.text {
                    case "to":
                        destination = routePrefix(value)
                        valid = valid && destination != nil
                    case "src":
                        route.source = address(value, for: "src")
                        valid = valid && route.source != nil
                    case "via", "gw":
                        route.gateway = address(value, for: word.text)
                        valid = valid && route.gateway != nil
                    case "dev", "oif": route.device = value.text
                    case "scope": route.scope = value.text
                    case "table": route.table = value.text
                    case "metric", "preference": route.metric = integer(value, 0...Int(UInt32.max), for: word.text)
                    default:
                        diagnostics.warning(word.location, "route option '\(word.text)' is not supported by Halo, ignored")
                    }
                } else if destination == nil {
                    destination = routePrefix(word)
                    valid = valid && destination != nil
                } else {
                    diagnostics.warning(word.location, "unexpected '\(word.text)' in virtual_routes entry; ignored")
                }
            }
            guard valid else { continue }
            guard let destination else {
                diagnostics.error(item.location, "virtual_routes entry has no destination")
                continue
            }
            route.destination = destination
            if let gateway = route.gateway, gateway.family != destination.family {
                diagnostics.error(item.location, "route to \(destination) (\(destination.family.rawValue)) cannot go via \(gateway) (\(gateway.family.rawValue))")
                continue
            }
            routes.append(route)
        }
        return routes
    }

    private mutating func routePrefix(_ token: Token) -> IPPrefix? {
        if token.text == "default" { return IPPrefix(address: .v4(IPv4Address(0)), length: 0) }
        guard let prefix = IPPrefix(token.text) else {
            diagnostics.error(token.location, "'\(token.text)' is not a route destination: expected IP, IP/LEN or default")
            return nil
        }
        return prefix
    }
}
