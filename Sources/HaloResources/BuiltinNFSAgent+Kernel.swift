import Glibc
import HaloLinux

/// The kernel's nfsd: `exportfs -o fsid=N` for each client, the nfs-server
/// service (systemctl where systemd runs, else the init script), and the
/// shared state_dir bind-mounted on /var/lib/nfs (heartbeat's nfsserver does the same).
extension BuiltinNFSAgent {
    static let nfsStateDirectory = "/var/lib/nfs"

    /// nil when this kernel can run nfsd (built in, loaded, or a module on disk); else why not.
    public static func kernelNFSDProblem() -> String? {
        let filesystems = SystemFiles.read("/proc/filesystems") ?? ""
        if filesystems.split(separator: "\n").contains(where: { $0.hasSuffix("\tnfsd") }) || SystemFiles.isDirectory("/proc/fs/nfsd") {
            return nil
        }
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let module = "/lib/modules/\(release)/kernel/fs/nfsd"
        if SystemFiles.isDirectory(module) { return nil }
        return "no nfsd in this kernel (\(release)): 'nfsd' is not in /proc/filesystems and there is no module under \(module); use 'server ganesha'"
    }

    var exportOptions: String {
        "fsid=\(fsid),\(readOnly ? "ro" : "rw"),no_root_squash,sync,no_subtree_check"
    }

    /// `systemctl start|stop nfs-server`, or the Debian init script without systemd.
    func nfsServerService(_ verb: String) -> AgentCommand {
        if SystemFiles.isDirectory("/run/systemd/system") {
            return AgentCommand(["systemctl", verb, "nfs-server"], package: "systemd")
        }
        return AgentCommand(["/etc/init.d/nfs-kernel-server", verb], package: "nfs-kernel-server")
    }

    func startKernel(_ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                     _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        if let problem = Self.kernelNFSDProblem() { return context.finish(.fatal(reason: problem), nil, completion) }
        if BuiltinAgentContext.locate("exportfs") == nil {
            return context.finish(.failed(reason: "exportfs not installed (package nfs-kernel-server)", hard: true), nil, completion)
        }
        if !SystemFiles.isDirectory(exports) {
            return context.finish(.failed(reason: "exports directory \(exports) does not exist (is its filesystem mounted?)", hard: true), nil, completion)
        }
        var commands: [AgentCommand] = []
        if let stateDirectory, MountTable.current().mount(at: Self.nfsStateDirectory) == nil {
            commands.append(AgentCommand(["mount", "--bind", stateDirectory, Self.nfsStateDirectory], package: "mount"))
        }
        commands.append(nfsServerService("start"))
        commands += clients.map { AgentCommand(["exportfs", "-o", exportOptions, "\($0):\(exports)"], package: "nfs-kernel-server") }
        context.runInOrder(commands, until: deadline) { [self] result, outcome in
            guard result == .success else { return completion(result, outcome) }
            awaitAnswers(deadline, context, gaveUp: { nil }, completion: completion)
        }
    }

    func stopKernel(_ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                    _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        if Self.kernelNFSDProblem() != nil { return context.finish(.success, nil, completion) }
        // exportfs -u of an export already gone exits non-zero: nothing left to undo.
        var commands = clients.map { AgentCommand(["exportfs", "-u", "\($0):\(exports)"], accepting: [0, 1], package: "nfs-kernel-server") }
        commands.append(nfsServerService("stop"))
        if stateDirectory != nil, MountTable.current().mount(at: Self.nfsStateDirectory) != nil {
            commands.append(AgentCommand(["umount", Self.nfsStateDirectory], package: "mount"))
        }
        context.runInOrder(commands, until: deadline, completion: completion)
    }

    /// Exported (the kernel's export table, /var/lib/nfs/etab) and answering NULL calls.
    func monitorKernel(_ action: AgentAction, _ deadline: AgentDeadline, _ context: BuiltinAgentContext,
                       _ completion: @escaping (AgentResult, ProcessOutcome?) -> Void) {
        let etab = SystemFiles.read("\(Self.nfsStateDirectory)/etab") ?? ""
        let exported = etab.split(separator: "\n").contains { $0.hasPrefix("\(exports)\t") && $0.contains("fsid=\(fsid)") }
        guard Self.kernelNFSDProblem() == nil, exported else { return context.finish(.notRunning, nil, completion) }
        context.runInOrder(nullCalls(), until: deadline) { [exports] result, outcome in
            completion(result == .success || result == .timedOut ? result
                       : .failed(reason: "nfsd exports \(exports) but does not answer NFS NULL calls: \(result)", hard: false), outcome)
        }
    }
}
