import HaloControl

/// `haloctl resource restart|cleanup`: find the resource or group by name and
/// hand the request to its ResourceGroupRuntime (loop thread).
extension Engine {
    private enum ResourceTarget {
        case group(ResourceGroupRuntime)
        case resource(ResourceGroupRuntime, Int)
    }

    private struct Refusal: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// A group name wins over a resource name; a resource name found in two groups is refused as ambiguous.
    private func resourceTarget(_ name: String, groupAllowed: Bool) -> Result<ResourceTarget, Refusal> {
        let runtimes = resourceGroups
        if let group = runtimes.first(where: { $0.spec.name == name }) {
            guard groupAllowed else {
                let names = group.driver.planner.records.map(\.name).joined(separator: ", ")
                return .failure(Refusal("\(name) is a resource group; restart takes one of its resources (\(names))"))
            }
            return .success(.group(group))
        }
        let matches = runtimes.flatMap { group in
            group.driver.planner.records.indices.filter { group.driver.planner.records[$0].name == name }.map { (group, $0) }
        }
        if matches.count > 1 {
            return .failure(Refusal("resource \(name) is in several groups (\(matches.map(\.0.spec.name).joined(separator: ", "))); rename one to act on it"))
        }
        guard let (group, index) = matches.first else {
            let known = runtimes.map { "\($0.spec.name): \($0.driver.planner.records.map(\.name).joined(separator: ", "))" }
            let list = known.isEmpty ? "this node runs no resource group" : "known: " + known.joined(separator: "; ")
            return .failure(Refusal("no resource\(groupAllowed ? " or resource group" : "") named \(name) (\(list))"))
        }
        return .success(.resource(group, index))
    }

    func resourceRestartReply(_ name: String) -> ControlReply {
        switch resourceTarget(name, groupAllowed: false) {
        case .failure(let refusal): return .failure(refusal.message)
        case .success(.group): return .failure("\(name) is a resource group")
        case .success(.resource(let group, let index)):
            do {
                let restarted = try group.restart(resource: index)
                var reply = ControlReply(ok: true)
                reply.resources = ResourceActionReport(
                    group: group.spec.name, resources: restarted,
                    note: "stopping \(restarted.reversed().joined(separator: ", ")), then starting \(restarted.joined(separator: ", ")); the VIPs stay")
                return reply
            } catch ResourceGroupRuntime.OperatorRefusal.refused(let reason) {
                return .failure(reason)
            } catch {
                return .failure("\(error)")
            }
        }
    }

    func resourceCleanupReply(_ name: String) -> ControlReply {
        let group: ResourceGroupRuntime
        let index: Int?
        switch resourceTarget(name, groupAllowed: true) {
        case .failure(let refusal): return .failure(refusal.message)
        case .success(.group(let runtime)): (group, index) = (runtime, nil)
        case .success(.resource(let runtime, let position)): (group, index) = (runtime, position)
        }
        let cleared = group.cleanup(resource: index)
        var reply = ControlReply(ok: true)
        let refusal = group.driver.planner.refusesPromotion
        reply.resources = ResourceActionReport(
            group: group.spec.name, resources: cleared,
            note: (cleared.isEmpty ? "nothing to clear" : "fail counts and last errors cleared")
                + (refusal.map { "; the group still refuses promotion: \($0)" } ?? ""))
        return reply
    }
}
