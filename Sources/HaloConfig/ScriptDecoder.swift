extension Decoder {
    /// `vrrp_script NAME { ... }`; nil (reported) when it has no name or no `script`.
    mutating func decodeScript(_ statement: Statement) -> VRRPScript? {
        guard let name = sectionName(statement) else { return nil }
        guard let block = block(statement) else { return nil }
        var command: ScriptCommand?
        var script = VRRPScript(name: name.text, command: ScriptCommand(arguments: [], location: name.location),
                                location: statement.location)
        for item in block {
            switch item.name {
            case "script":
                command = self.command(item)
            case "interval":
                if let time = seconds(item, Milliseconds(1)...Milliseconds.seconds(86400)) { script.interval = time }
            case "timeout":
                if let time = seconds(item, Milliseconds(1)...Milliseconds.seconds(86400)) { script.timeout = time }
            case "weight":
                if let (weight, reversed) = weight(item, range: -253...253) {
                    script.weight = weight
                    script.weightReversed = reversed
                }
            case "rise":
                if let count = integer(item, 1...1_000_000) { script.rise = count }
            case "fall":
                if let count = integer(item, 1...1_000_000) { script.fall = count }
            case "user":
                if let user = scriptUser(item) { script.user = user }
            case "init_fail":
                script.initiallyFailed = flag(item)
            default:
                unhandled(item, in: .vrrpScript)
            }
        }
        guard let command else {
            diagnostics.error(statement.location, "vrrp_script '\(name.text)' has no 'script' line; it is not used")
            return nil
        }
        script.command = command
        return script
    }

    /// `vrrp_track_file NAME { file PATH; weight W [reverse]; init_file [VALUE] [overwrite] }`.
    mutating func decodeTrackFile(_ statement: Statement) -> TrackFile? {
        guard let name = sectionName(statement) else { return nil }
        guard let block = block(statement) else { return nil }
        var path: String?
        var trackFile = TrackFile(name: name.text, path: "", location: statement.location)
        for item in block {
            switch item.name {
            case "file":
                if let token = value(item) { path = token.text }
            case "weight":
                if let (weight, reversed) = weight(item, range: -254...254) {
                    trackFile.weight = weight
                    trackFile.weightReversed = reversed
                }
            case "init_file":
                rejectBlock(item)
                trackFile.initialValue = 0
                if let first = item.arguments.first, first.text != "overwrite" {
                    trackFile.initialValue = integer(first, -254...254, for: "init_file") ?? 0
                }
            default:
                unhandled(item, in: .trackFile)
            }
        }
        guard let path else {
            diagnostics.error(statement.location, "vrrp_track_file '\(name.text)' has no 'file' line; it is not used")
            return nil
        }
        trackFile.path = path
        return trackFile
    }

    /// `weight W [reverse]`.
    mutating func weight(_ item: Statement, range: ClosedRange<Int>) -> (Int, Bool)? {
        rejectBlock(item)
        guard let first = item.arguments.first else {
            diagnostics.error(item.location, "'\(item.name)' needs a value")
            return nil
        }
        guard let weight = integer(first, range, for: item.name) else { return nil }
        var reversed = false
        if item.arguments.count > 1 {
            if item.arguments[1].text == "reverse" { reversed = true } else {
                diagnostics.warning(item.arguments[1].location, "unexpected '\(item.arguments[1].text)' after 'weight \(first.text)'; only 'reverse' may follow; ignored")
            }
        }
        warnExtra(item, after: 2)
        return (weight, reversed)
    }

    /// The NAME of `SECTION NAME { ... }`.
    mutating func sectionName(_ statement: Statement) -> Token? {
        guard let name = statement.arguments.first else {
            diagnostics.error(statement.location, "'\(statement.name)' needs a name")
            return nil
        }
        warnExtra(statement, after: 1)
        return name
    }
}
