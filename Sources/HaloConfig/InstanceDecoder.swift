import HaloNet

extension Decoder {
    /// `vrrp_instance NAME { ... }`. Cross-cutting checks (version, VRID clashes,
    /// references) happen in validation, once everything is read.
    mutating func decodeInstance(_ statement: Statement) -> VRRPInstance? {
        guard let name = sectionName(statement) else { return nil }
        guard let block = block(statement) else { return nil }
        var instance = VRRPInstance(name: name.text, location: statement.location)
        for item in block {
            instance.keywordLocations[item.name] = instance.keywordLocations[item.name] ?? item.location
            switch item.name {
            case "state":
                guard let token = value(item) else { break }
                switch token.text.uppercased() {
                case "MASTER": instance.initialState = .master
                case "BACKUP": instance.initialState = .backup
                default: diagnostics.error(token.location, "'state' must be MASTER or BACKUP, not '\(token.text)'")
                }
            case "interface":
                if let token = value(item) { instance.interface = token.text }
            case "virtual_router_id":
                if let vrid = integer(item, 1...255) { instance.virtualRouterID = vrid }
            case "priority":
                if let priority = integer(item, 1...255) { instance.priority = priority }
            case "advert_int":
                // Range and granularity depend on the version, known only after validation.
                if let time = seconds(item, Milliseconds(1)...Milliseconds.seconds(255)) { instance.advertInterval = time }
            case "version":
                if let number = integer(item, 2...3) { instance.configuredVersion = VRRPVersion(rawValue: number) }
            case "nopreempt":
                instance.preempt = !flag(item)
            case "preempt":
                instance.preempt = flag(item)
            case "preempt_delay":
                if let time = seconds(item, Milliseconds(0)...Milliseconds.seconds(1000)) { instance.preemptDelay = time }
            case "authentication":
                if let authentication = decodeAuthentication(item) { instance.authentication = authentication }
            case "virtual_ipaddress":
                instance.virtualAddresses += decodeVirtualAddresses(item)
            case "virtual_ipaddress_excluded":
                instance.excludedVirtualAddresses += decodeVirtualAddresses(item)
            case "virtual_routes":
                instance.virtualRoutes += decodeVirtualRoutes(item)
            case "unicast_src_ip":
                if let address = address(item) { instance.unicastSource = address }
            case "unicast_peer":
                instance.unicastPeers += decodeUnicastPeers(item)
            case "mcast_src_ip":
                if let address = address(item) { instance.multicastSource = address }
            case "track_interface":
                instance.trackedInterfaces += decodeTrackedInterfaces(item)
            case "track_script":
                instance.trackedScripts += decodeTrackedReferences(item)
            case "track_file":
                instance.trackedFiles += decodeTrackedReferences(item)
            case "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop":
                decodeNotify(item, into: &instance.notify)
            case "garp_master_delay", "garp_master_repeat", "garp_master_refresh", "garp_master_refresh_repeat",
                 "garp_lower_prio_delay", "garp_lower_prio_repeat":
                decodeGratuitousARP(item, keyword: item.name, into: &instance.gratuitousARP)
            case "accept":
                instance.acceptMode = flag(item)
            case "no_accept":
                instance.acceptMode = !flag(item)
            case "strict_mode":
                instance.strictMode = flag(item)
            case "use_vmac":
                rejectBlock(item)
                warnExtra(item, after: 1)
                instance.virtualMAC = VirtualMAC(interfaceName: item.arguments.first?.text)
            case "dont_track_primary":
                instance.dontTrackPrimary = flag(item)
            case "down_timer_adverts":
                if let count = integer(item, 1...100) { instance.downTimerAdverts = count }
            default:
                unhandled(item, in: .vrrpInstance)
            }
        }
        return instance
    }

    /// `notify*` lines shared by instances and sync groups.
    mutating func decodeNotify(_ item: Statement, into notify: inout NotifyCommands) {
        guard let command = command(item) else { return }
        switch item.name {
        case "notify_master": notify.master = command
        case "notify_backup": notify.backup = command
        case "notify_fault": notify.fault = command
        case "notify_stop": notify.stop = command
        default: notify.generic = command
        }
    }

