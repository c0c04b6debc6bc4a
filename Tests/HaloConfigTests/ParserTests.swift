import HaloConfig
import Testing

@Suite struct StatementParserTests {
    private func parse(_ text: String) -> ([Statement], [String]) {
        var diagnostics = DiagnosticCollector()
        let lines = Lexer.lines(of: text, file: "f", diagnostics: &diagnostics)
        let statements = StatementParser.parse(lines, diagnostics: &diagnostics)
        return (statements, diagnostics.sorted.map(\.description))
    }

    @Test func braceOnTheSameLineOrTheNext() {
        let (statements, problems) = parse("a x {\n  b 1\n}\nc y\n{\n  d 2\n}\n")
        #expect(problems.isEmpty)
        #expect(statements.map(\.name) == ["a", "c"])
        #expect(statements[1].block?.map(\.words) == [["d", "2"]])
        #expect(statements[1].blockOpening == SourceLocation(file: "f", line: 5, column: 1))
    }

    @Test func severalStatementsAndBracesOnOneLine() {
        let (statements, problems) = parse("auth { auth_type PASS } vip { 192.0.2.1 }\n")
        #expect(problems.isEmpty)
        #expect(statements.map(\.name) == ["auth", "vip"])
        #expect(statements[0].block?.map(\.words) == [["auth_type", "PASS"]])
        #expect(statements[1].block?.map(\.words) == [["192.0.2.1"]])
    }

    @Test func emptyBlockIsABlock() {
        let (statements, _) = parse("group {}\n")
        #expect(statements[0].block == [])
    }

    @Test func unclosedBlockReportedOnceAtItsOpeningLine() {
        let (statements, problems) = parse("vrrp_instance A {\n  state BACKUP\n  track_script {\n    chk\n")
        #expect(problems == ["f:1:17: error: 'vrrp_instance' block is never closed (missing '}')"])
        #expect(statements.count == 1)
        #expect(statements[0].block?.count == 2)
    }

    @Test func missingBraceDoesNotSwallowTheNextSection() {
        let (statements, problems) = parse("vrrp_instance A {\n  virtual_ipaddress {\n    192.0.2.1\n}\nvrrp_instance B {\n  priority 1\n}\n")
        #expect(problems == ["f:1:17: error: 'vrrp_instance' block is never closed (missing '}')"])
        #expect(statements.map(\.words) == [["vrrp_instance", "A"], ["vrrp_instance", "B"]])
        #expect(statements[1].block?.map(\.words) == [["priority", "1"]])
    }

    @Test func sectionWithBraceOnNextLineAlsoRecovers() {
        let (statements, problems) = parse("global_defs {\n  router_id X\nvrrp_script s\n{\n  script x\n}\n")
        #expect(problems == ["f:1:13: error: 'global_defs' block is never closed (missing '}')"])
        #expect(statements.map(\.name) == ["global_defs", "vrrp_script"])
    }

    @Test func extraClosingBraceIsReportedWhereItIs() {
        let (statements, problems) = parse("a {\n}\n}\nb 1\n")
        #expect(problems == ["f:3:1: error: unexpected '}' with no open block"])
        #expect(statements.map(\.name) == ["a", "b"])
    }

    @Test func strayOpeningBraceIsReportedAndItsContentDropped() {
        let (statements, problems) = parse("a {\n}\n{\n  x 1\n}\nb 2\n")
        #expect(problems == ["f:3:1: error: '{' without a keyword before it"])
        #expect(statements.map(\.name) == ["a", "b"])
    }
}
