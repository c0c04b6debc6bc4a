import Glibc
import HaloLinux
import HaloNet
import Logging

/// Puts an instance's VIPs on the node and takes them off, idempotently:
/// an address already there counts as added, one already gone as removed.
struct VirtualAddresses {
    let instance: String
    let addresses: [(spec: VirtualAddressSpec, kernel: InterfaceAddress)]

    init(instance: String, specs: [VirtualAddressSpec], defaultInterface: Interface) throws {
        self.instance = instance
        addresses = try specs.map { spec in
            let index = try spec.device.map { try Interface(named: $0).index } ?? defaultInterface.index
            let address = InterfaceAddress(
                prefix: spec.prefix, interfaceIndex: index, label: spec.label,
                scope: spec.scope.flatMap(InterfaceAddress.Scope.init(rawValue:)) ?? .global,
                broadcast: spec.broadcast, noDAD: true)
            return (spec, address)
        }
    }

    /// Adds every address; returns how many were newly added. Failures are logged and skipped
    /// so one bad address does not keep the others off the node.
    @discardableResult
    func add(using netlink: NetlinkSocket, logger: Logger) -> Int {
        var added = 0
        for (spec, address) in addresses {
            do {
                try netlink.addAddress(address)
                added += 1
            } catch let error as SystemError where error.code == EEXIST {
                continue
            } catch {
                logger.error("(\(instance)) cannot add \(spec): \(error)")
            }
        }
        return added
    }

    @discardableResult
    func remove(using netlink: NetlinkSocket, logger: Logger) -> Int {
        var removed = 0
        for (spec, address) in addresses {
            do {
                try netlink.removeAddress(address)
                removed += 1
            } catch let error as SystemError where error.code == EADDRNOTAVAIL {
                continue
            } catch {
                logger.error("(\(instance)) cannot remove \(spec): \(error)")
            }
        }
        return removed
    }

    /// The tracked address matching a kernel event, if it is one of ours.
    func tracked(_ event: InterfaceAddress) -> (spec: VirtualAddressSpec, kernel: InterfaceAddress)? {
        addresses.first { $0.kernel.prefix.address == event.prefix.address && $0.kernel.interfaceIndex == event.interfaceIndex && !$0.spec.noTrack }
    }
}
