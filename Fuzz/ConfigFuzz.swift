// modules: HaloNet HaloConfig
import HaloConfig

/// Any bytes load as a configuration without crashing, and every diagnostic
/// points at a line that exists in one of the in-memory files. The input is
/// split at the first NUL byte: before it is `main.conf`, after it `inc/a.conf`,
/// and main.conf's own text also serves as `inc/b.conf`, so include lines in
/// the input reach real files, globs and cycles.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfiguration(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let main = String(decoding: bytes[..<split], as: UTF8.self)
    let included = split < bytes.endIndex ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : "include ../main.conf\n"
    let files = ["main.conf": main, "inc/a.conf": included, "inc/b.conf": main]
    let result = ConfigurationLoader.load(path: "main.conf", source: InMemoryFileSource(files))
    for diagnostic in result.diagnostics {
        guard let text = files[diagnostic.location.file] else {
            preconditionFailure("diagnostic in a file that does not exist: \(diagnostic)")
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
        precondition(diagnostic.location.line >= 1 && diagnostic.location.line <= lines, "line out of range: \(diagnostic)")
        precondition(diagnostic.location.column >= 1, "column out of range: \(diagnostic)")
        precondition(!diagnostic.message.isEmpty && !diagnostic.message.contains("\n"), "bad message: \(diagnostic)")
    }
    if let configuration = result.configuration {
        for instance in configuration.instances {
            precondition((1...255).contains(instance.virtualRouterID ?? 0), "instance without a valid VRID survived")
            precondition((1...255).contains(instance.priority), "priority out of range survived")
        }
        _ = ConfigTestReport(path: "main.conf", result: result, kernelHasIPVS: false).render()
    }
    return 0
}
