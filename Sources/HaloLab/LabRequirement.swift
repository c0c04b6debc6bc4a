import Foundation
import Glibc

/// Lab tests need root (namespaces, raw sockets). They may be skipped only off
/// CI as a non-root user; under CI=true they always run, so a missing
/// privilege fails loudly instead of passing as a skip.
public enum LabRequirement {
    public static var canRun: Bool {
        getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true"
    }
}
