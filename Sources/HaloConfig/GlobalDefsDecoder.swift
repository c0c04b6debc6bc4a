import HaloNet

extension Decoder {
    mutating func decodeGlobalDefinitions(_ statement: Statement, into globals: inout GlobalDefinitions) {
        warnExtra(statement, after: 0)
        guard let block = block(statement) else { return }
        globals.location = globals.location ?? statement.location
        for item in block {
            switch item.name {
            case "router_id":
                if let token = value(item) { globals.routerID = token.text }
            case "script_user":
                if let user = scriptUser(item) { globals.scriptUser = user }
            case "enable_script_security":
                globals.enableScriptSecurity = flag(item)
            case "vrrp_version":
                if let number = integer(item, 2...3) { globals.defaultVRRPVersion = VRRPVersion(rawValue: number)! }
            case "vrrp_strict":
                globals.vrrpStrict = flag(item)
            case "vrrp_mcast_group4":
                if let address = address(item) {
                    if case .v4(let v4) = address, v4.isMulticast { globals.multicastGroup4 = v4 } else {
                        diagnostics.error(item.arguments[0].location, "'vrrp_mcast_group4' needs an IPv4 multicast address, not '\(address)'")
                    }
                }
            case "vrrp_mcast_group6":
                if let address = address(item) {
                    if case .v6(let v6) = address, v6.isMulticast { globals.multicastGroup6 = v6 } else {
                        diagnostics.error(item.arguments[0].location, "'vrrp_mcast_group6' needs an IPv6 multicast address, not '\(address)'")
                    }
                }
            case "vrrp_garp_master_delay", "vrrp_garp_master_repeat", "vrrp_garp_master_refresh",
                 "vrrp_garp_master_refresh_repeat", "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat":
                decodeGratuitousARP(item, keyword: String(item.name.dropFirst("vrrp_".count)), into: &globals.gratuitousARP)
            case "vrrp_startup_delay":
                if let time = seconds(item, Milliseconds(0)...Milliseconds.seconds(3600)) { globals.startupDelay = time }
            case "vrrp_check_unicast_src":
                globals.checkUnicastSource = flag(item)
            case "notify_fifo", "vrrp_notify_fifo":
                rejectBlock(item)
                guard let path = item.arguments.first else {
                    diagnostics.error(item.location, "'\(item.name)' needs a FIFO path")
                    break
                }
                warnExtra(item, after: 3)
                let owner = item.arguments.count > 1
                    ? ScriptUser(user: item.arguments[1].text, group: item.arguments.count > 2 ? item.arguments[2].text : nil)
                    : nil
                globals.notifyFIFO = NotifyFIFO(path: path.text, owner: owner, location: path.location)
            case "notify_fifo_script", "vrrp_notify_fifo_script":
                if let command = command(item) { globals.notifyFIFOScript = command }
            case "notify_timeout":
                if let time = seconds(item, Milliseconds(10)...Milliseconds.seconds(86400)) { globals.notifyTimeout = time }
            case "max_auto_priority":
                // With no value keepalived uses the highest real-time priority it allows itself.
                if item.arguments.isEmpty { rejectBlock(item); globals.maxAutoPriority = 99 }
                else if let number = integer(item, 1...99) { globals.maxAutoPriority = number }
            case "vrrp_rt_priority":
                if let number = integer(item, 1...99) { globals.realtimePriority = number }
            case "control_socket_group":
                if let token = value(item) { globals.controlSocketGroup = token.text }
            case "vrrp_no_swap":
                globals.lockMemory = flag(item)
            case "state_dump_directory":
                if let token = value(item) {
                    if token.text.hasPrefix("/") { globals.stateDumpDirectory = token.text } else {
                        diagnostics.error(token.location, "'state_dump_directory' needs an absolute path, not '\(token.text)'")
                    }
                }
            case "metrics_listen":
                if let token = value(item) { globals.metricsListen = metricsListenAddress(token) }
            default:
                unhandled(item, in: .globalDefs)
            }
        }
    }

    /// The six `garp_*` settings, shared by `global_defs` (`vrrp_garp_*`) and instances.
    mutating func decodeGratuitousARP(_ item: Statement, keyword: String, into settings: inout GratuitousARPSettings) {
        let longest = Milliseconds.seconds(86400)
        switch keyword {
        case "garp_master_delay":
            if let time = seconds(item, Milliseconds(0)...longest) { settings.masterDelay = time }
        case "garp_master_repeat":
            if let count = integer(item, 1...255) { settings.masterRepeat = count }
        case "garp_master_refresh":
            if let time = seconds(item, Milliseconds(0)...longest) { settings.masterRefresh = time }
        case "garp_master_refresh_repeat":
            if let count = integer(item, 1...255) { settings.masterRefreshRepeat = count }
        case "garp_lower_prio_delay":
            if let time = seconds(item, Milliseconds(0)...longest) { settings.lowerPriorityDelay = time }
        case "garp_lower_prio_repeat":
            if let count = integer(item, 0...255) { settings.lowerPriorityRepeat = count }
        default:
            preconditionFailure("not a garp keyword: \(keyword)")
        }
    }
}
