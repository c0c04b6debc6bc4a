import HaloConfig
import Testing

@Suite struct IncludeTests {
    private let script = "vrrp_script chk {\n    script /bin/true\n}\n"

    @Test func globRelativeToTheIncludingFile() {
        let files = [
            "/etc/halo/halo.conf": "include conf.d/*.conf\n",
            "/etc/halo/conf.d/b.conf": instanceConfig("", name: "VI_B", vrid: 2),
            "/etc/halo/conf.d/a.conf": instanceConfig("", name: "VI_A", vrid: 1),
            "/etc/halo/conf.d/notes.txt": "garbage\n",
        ]
        let result = ConfigurationLoader.load(path: "/etc/halo/halo.conf", source: InMemoryFileSource(files))
        #expect(result.diagnostics.isEmpty)
        #expect(result.configuration?.instances.map(\.name) == ["VI_A", "VI_B"])
        #expect(result.configuration?.instances[0].location == SourceLocation(file: "/etc/halo/conf.d/a.conf", line: 1, column: 1))
    }

    @Test func nestedIncludesAndIncludesInsideBlocks() {
        let files = [
            "main.conf": "include sub/level1.conf\n" + instanceConfig("    track_script {\n        include tracks.inc\n    }"),
            "sub/level1.conf": "include level2.conf\n",
            "sub/level2.conf": script,
            "tracks.inc": "chk weight 5\n",
        ]
        let result = ConfigurationLoader.load(path: "main.conf", source: InMemoryFileSource(files))
        #expect(diagnostics(result) == [])
        #expect(result.configuration?.scripts.first?.location.file == "sub/level2.conf")
        #expect(result.configuration?.instances.first?.trackedScripts.first?.weightOverride == 5)
        #expect(result.configuration?.instances.first?.trackedScripts.first?.location == SourceLocation(file: "tracks.inc", line: 1, column: 1))
    }

    @Test func cycleIsReportedOnceAtTheIncludeThatClosesIt() {
        let files = [
            "a.conf": "include b.conf\n" + script,
            "b.conf": "\ninclude ./a.conf\n",
        ]
        let result = ConfigurationLoader.load(path: "a.conf", source: InMemoryFileSource(files))
        #expect(diagnostics(result) == ["b.conf:2:9: error: include cycle: a.conf -> b.conf -> a.conf; not included again"])
        #expect(result.configuration?.scripts.count == 1)
    }

    @Test func selfIncludeIsACycle() {
        let result = load("include t.conf\n")
        #expect(diagnostics(result) == ["t.conf:1:9: error: include cycle: t.conf -> t.conf; not included again"])
    }

    @Test func missingIncludeIsAWarningAsInKeepalived() {
        let result = load("include nothere/*.conf\n" + script)
        #expect(diagnostics(result) == ["t.conf:1:9: warning: include 'nothere/*.conf' matched no file (as in keepalived, not an error)"])
    }

    @Test func includeWithoutPatternAndWithExtraWords() {
        #expect(diagnostics(load("include\n")) == ["t.conf:1:1: error: 'include' needs a file name or glob pattern"])
        #expect(diagnostics(load("include x.conf y.conf\n", files: ["x.conf": ""])) == ["t.conf:1:16: warning: 'include' takes one pattern; the rest of the line is ignored"])
    }

    @Test func unreadableMainFileMeansNoConfiguration() {
        let result = ConfigurationLoader.load(path: "/nope.conf", source: InMemoryFileSource([:]))
        #expect(result.configuration == nil)
        #expect(result.readFailure?.reason == "No such file or directory")
        #expect(ConfigTestStatus(result) == .cannotRun)
    }

    @Test(arguments: [
        ("*.conf", "a.conf", true), ("*.conf", "a.txt", false), ("d/*.conf", "d/x.conf", true),
        ("*", "d/x.conf", false), ("a?.conf", "ab.conf", true), ("[ab].conf", "b.conf", true),
        ("[!ab].conf", "b.conf", false), ("[a-c]x", "bx", true), ("*a*b*c", "xxaxxbxxc", true), ("[x", "[x", true),
    ])
    func globMatching(pattern: String, path: String, matches: Bool) {
        #expect(GlobPattern.matches(pattern: pattern, path: path) == matches)
    }

    @Test func pathArithmetic() {
        #expect(Path.directory(of: "/etc/halo/halo.conf") == "/etc/halo")
        #expect(Path.directory(of: "halo.conf") == ".")
        #expect(Path.resolve("x/*.conf", from: "/etc/halo") == "/etc/halo/x/*.conf")
        #expect(Path.resolve("/abs.conf", from: "/etc/halo") == "/abs.conf")
        #expect(Path.normalize("/etc/./halo/../halo/a.conf") == "/etc/halo/a.conf")
    }

    @Test func systemFileSourceReadsAndGlobs() throws {
        let source = SystemFileSource()
        let examples = source.expand(pattern: Repository.root.path + "/conf.d/*.conf")
        #expect(examples.count >= 3)
        guard case .success(let text) = source.read(path: examples[0]) else { Issue.record("cannot read \(examples[0])"); return }
        #expect(text.contains("vrrp_instance"))
        guard case .failure(let error) = source.read(path: "/nonexistent/halo.conf") else { Issue.record("read a missing file"); return }
        #expect(error.reason == "No such file or directory")
        guard case .failure(let directoryError) = source.read(path: "/etc") else { Issue.record("read a directory"); return }
        #expect(directoryError.reason == "Is a directory")
    }
}
