import Glibc

/// A failed system call, carrying what was attempted so logs say more than "EPERM".
public struct SystemError: Error, CustomStringConvertible, Equatable {
    public var operation: String
    public var code: Int32

    public init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation): \(String(cString: strerror(code))) (errno \(code))"
    }
}

/// Runs a call that returns -1 and sets errno on failure.
@discardableResult
func check<T: BinaryInteger>(_ operation: @autoclosure () -> String, _ result: T) throws -> T {
    if result < 0 { throw SystemError(operation()) }
    return result
}

/// setsockopt for a plain integer option.
func setSocketOption(_ fd: Int32, _ level: Int32, _ option: Int32, _ value: Int32, _ name: String) throws {
    var value = value
    try check("setsockopt(\(name))", setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size)))
}
