/// What an OCF agent's `meta-data` XML says about it: its parameters (required or
/// not, default) and the actions it implements. resource-agents' XML is plain
/// (elements, quoted attributes, comments, CDATA in descriptions), so a small
/// scanner that reads only start tags is enough; text content is skipped.
public struct OCFMetadata: Hashable, Sendable {
    public struct Parameter: Hashable, Sendable {
        public var name: String
        public var required: Bool
        public var defaultValue: String?
    }

    public var agentName: String
    public var parameters: [Parameter]
    public var actions: [String]

    public func parameter(named name: String) -> Parameter? { parameters.first { $0.name == name } }

    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Parses `<resource-agent name=...>` with `<parameters><parameter name= required=>` and `<actions><action name=>`.
    public static func parse(_ xml: String) throws(ParseError) -> OCFMetadata {
        var metadata = OCFMetadata(agentName: "", parameters: [], actions: [])
        var sawAgent = false
        var inParameters = false
        for tag in try XMLTags(xml) {
            switch (tag.name, tag.closing) {
            case ("resource-agent", false):
                sawAgent = true
                metadata.agentName = tag.attributes["name"] ?? ""
            case ("parameters", let closing):
                inParameters = !closing
            case ("parameter", false) where inParameters:
                guard let name = tag.attributes["name"], !name.isEmpty else { throw ParseError(description: "a <parameter> without a name") }
                let required = tag.attributes["required"].map { $0 == "1" || $0 == "true" } ?? false
                metadata.parameters.append(Parameter(name: name, required: required, defaultValue: nil))
            case ("content", false) where inParameters && !metadata.parameters.isEmpty:
                if let value = tag.attributes["default"] { metadata.parameters[metadata.parameters.count - 1].defaultValue = value }
            case ("action", false):
                if let name = tag.attributes["name"] { metadata.actions.append(name) }
            default:
                break
            }
        }
        guard sawAgent else { throw ParseError(description: "no <resource-agent> element") }
        return metadata
    }
}

/// The start and end tags of an XML text, in order; comments, CDATA, processing
/// instructions and the DOCTYPE are skipped. Entities in attribute values are decoded.
struct XMLTags: Sequence {
    struct Tag {
        var name: String
        var closing: Bool
        var attributes: [String: String]
    }

    private var tags: [Tag] = []

    init(_ text: String) throws(OCFMetadata.ParseError) {
        let chars = Array(text.unicodeScalars)
        var index = 0
        func starts(_ prefix: String, at position: Int) -> Bool {
            let p = Array(prefix.unicodeScalars)
            return position + p.count <= chars.count && Array(chars[position..<position + p.count]) == p
        }
        func skip(past terminator: String, from position: Int) throws(OCFMetadata.ParseError) -> Int {
            var at = position
            while at < chars.count {
                if starts(terminator, at: at) { return at + terminator.unicodeScalars.count }
                at += 1
            }
            throw OCFMetadata.ParseError(description: "unterminated markup (missing '\(terminator)')")
        }
        while index < chars.count {
            guard chars[index] == "<" else { index += 1; continue }
            if starts("<!--", at: index) { index = try skip(past: "-->", from: index + 4); continue }
            if starts("<![CDATA[", at: index) { index = try skip(past: "]]>", from: index + 9); continue }
            if starts("<?", at: index) || starts("<!", at: index) { index = try skip(past: ">", from: index + 2); continue }
            let end = try skip(past: ">", from: index + 1)
            tags.append(try Self.tag(String(String.UnicodeScalarView(chars[(index + 1)..<(end - 1)]))))
            index = end
        }
    }

    func makeIterator() -> IndexingIterator<[Tag]> { tags.makeIterator() }

    /// `name a="1" b='2'`, `/name`, or `name .../`.
    private static func tag(_ body: String) throws(OCFMetadata.ParseError) -> Tag {
        var text = Substring(body)
        let closing = text.hasPrefix("/")
        if closing { text = text.dropFirst() }
        if text.hasSuffix("/") { text = text.dropLast() }
        let name = String(text.prefix { !$0.isWhitespace })
        guard !name.isEmpty else { throw OCFMetadata.ParseError(description: "an empty tag") }
        var rest = text.dropFirst(name.count)
        var attributes: [String: String] = [:]
        while true {
            rest = rest.drop { $0.isWhitespace }
            guard !rest.isEmpty else { break }
            guard let equals = rest.firstIndex(of: "=") else { throw OCFMetadata.ParseError(description: "attribute without value in <\(name)>") }
            let key = rest[..<equals].trimmingSuffixWhitespace
            rest = rest[rest.index(after: equals)...].drop { $0.isWhitespace }
            guard let quote = rest.first, quote == "\"" || quote == "'" else {
                throw OCFMetadata.ParseError(description: "unquoted attribute '\(key)' in <\(name)>")
            }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote) else { throw OCFMetadata.ParseError(description: "unterminated attribute '\(key)' in <\(name)>") }
            attributes[String(key)] = decodeEntities(rest[..<close])
            rest = rest[rest.index(after: close)...]
        }
        return Tag(name: name, closing: closing, attributes: attributes)
    }

    private static func decodeEntities(_ value: Substring) -> String {
        guard value.contains("&") else { return String(value) }
        var out = String(value)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            out = out.replacing(entity, with: character)
        }
        return out
    }
}

extension Substring {
    var trimmingSuffixWhitespace: Substring {
        var result = self
        while let last = result.last, last.isWhitespace { result = result.dropLast() }
        return result
    }
}
