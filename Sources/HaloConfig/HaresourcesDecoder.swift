/// `haresources FILE [{ follow NAME...; follow_group NAME...; resource_directory DIR; timings; policies }]`:
/// each line of a heartbeat haresources file becomes a resource group. The lines
/// follow the named instances (or sync groups) in order; without a block, the
/// configuration's only vrrp_sync_group, or else its only vrrp_instance.
extension Decoder {
    mutating func decodeHaresources(_ statement: Statement) -> [ResourceGroup] {
        guard let fileToken = statement.arguments.first else {
            diagnostics.error(statement.location, "'haresources' needs the path of a heartbeat haresources file")
            return []
        }
        warnExtra(statement, after: 1)
        let path = Path.resolve(fileToken.text, from: Path.directory(of: statement.location.file))
        guard let source = fileSource else { return [] }
        let text: String
        switch source.read(path: path) {
        case .success(let read): text = read
        case .failure(let error):
            diagnostics.error(fileToken.location, "cannot read haresources file \(path): \(error)")
            return []
        }
        var settings = ResourceGroup(name: "", location: statement.location)
        var follows: [ResourceGroup.Follow] = []
        var translator = HaresourcesTranslator(exists: { source.read(path: $0).isReadable })
        for item in statement.block ?? [] {
            // Errors about follow targets and vip_position then point at the config's line, not the haresources file.
            settings.keywordLocations[item.name] = item.location
            switch item.name {
            case "follow", "follow_group":
                rejectBlock(item)
                if item.arguments.isEmpty { diagnostics.error(item.location, "'\(item.name)' needs a name") }
                if !follows.isEmpty { diagnostics.error(item.location, "give the followed names in one 'follow' or 'follow_group' line, in the order of the file's lines") }
                follows = item.arguments.map { item.name == "follow" ? .instance($0.text) : .syncGroup($0.text) }
            case "resource_directory":
                if let directory = value(item) {
                    translator.resourceDirectory = Path.resolve(directory.text, from: Path.directory(of: statement.location.file))
                }
            default:
                if !decodeGroupSetting(item, into: &settings) { unhandled(item, in: .resourceGroup) }
            }
        }
        let lines = HaresourcesParser.parse(text, file: path, diagnostics: &diagnostics)
        if lines.isEmpty { diagnostics.warning(fileToken.location, "haresources file \(path) has no resource lines") }
        if !follows.isEmpty, follows.count != lines.count {
            diagnostics.error(statement.location, "haresources \(path) has \(lines.count) line(s) but \(follows.count) followed name(s); give one per line, in order")
            return []
        }
        return translator.translate(lines, diagnostics: &diagnostics).enumerated().map { index, translated in
            var group = settings
            group.name = translated.group.name
            group.location = translated.group.location
            group.resources = translated.group.resources
            group.follow = follows.isEmpty ? nil : follows[index]
            if group.follow == nil { unboundHaresourcesGroups[group.name] = statement.location }
            return group
        }
    }

    /// haresources groups given no follow target take the only sync group, or the only
    /// instance; when there is no single one, they are dropped with an error at the statement.
    mutating func bindUnboundHaresourcesGroups(_ configuration: inout Configuration) {
        guard !unboundHaresourcesGroups.isEmpty else { return }
        let target: ResourceGroup.Follow? = configuration.syncGroups.count == 1
            ? .syncGroup(configuration.syncGroups[0].name)
            : configuration.syncGroups.isEmpty && configuration.instances.count == 1 ? .instance(configuration.instances[0].name) : nil
        guard let target else {
            for location in Set(unboundHaresourcesGroups.values) {
                diagnostics.error(location, "haresources: cannot pick what its groups follow (the configuration has \(configuration.instances.count) vrrp_instance(s) and \(configuration.syncGroups.count) vrrp_sync_group(s)); add { follow VRRP_INSTANCE... }")
            }
            configuration.resourceGroups.removeAll { unboundHaresourcesGroups[$0.name] != nil && $0.follow == nil }
            return
        }
        for index in configuration.resourceGroups.indices
        where unboundHaresourcesGroups[configuration.resourceGroups[index].name] != nil && configuration.resourceGroups[index].follow == nil {
            configuration.resourceGroups[index].follow = target
        }
    }
}

extension Result where Success == String {
    var isReadable: Bool {
        if case .success = self { return true }
        return false
    }
}
