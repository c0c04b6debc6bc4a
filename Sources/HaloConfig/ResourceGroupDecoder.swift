extension Decoder {
    /// `resource_group NAME { follow ...; resource NAME { ... }; timings; policies }`.
    mutating func decodeResourceGroup(_ statement: Statement) -> ResourceGroup? {
        guard let name = sectionName(statement) else { return nil }
        guard let block = block(statement) else { return nil }
        var group = ResourceGroup(name: name.text, location: statement.location)
        for item in block {
            group.keywordLocations[item.name] = item.location
            switch item.name {
            case "follow":
                if let target = value(item) { group.follow = .instance(target.text) }
            case "follow_group":
                if let target = value(item) { group.follow = .syncGroup(target.text) }
            case "resource":
                if let resource = decodeResource(item) { group.resources.append(resource) }
            default:
                if !decodeGroupSetting(item, into: &group) { unhandled(item, in: .resourceGroup) }
            }
        }
        return group
    }

    /// Timings and policies, shared with `haresources FILE { ... }`; false when `item` is none of them.
    mutating func decodeGroupSetting(_ item: Statement, into group: inout ResourceGroup) -> Bool {
        switch item.name {
        case "monitor_interval":
            if let time = seconds(item, Milliseconds(100)...Milliseconds.seconds(86400)) { group.monitorInterval = time }
        case "monitor_timeout":
            if let time = seconds(item, Milliseconds(100)...Milliseconds.seconds(86400)) { group.monitorTimeout = time }
        case "start_timeout":
            if let time = seconds(item, Milliseconds(100)...Milliseconds.seconds(86400)) { group.startTimeout = time }
        case "stop_timeout":
            if let time = seconds(item, Milliseconds(100)...Milliseconds.seconds(86400)) { group.stopTimeout = time }
        case "failure_timeout":
            if let time = seconds(item, Milliseconds(0)...Milliseconds.seconds(31_536_000)) { group.failureTimeout = time }
        case "migration_threshold":
            if let count = integer(item, 1...1_000_000) { group.migrationThreshold = count }
        case "stop_retries":
            if let count = integer(item, 0...100) { group.stopRetries = count }
        case "on_stop_failure":
            if let policy = decodeStopFailurePolicy(item) { group.onStopFailure = policy }
        case "vip_position":
            if let position = decodeVIPPosition(item) { group.vipPosition = position }
        default:
            return false
        }
        return true
    }

    private mutating func decodeResource(_ statement: Statement) -> Resource? {
        guard let name = sectionName(statement) else { return nil }
        guard let block = block(statement) else { return nil }
        var resource = Resource(name: name.text, location: statement.location)
        for item in block {
            switch item.name {
            case "agent":
                guard let token = value(item) else { break }
                guard let kind = ResourceAgentKind(token.text) else {
                    diagnostics.error(token.location, "'agent' needs ocf:PROVIDER:TYPE, lsb:SCRIPT, heartbeat:SCRIPT, systemd:UNIT, builtin:NAME or exec, not '\(token.text)'")
                    break
                }
                resource.agent = kind
            case "start":
                resource.start = command(item)
            case "stop":
                resource.stop = command(item)
            case "monitor":
                resource.monitor = command(item)
            default:
                // Anything else is an agent parameter (OCF_RESKEY_NAME=VALUE).
                rejectBlock(item)
                guard item.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    diagnostics.error(item.location, "resource parameter '\(item.name)' must be letters, digits and '_' (it becomes an environment variable)")
                    break
                }
                guard !item.arguments.isEmpty else {
                    diagnostics.error(item.location, "resource parameter '\(item.name)' needs a value")
                    break
                }
                resource.parameters.append(ResourceParameter(name: item.name, value: item.arguments.map(\.text).joined(separator: " ")))
            }
        }
        return resource
    }

    private mutating func decodeStopFailurePolicy(_ statement: Statement) -> ResourceGroup.StopFailurePolicy? {
        rejectBlock(statement)
        guard let word = statement.arguments.first else {
            diagnostics.error(statement.location, "'on_stop_failure' needs block or fence COMMAND")
            return nil
        }
        switch word.text {
        case "block":
            warnExtra(statement, after: 1)
            return .block
        case "fence":
            let rest = Array(statement.arguments.dropFirst())
            let arguments = ScriptCommand.split(rest)
            guard let first = rest.first, !arguments.isEmpty, !arguments[0].isEmpty else {
                diagnostics.error(word.location, "'on_stop_failure fence' needs the fencing command")
                return nil
            }
            return .fence(ScriptCommand(arguments: arguments, location: first.location))
        default:
            diagnostics.error(word.location, "'on_stop_failure' takes block or fence COMMAND, not '\(word.text)'")
            return nil
        }
    }

    private mutating func decodeVIPPosition(_ statement: Statement) -> ResourceGroup.VIPPosition? {
        rejectBlock(statement)
        guard let word = statement.arguments.first else {
            diagnostics.error(statement.location, "'vip_position' needs first, last or after RESOURCE")
            return nil
        }
        switch word.text {
        case "first", "last":
            warnExtra(statement, after: 1)
            return word.text == "first" ? .first : .last
        case "after":
            guard statement.arguments.count >= 2 else {
                diagnostics.error(word.location, "'vip_position after' needs a resource name")
                return nil
            }
            warnExtra(statement, after: 2)
            return .after(statement.arguments[1].text)
        default:
            diagnostics.error(word.location, "'vip_position' takes first, last or after RESOURCE, not '\(word.text)'")
            return nil
        }
    }
}
