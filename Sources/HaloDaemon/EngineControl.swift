import Glibc
import HaloControl
import HaloLinux

/// The engine's side of the control socket: opening it and answering requests.
extension Engine {
    /// Opens the control socket when configured; a node that cannot open it
    /// still runs its elections (and says so).
    func openControlSocket() {
        guard let path = configuration.control.socketPath else { return }
        var group: gid_t?
        if let name = configuration.control.socketGroup {
            if let entry = getgrnam(name) { group = entry.pointee.gr_gid } else {
                logger.error("control_socket_group \(name): no such group; the control socket is root-only")
            }
        }
        do {
            controlServer = try ControlServer(
                path: path, group: group, loop: loop, log: { [unowned self] in logger.warning("\($0)") },
                answer: { [unowned self] in answer($0) })
            logger.info("control socket \(path)")
        } catch {
            logger.error("control socket \(path): \(error); haloctl cannot reach this node")
        }
    }

    func answer(_ request: ControlRequest) -> ControlReply {
        guard let control = operatorControl else { return .failure("engine not started") }
        if isStopping, request != .status, request != .ping { return .failure("halod is shutting down") }
        switch request {
        case .ping:
            return ControlReply(ok: true, message: "pong")
        case .status:
            return ControlReply(ok: true, status: statusReport())
        case .failover(let name):
            do {
                let groups = try control.failover(name: name)
                return ControlReply(ok: true, failover: FailoverReport(
                    instances: groups.flatMap { $0.members.map(\.spec.name) }, groups: groups.map(\.name),
                    note: "handing off (priority 0, VIPs kept until the successor is heard); this node then stays out "
                        + "of the election while the new master is heard, and rejoins when it goes silent or leaves"))
            } catch OperatorControl.FailoverError.refused(let reason) {
                return .failure(reason)
            } catch {
                return .failure("\(error)")
            }
        case .reload:
            return reloadReply()
        case .configTest(let file):
            return configTestReply(file: file)
        case .dump(let format):
            var reply = ControlReply(ok: true)
            reply.dump = renderStateDump(format)
            return reply
        case .resourceRestart(let name):
            return resourceRestartReply(name)
        case .resourceCleanup(let name):
            return resourceCleanupReply(name)
        case .standby, .unstandby:
            do {
                if request == .standby { try control.enterStandby() } else { try control.leaveStandby() }
                return ControlReply(ok: true, standby: control.isStandby)
            } catch {
                return .failure("cannot \(request.command): \(error)")
            }
        }
    }
}
