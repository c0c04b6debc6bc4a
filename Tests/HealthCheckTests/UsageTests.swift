import Foundation
import Testing

/// Every script documents itself and rejects what it does not understand,
/// quietly on stdout and with one line on stderr.
struct UsageTests {
    static let scripts = ["check_mfsmaster", "check_mogilefsd", "check_nfs", "check_haproxy", "check_mysql"]

    @Test(arguments: scripts)
    func helpExitsZeroWithUsageOnStdout(_ script: String) throws {
        let result = try check(script, ["--help"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasPrefix("Usage: \(script)"), "\(result)")
        #expect(result.stdout.contains("Exit status"), "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
    }

    @Test(arguments: scripts)
    func unknownOptionIsAUsageError(_ script: String) throws {
        let result = try check(script, ["--no-such-option"])
        #expect(result.status == 2, "\(result)")
        #expect(result.isOneLine && result.reason.contains("unknown option"), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }

    @Test(arguments: scripts)
    func isExecutableBashWithSetU(_ script: String) throws {
        let path = "\(scriptsDirectory)/\(script)"
        #expect(FileManager.default.isExecutableFile(atPath: path))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("#!/usr/bin/env bash\n"))
        #expect(text.contains("\nset -u\n"))
        let syntax = try runCommand(["bash", "-n", path])
        #expect(syntax.status == 0, "\(syntax)")
    }
}
