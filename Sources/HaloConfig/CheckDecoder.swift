import HaloNet

/// What TCP_CHECK and HTTP_GET/SSL_GET share: they connect somewhere.
protocol ConnectingCheck {
    var timing: CheckTiming { get set }
    var connectPort: Int? { get set }
    var connectIP: IPAddress? { get set }
    var bindTo: IPAddress? { get set }
    /// Handles a keyword only this kind of check has; false when it is not one.
    mutating func decodeSpecific(_ item: Statement, decoder: inout Decoder) -> Bool
}

extension TCPCheck: ConnectingCheck {
    mutating func decodeSpecific(_ item: Statement, decoder: inout Decoder) -> Bool { false }
}

extension HTTPCheck: ConnectingCheck {
    mutating func decodeSpecific(_ item: Statement, decoder: inout Decoder) -> Bool {
        switch item.name {
        case "virtualhost":
            if let token = decoder.value(item) { virtualHost = token.text }
        case "url":
            guard let block = decoder.block(item) else { return true }
            var url = HTTPCheck.URL(location: item.location)
            for entry in block {
                switch entry.name {
                case "path": url.path = decoder.value(entry)?.text
                case "digest": url.digest = decoder.value(entry)?.text
                case "status_code": url.statusCode = decoder.integer(entry, 100...599)
                default: decoder.unhandled(entry, in: .url)
                }
            }
            if url.path == nil { decoder.diagnostics.error(item.location, "'url' needs a 'path'") } else { urls.append(url) }
        default:
            return false
        }
        return true
    }
}

extension Decoder {
    mutating func decodeCheck<Check: ConnectingCheck>(_ statement: Statement, section: KeywordCatalog.Section,
                                                      into initial: Check) -> Check? {
        warnExtra(statement, after: 0)
        guard let block = block(statement) else { return nil }
        var check = initial
        for item in block {
            if decodeTiming(item, into: &check.timing) { continue }
            switch item.name {
            case "connect_port":
                if let token = value(item) { check.connectPort = port(token, for: "connect_port") }
            case "connect_ip":
                check.connectIP = address(item)
            case "bindto":
                check.bindTo = address(item)
            default:
                if !check.decodeSpecific(item, decoder: &self) { unhandled(item, in: section) }
            }
        }
        return check
    }

    mutating func decodeMiscCheck(_ statement: Statement) -> MiscCheck? {
        warnExtra(statement, after: 0)
        guard let block = block(statement) else { return nil }
        var check = MiscCheck(location: statement.location)
        var timing = CheckTiming()
        for item in block {
            if decodeTiming(item, into: &timing) { continue }
            switch item.name {
            case "misc_path": check.command = command(item)
            case "misc_timeout": check.timeout = seconds(item, Milliseconds(1)...Milliseconds.seconds(86400))
            case "misc_dynamic": check.dynamicWeight = flag(item)
            case "user": check.user = scriptUser(item)
            default: unhandled(item, in: .miscCheck)
            }
        }
        guard check.command != nil else {
            diagnostics.error(statement.location, "MISC_CHECK needs 'misc_path'")
            return nil
        }
        return check
    }

    /// connect_timeout, retry (nb_get_retry), delay_before_retry, delay_loop.
    mutating func decodeTiming(_ item: Statement, into timing: inout CheckTiming) -> Bool {
        let day = Milliseconds.seconds(86400)
        switch item.name {
        case "connect_timeout": timing.connectTimeout = seconds(item, Milliseconds(1)...day)
        case "retry": timing.retries = integer(item, 0...1_000_000)
        case "nb_get_retry":
            // Still common in copied configs; keepalived 2.2.7 no longer knows it, Halo reads it as `retry`.
            diagnostics.warning(item.location, "'nb_get_retry' is the keepalived 1.x spelling of 'retry' (keepalived 2.2.7 reports it as unknown); read as 'retry'")
            timing.retries = integer(item, 0...1_000_000)
        case "delay_before_retry": timing.delayBeforeRetry = seconds(item, Milliseconds(0)...day)
        case "delay_loop": timing.delayLoop = seconds(item, Milliseconds(1)...day)
        default: return false
        }
        return true
    }
}
