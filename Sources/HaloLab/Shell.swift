import Foundation

/// Runs lab commands (`ip`, `tc`, daemons) and reports failures with their output.
public enum Shell {
    public struct Failure: Error, CustomStringConvertible {
        public var command: [String]
        public var status: Int32
        public var output: String
        public var description: String {
            "`\(command.joined(separator: " "))` exited \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
    }

    /// Runs a command to completion; throws on a non-zero exit. Returns stdout+stderr.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(command: arguments, status: process.terminationStatus, output: output)
        }
        return output
    }

    @discardableResult
    public static func run(_ arguments: String...) throws -> String { try run(arguments) }

    /// Like `run` but never throws: for teardown, where the thing may already be gone.
    public static func bestEffort(_ arguments: String...) {
        _ = try? run(arguments)
    }
}