    mutating func decodeAuthentication(_ statement: Statement) -> Authentication? {
        warnExtra(statement, after: 0)
        guard let block = block(statement) else { return nil }
        var typeToken: Token?
        var password: Token?
        for item in block {
            switch item.name {
            case "auth_type": typeToken = value(item)
            case "auth_pass": password = value(item)
            default: unhandled(item, in: .authentication)
            }
        }
        guard let typeToken else {
            diagnostics.error(statement.location, "'authentication' needs 'auth_type PASS'")
            return nil
        }
        switch typeToken.text.uppercased() {
        case "PASS":
            guard let password else {
                diagnostics.error(statement.location, "'authentication' with auth_type PASS needs 'auth_pass'")
                return nil
            }
            let bytes = Array(password.text.utf8)
            if bytes.count > 8 {
                // keepalived logs "Truncating auth_pass to 8 characters" and sends the first 8 bytes.
                let kept = String(decoding: bytes.prefix(8), as: UTF8.self)
                diagnostics.error(password.location, "'auth_pass' is \(bytes.count) bytes; VRRP carries at most 8 (keepalived silently truncates it to '\(kept)')")
                return Authentication(kind: .password, password: kept, location: statement.location)
            }
            return Authentication(kind: .password, password: password.text, location: statement.location)
        case "AH":
            diagnostics.error(typeToken.location, "auth_type AH (IPsec AH, withdrawn from RFC 3768) is not supported by Halo; authentication ignored")
            ignored.append(IgnoredPart(what: "auth_type AH", reason: "not supported by Halo", location: typeToken.location))
            return nil
        default:
            diagnostics.error(typeToken.location, "'auth_type' must be PASS or AH, not '\(typeToken.text)'")
            return nil
        }
    }

    /// `unicast_peer { IP [min_ttl N] [max_ttl N] ... }`.
    mutating func decodeUnicastPeers(_ statement: Statement) -> [UnicastPeer] {
        warnExtra(statement, after: 0)
        guard let block = block(statement) else { return [] }
        var peers: [UnicastPeer] = []
        for item in block {
            rejectBlock(item)
            if let address = address(item.keyword, for: "unicast_peer") {
                peers.append(UnicastPeer(address: address, location: item.location))
            }
            var rest = item.arguments[...]
            while let option = rest.popFirst() {
                guard option.text == "min_ttl" || option.text == "max_ttl" else {
                    diagnostics.warning(option.location, "unexpected '\(option.text)' in unicast_peer entry; ignored")
                    continue
                }
                if let value = rest.popFirst() { _ = integer(value, 0...255, for: option.text) } else {
                    diagnostics.error(option.location, "'\(option.text)' needs a value")
                }
            }
        }
        return peers
    }

    /// `track_interface { IF [weight W [reverse]] }`.
    mutating func decodeTrackedInterfaces(_ statement: Statement) -> [TrackedInterface] {
        decodeTrackedReferences(statement, weightRange: -254...254).map {
            var tracked = TrackedInterface(name: $0.name, weight: $0.weightOverride ?? 0, location: $0.location)
            tracked.weightReversed = $0.weightReversed
            return tracked
        }
    }

    /// `track_script { NAME [weight W [reverse]] }` and the same shape for `track_file`.
    mutating func decodeTrackedReferences(_ statement: Statement, weightRange: ClosedRange<Int> = -253...253) -> [TrackedReference] {
        warnExtra(statement, after: 0)
        guard let block = block(statement) else { return [] }
        var references: [TrackedReference] = []
        for item in block {
            rejectBlock(item)
            var reference = TrackedReference(name: item.name, location: item.location)
            if let option = item.arguments.first {
                if option.text == "weight" {
                    let weightStatement = Statement(keyword: option, arguments: Array(item.arguments.dropFirst()))
                    if let (weight, reversed) = weight(weightStatement, range: weightRange) {
                        reference.weightOverride = weight
                        reference.weightReversed = reversed
                    }
                } else {
                    diagnostics.warning(option.location, "unexpected '\(option.text)' after '\(item.name)' in \(statement.name); only 'weight W' may follow; ignored")
                }
            }
            references.append(reference)
        }
        return references
    }
}
