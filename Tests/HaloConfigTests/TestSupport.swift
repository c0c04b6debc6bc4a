import Foundation
import HaloConfig

/// Loads `text` as the file `t.conf` (plus any extra in-memory files for includes).
func load(_ text: String, files: [String: String] = [:]) -> LoadResult {
    var all = files
    all["t.conf"] = text
    return ConfigurationLoader.load(path: "t.conf", source: InMemoryFileSource(all))
}

/// Diagnostics as `file:line:col: severity: message` lines.
func diagnostics(_ result: LoadResult) -> [String] { result.diagnostics.map(\.description) }

/// The configuration, which tests of valid input expect to exist.
func config(_ text: String) -> Configuration {
    load(text).configuration ?? Configuration()
}

/// A minimal valid instance with `body` spliced in, for keyword tests.
func instanceConfig(_ body: String, name: String = "VI_1", vrid: Int = 51, interface: String = "eth0") -> String {
    """
    vrrp_instance \(name) {
        interface \(interface)
        virtual_router_id \(vrid)
        virtual_ipaddress {
            192.0.2.10/24
        }
    \(body)
    }

    """
}

func firstInstance(_ text: String) -> VRRPInstance? { load(text).configuration?.instances.first }

enum Repository {
    /// The package root, found from this source file's path.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var exampleConfigs: [URL] {
        let directory = root.appendingPathComponent("conf.d")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".conf") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func fixture(_ name: String) -> String {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
            ?? root.appendingPathComponent("Tests/HaloConfigTests/Fixtures/\(name)")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}
