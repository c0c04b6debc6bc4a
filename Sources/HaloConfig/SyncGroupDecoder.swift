extension Decoder {
    /// `vrrp_sync_group NAME { group { VI_1 VI_2 } notify*; track_* }`.
    mutating func decodeSyncGroup(_ statement: Statement) -> SyncGroup? {
        guard let name = sectionName(statement) else { return nil }
        guard let block = block(statement) else { return nil }
        var group = SyncGroup(name: name.text, location: statement.location)
        var memberLocations: [String: SourceLocation] = [:]
        for item in block {
            switch item.name {
            case "group":
                warnExtra(item, after: 0)
                guard let members = self.block(item) else { break }
                // Members may be one per line or several on a line.
                for member in members {
                    rejectBlock(member)
                    for token in [member.keyword] + member.arguments {
                        if let first = memberLocations[token.text] {
                            diagnostics.warning(token.location, "'\(token.text)' is listed twice in sync group '\(name.text)' (first at line \(first.line)); counted once")
                            continue
                        }
                        memberLocations[token.text] = token.location
                        group.members.append(token.text)
                    }
                }
            case "notify", "notify_master", "notify_backup", "notify_fault", "notify_stop":
                decodeNotify(item, into: &group.notify)
            case "track_interface":
                group.trackedInterfaces += decodeTrackedInterfaces(item)
            case "track_script":
                group.trackedScripts += decodeTrackedReferences(item)
            case "track_file":
                group.trackedFiles += decodeTrackedReferences(item)
            default:
                unhandled(item, in: .syncGroup)
            }
        }
        group.memberLocations = memberLocations
        return group
    }
}
