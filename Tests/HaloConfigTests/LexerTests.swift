import HaloConfig
import Testing

@Suite struct LexerTests {
    private func lex(_ text: String) -> ([SourceLine], [Diagnostic]) {
        var diagnostics = DiagnosticCollector()
        let lines = Lexer.lines(of: text, file: "f", diagnostics: &diagnostics)
        return (lines, diagnostics.sorted)
    }

    private func words(_ text: String) -> [[String]] { lex(text).0.map { $0.tokens.map(\.text) } }

    @Test func bangAndHashCommentsWholeLineAndTrailing() {
        #expect(words("! a comment\n# another\nrouter_id A ! trailing\npriority 90#x\n") == [["router_id", "A"], ["priority", "90"]])
    }

    @Test func chineseCommentMidLineKeepsColumns() {
        let (lines, _) = lex("    router_id 中文 # 路由标识\n")
        #expect(lines[0].tokens.map(\.text) == ["router_id", "中文"])
        #expect(lines[0].tokens[1].location == SourceLocation(file: "f", line: 1, column: 15))
    }

    @Test func quotedStringsKeepSpacesBracesAndHashes() {
        let (lines, diagnostics) = lex(#"script "/bin/check -x {a} #1""#)
        #expect(diagnostics.isEmpty)
        #expect(lines[0].tokens[1].kind == .quoted)
        #expect(lines[0].tokens[1].text == "/bin/check -x {a} #1")
        #expect(lines[0].tokens[1].location.column == 8)
    }

    @Test func bracesAreTokensEvenWhenAttached() {
        #expect(words("virtual_ipaddress {192.0.2.1}") == [["virtual_ipaddress", "{", "192.0.2.1", "}"]])
    }

    @Test func crlfLinesAndBlankLines() {
        let (lines, _) = lex("a 1\r\n\r\nb 2\r\n")
        #expect(lines.map { $0.tokens.map(\.text) } == [["a", "1"], ["b", "2"]])
        #expect(lines[1].tokens[0].location.line == 3)
    }

    @Test func unterminatedQuoteIsReportedAtItsStart() {
        let (lines, diagnostics) = lex("x 1\nscript \"/bin/true\n")
        #expect(diagnostics.map(\.description) == [#"f:2:8: error: unterminated quoted string: missing closing '"'"#])
        #expect(lines[1].tokens.last?.text == "/bin/true")
    }
}

@Suite struct ScriptCommandSplittingTests {
    private func split(_ text: String, quoted: Bool = true) -> [String] {
        ScriptCommand.split([Token(quoted ? .quoted : .word, text, SourceLocation(file: "f", line: 1, column: 1))])
    }

    @Test func splitsOneQuotedStringOnSpaces() {
        #expect(split("/etc/keepalived/arping.sh  192.0.2.10") == ["/etc/keepalived/arping.sh", "192.0.2.10"])
    }

    @Test func honoursInnerQuotesAndEscapes() {
        #expect(split(#"/bin/n.sh 'two words' "and more" a\ b"#) == ["/bin/n.sh", "two words", "and more", "a b"])
        #expect(split("/bin/x ''") == ["/bin/x", ""])
    }

    @Test func severalTokensAreOneArgumentEach() {
        let location = SourceLocation(file: "f", line: 1, column: 1)
        let tokens = [Token(.word, "/bin/n.sh", location), Token(.quoted, "a b", location)]
        #expect(ScriptCommand.split(tokens) == ["/bin/n.sh", "a b"])
    }
}

@Suite struct MillisecondsTests {
    @Test(arguments: [("1", 1000), ("1.5", 1500), ("0.01", 10), (".5", 500), ("40.95", 40950), ("2.", -1), ("1.0001", -1), ("-1", -1), ("", -1), ("1e3", -1)])
    func parsesDecimalSecondsExactly(text: String, expected: Int) {
        #expect(Milliseconds(decimalSeconds: text)?.value ?? -1 == expected)
    }

    @Test func printsAsDecimalSeconds() {
        #expect(Milliseconds(1500).description == "1.5s")
        #expect(Milliseconds(10).description == "0.01s")
        #expect(Milliseconds.seconds(3).description == "3s")
        #expect(Milliseconds(40950).centiseconds == 4095)
    }
}
