/// Reads a configuration file and splices in every `include PATTERN` line,
/// recursively, producing one stream of lines whose tokens still point at the
/// file and line they came from.
public struct IncludeExpander {
    /// keepalived has no limit; this one only stops runaway recursion that a
    /// cycle check cannot see (e.g. ever-longer relative paths).
    public static let maximumDepth = 32

    let source: any ConfigFileSource

    public init(source: any ConfigFileSource) { self.source = source }

    /// Lines of `path` with includes expanded, or nil when `path` itself cannot be
    /// read (the caller reports that: it is the one failure that means "cannot run").
    public func expand(path: String, diagnostics: inout DiagnosticCollector) -> Result<[SourceLine], FileSourceError> {
        switch source.read(path: path) {
        case .failure(let error):
            return .failure(error)
        case .success(let text):
            var output: [SourceLine] = []
            append(text: text, file: path, chain: [Path.normalize(path)], into: &output, diagnostics: &diagnostics)
            return .success(output)
        }
    }

    private func append(text: String, file: String, chain: [String], into output: inout [SourceLine],
                        diagnostics: inout DiagnosticCollector) {
        for line in Lexer.lines(of: text, file: file, diagnostics: &diagnostics) {
            guard let first = line.tokens.first, first.kind == .word, first.text == "include" else {
                output.append(line)
                continue
            }
            include(line: line, from: file, chain: chain, into: &output, diagnostics: &diagnostics)
        }
    }

    private func include(line: SourceLine, from file: String, chain: [String], into output: inout [SourceLine],
                         diagnostics: inout DiagnosticCollector) {
        let keyword = line.tokens[0]
        let arguments = line.tokens.dropFirst()
        guard let patternToken = arguments.first, !patternToken.isBrace else {
            diagnostics.error(keyword.location, "'include' needs a file name or glob pattern")
            return
        }
        if arguments.count > 1 {
            diagnostics.warning(arguments[arguments.startIndex + 1].location,
                                "'include' takes one pattern; the rest of the line is ignored")
        }
        let pattern = Path.resolve(patternToken.text, from: Path.directory(of: file))
        let paths = source.expand(pattern: pattern)
        if paths.isEmpty {
            // keepalived treats a plain include that matches nothing as fine; say so, since a
            // typo here silently drops part of the configuration.
            diagnostics.warning(patternToken.location, "include '\(patternToken.text)' matched no file (as in keepalived, not an error)")
            return
        }
        for path in paths {
            let normalized = Path.normalize(path)
            if let start = chain.firstIndex(of: normalized) {
                let cycle = (chain[start...] + [normalized]).joined(separator: " -> ")
                diagnostics.error(patternToken.location, "include cycle: \(cycle); not included again")
                continue
            }
            guard chain.count < Self.maximumDepth else {
                diagnostics.error(patternToken.location, "includes nested more than \(Self.maximumDepth) deep; '\(path)' not included")
                continue
            }
            switch source.read(path: path) {
            case .failure(let error):
                diagnostics.error(patternToken.location, "cannot read included file '\(path)': \(error.reason)")
            case .success(let text):
                append(text: text, file: path, chain: chain + [normalized], into: &output, diagnostics: &diagnostics)
            }
        }
    }
}
