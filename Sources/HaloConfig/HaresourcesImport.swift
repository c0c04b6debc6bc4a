/// `halod --import-haresources FILE`: a heartbeat haresources file written out as
/// Halo `resource_group` sections, with comments saying what the user must add.
public enum HaresourcesImport {
    public struct Output: Sendable {
        /// The configuration text (empty when there were errors).
        public var text: String
        public var diagnostics: [Diagnostic]
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// `follows`: the vrrp_instance each line follows, in order (fewer than the lines: the rest are left to the user).
    public static func render(path: String, source: any ConfigFileSource, follows: [String],
                              resourceDirectory: String = ResourceAgentKind.heartbeatResourceDirectory) -> Output {
        var diagnostics = DiagnosticCollector()
        let text: String
        switch source.read(path: path) {
        case .success(let read): text = read
        case .failure(let error):
            diagnostics.error(SourceLocation(file: path, line: 0, column: 0), "cannot read haresources file: \(error)")
            return Output(text: "", diagnostics: diagnostics.sorted)
        }
        let lines = HaresourcesParser.parse(text, file: path, diagnostics: &diagnostics)
        let translator = HaresourcesTranslator(resourceDirectory: resourceDirectory, exists: { source.read(path: $0).isReadable })
        let groups = translator.translate(lines, diagnostics: &diagnostics)
        if lines.isEmpty { diagnostics.error(SourceLocation(file: path, line: 1, column: 1), "no resource lines in this haresources file") }
        if follows.count > lines.count {
            diagnostics.error(SourceLocation(file: path, line: 1, column: 1), "\(follows.count) --follow names for \(lines.count) haresources line(s)")
        }
        guard !diagnostics.hasErrors else { return Output(text: "", diagnostics: diagnostics.sorted) }
        var out = header(path: path)
        for (index, translated) in groups.enumerated() {
            out += "\n" + section(translated, follow: index < follows.count ? follows[index] : nil)
        }
        return Output(text: out, diagnostics: diagnostics.sorted)
    }

    static func header(path: String) -> String {
        """
        # Imported from heartbeat's \(path) by halod --import-haresources.
        # Each haresources line is one resource_group: its resources start left to right on the
        # MASTER of the vrrp_instance it follows, and stop right to left when it leaves MASTER.
        # heartbeat's node name is the group's preferred node (auto_failback). Halo has no
        # node names in groups: the preferred node is the one with the higher 'priority' in the
        # followed vrrp_instance; keep preemption (the default) for auto_failback on, or set
        # 'nopreempt' there for auto_failback off.

        """
    }

    static func section(_ translated: HaresourcesTranslator.Group, follow: String?) -> String {
        let group = translated.group, line = translated.line
        var out = "# \(line.location.file) line \(line.location.line): \(line.text)\n"
        out += "# preferred node: \(line.node) (give it the higher priority in the followed vrrp_instance)\n"
        out += "resource_group \(group.name) {\n"
        if let follow {
            out += "    follow \(follow)\n"
        } else {
            out += "    # REQUIRED: uncomment and name the vrrp_instance whose MASTER runs this group\n"
            out += "    # (or rerun with --follow NAME); the instance's own virtual_ipaddress comes up first.\n"
            out += "    # follow VRRP_INSTANCE\n"
        }
        for resource in group.resources {
            out += "    resource \(quoted(resource.name)) {\n"
            out += "        agent \(quoted(resource.agent?.description ?? "exec"))\n"
            for parameter in resource.parameters {
                out += "        \(parameter.name) \(quoted(parameter.value))\n"
            }
            out += "    }\n"
        }
        return out + "}\n"
    }

    /// A value as one token of the configuration language.
    static func quoted(_ value: String) -> String {
        let special: Set<Character> = ["#", "!", "{", "}", "\""]
        guard value.isEmpty || value.contains(where: { $0.isWhitespace || special.contains($0) }) else { return value }
        return "\"" + value.filter { $0 != "\"" } + "\""
    }
}
