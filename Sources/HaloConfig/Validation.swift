import HaloNet

/// keepalived's semantic rules, applied once everything is read. Each rule
/// reports at the line that breaks it and repairs or drops what it must, so the
/// configuration that comes out is one the daemon can run as is.
struct Validator {
    var diagnostics: DiagnosticCollector

    mutating func validate(_ configuration: inout Configuration) {
        removeDuplicateNames(&configuration)
        var kept: [VRRPInstance] = []
        for var instance in configuration.instances {
            if let reason = validateInstance(&instance, globals: configuration.globals) {
                configuration.rejected.append(IgnoredPart(what: "vrrp_instance \(instance.name)", reason: reason, location: instance.location))
            } else {
                kept.append(instance)
            }
        }
        configuration.instances = rejectVRIDClashes(kept, rejected: &configuration.rejected)
        resolveReferences(&configuration)
        validateSyncGroups(&configuration)
        validateVirtualServers(&configuration)
        validateResourceGroups(&configuration)
    }

    /// Per-instance rules. Returns why the instance cannot run, or nil when it can
    /// (possibly with settings repaired after an error).
    mutating func validateInstance(_ instance: inout VRRPInstance, globals: GlobalDefinitions) -> String? {
        let name = instance.name
        let keywordLocations = instance.keywordLocations, instanceLocation = instance.location
        let at = { (keyword: String) in keywordLocations[keyword] ?? instanceLocation }
        var fatal: String?
        if instance.interface == nil && instance.keywordLocations["interface"] == nil {
            diagnostics.error(instance.location, "vrrp_instance '\(name)' has no 'interface'; it cannot run")
            fatal = "no interface"
        }
        if instance.virtualRouterID == nil {
            // A bad value was already reported where it was written.
            if instance.keywordLocations["virtual_router_id"] == nil {
                diagnostics.error(instance.location, "vrrp_instance '\(name)' has no 'virtual_router_id' (1-255); it cannot run")
            }
            fatal = fatal ?? "no valid virtual_router_id"
        }
        if let first = instance.virtualAddresses.first,
           let other = instance.virtualAddresses.first(where: { $0.prefix.family != first.prefix.family }) {
            diagnostics.error(other.location, "virtual address \(other.prefix.address) is \(other.prefix.family.rawValue) but \(first.prefix.address) (line \(first.location.line)) is \(first.prefix.family.rawValue); one instance carries one address family")
            fatal = fatal ?? "virtual addresses of both families"
        }
        instance.isStrict = instance.strictMode ?? globals.vrrpStrict
        resolveVersion(&instance, globals: globals)
        checkAdvertInterval(&instance, at: at("advert_int"))
        checkAuthentication(&instance, at: at("authentication"))
        checkPreemption(&instance, at: at)
        checkAddressFamilies(&instance)
        if instance.isStrict { checkStrictMode(&instance, at: at) }
        if instance.virtualAddresses.isEmpty && !instance.isStrict {
            diagnostics.warning(instance.location, "vrrp_instance '\(name)' has no virtual_ipaddress; it will elect a master but move no address")
        }
        return fatal
    }

    /// IPv6 forces v3; otherwise the instance's `version`, else global `vrrp_version`.
    mutating func resolveVersion(_ instance: inout VRRPInstance, globals: GlobalDefinitions) {
        let wanted = instance.configuredVersion ?? globals.defaultVRRPVersion
        guard instance.family == .ipv6, wanted == .v2 else {
            instance.version = wanted
            return
        }
        instance.version = .v3
        if instance.configuredVersion == .v2 {
            let location = instance.keywordLocations["version"] ?? instance.location
            let message = "VRRPv2 cannot carry IPv6 addresses; vrrp_instance '\(instance.name)' uses VRRPv3"
            if instance.isStrict { diagnostics.error(location, message + " (vrrp_strict forbids version 2 with IPv6)") }
            else { diagnostics.warning(location, message) }
        }
    }

    mutating func checkAdvertInterval(_ instance: inout VRRPInstance, at location: SourceLocation) {
        let interval = instance.advertInterval
        switch instance.version {
        case .v2:
            if interval.value % 1000 != 0 {
                // keepalived rounds with only a warning (keepalived #1615), so a peer would
                // advertise a different interval than the one written: an error here.
                let rounded = max(1, (interval.value + 500) / 1000)
                diagnostics.error(location, "advert_int \(interval) is not a whole number of seconds: VRRPv2 advertises whole seconds (keepalived rounds it to \(rounded)s with only a warning; use 'version 3' for sub-second adverts)")
                instance.advertInterval = .seconds(rounded)
            }
        case .v3:
            if interval > Milliseconds(40950) {
                diagnostics.error(location, "advert_int \(interval) is above VRRPv3's maximum of 40.95s")
                instance.advertInterval = Milliseconds(40950)
            } else if interval < Milliseconds(10) {
                diagnostics.error(location, "advert_int \(interval) is below VRRPv3's minimum of 0.01s")
                instance.advertInterval = Milliseconds(10)
            } else if interval.value % 10 != 0 {
                diagnostics.error(location, "advert_int \(interval) is not a multiple of 10 ms: VRRPv3 advertises centiseconds")
                instance.advertInterval = Milliseconds(interval.value / 10 * 10)
            }
        }
    }

    mutating func checkAuthentication(_ instance: inout VRRPInstance, at location: SourceLocation) {
        guard instance.authentication != nil else { return }
        if instance.version == .v3 {
            let why = instance.family == .ipv6 ? "IPv6 uses VRRPv3" : "this instance uses VRRPv3"
            diagnostics.error(location, "authentication is VRRPv2 only and \(why) (keepalived ignores it with a log line); authentication ignored")
            instance.authentication = nil
        }
    }

    mutating func checkPreemption(_ instance: inout VRRPInstance, at location: (String) -> SourceLocation) {
        if !instance.preempt && instance.initialState == .master {
            diagnostics.error(location("nopreempt"), "'nopreempt' needs 'state BACKUP'; with state MASTER keepalived ignores it (preemption stays on)")
            instance.preempt = true
        }
        if instance.priority == 255 && instance.initialState == .backup && instance.keywordLocations["state"] != nil {
            diagnostics.warning(location("state"), "priority 255 makes vrrp_instance '\(instance.name)' the address owner: it starts as MASTER whatever 'state BACKUP' says")
        }
    }

    /// Peers and source addresses must be of the instance's family.
    mutating func checkAddressFamilies(_ instance: inout VRRPInstance) {
        let family = instance.family
        instance.unicastPeers.removeAll { peer in
            guard peer.address.family != family else { return false }
            diagnostics.error(peer.location, "unicast_peer \(peer.address) is \(peer.address.family.rawValue) but vrrp_instance '\(instance.name)' is \(family.rawValue); peer ignored")
            return true
        }
        for keyword in ["unicast_src_ip", "mcast_src_ip"] {
            let address = keyword == "unicast_src_ip" ? instance.unicastSource : instance.multicastSource
            guard let address, address.family != family else { continue }
            diagnostics.error(instance.keywordLocations[keyword] ?? instance.location, "\(keyword) \(address) is \(address.family.rawValue) but vrrp_instance '\(instance.name)' is \(family.rawValue); ignored")
            if keyword == "unicast_src_ip" { instance.unicastSource = nil } else { instance.multicastSource = nil }
        }
    }

    /// `vrrp_strict` / `strict_mode`: RFC conformance keepalived enforces.
    mutating func checkStrictMode(_ instance: inout VRRPInstance, at location: (String) -> SourceLocation) {
        let name = instance.name
        if !instance.unicastPeers.isEmpty {
            diagnostics.error(location("unicast_peer"), "strict mode forbids unicast_peer (RFC VRRP is multicast); vrrp_instance '\(name)' uses multicast")
            instance.unicastPeers = []
        }
        if instance.authentication != nil {
            diagnostics.error(location("authentication"), "strict mode forbids authentication; authentication ignored")
            instance.authentication = nil
        }
        if instance.preemptDelay != nil {
            diagnostics.error(location("preempt_delay"), "strict mode forbids preempt_delay; ignored")
            instance.preemptDelay = nil
        }
        if instance.virtualAddresses.isEmpty {
            diagnostics.error(instance.location, "strict mode needs at least one virtual_ipaddress in vrrp_instance '\(name)'")
        }
        if instance.initialState == .master && instance.priority < 255 {
            diagnostics.error(location("state"), "strict mode allows 'state MASTER' only with priority 255 (the address owner); vrrp_instance '\(name)' starts as BACKUP")
            instance.initialState = .backup
        }
    }

    /// Two instances with one VRID on one interface and family would answer each
    /// other's adverts; the later one is rejected.
    mutating func rejectVRIDClashes(_ instances: [VRRPInstance], rejected: inout [IgnoredPart]) -> [VRRPInstance] {
        struct Key: Hashable { var interface: String; var family: AddressFamily; var vrid: Int }
        var owners: [Key: VRRPInstance] = [:]
        var kept: [VRRPInstance] = []
        for instance in instances {
            guard let interface = instance.interface, let vrid = instance.virtualRouterID else { kept.append(instance); continue }
            let key = Key(interface: interface, family: instance.family, vrid: vrid)
            if let owner = owners[key] {
                diagnostics.error(instance.keywordLocations["virtual_router_id"] ?? instance.location,
                                  "virtual_router_id \(vrid) on \(interface) (\(instance.family.rawValue)) is already used by vrrp_instance '\(owner.name)' at \(owner.location); vrrp_instance '\(instance.name)' ignored")
                rejected.append(IgnoredPart(what: "vrrp_instance \(instance.name)", reason: "duplicate virtual_router_id \(vrid) on \(interface)", location: instance.location))
                continue
            }
            owners[key] = instance
            kept.append(instance)
        }
        return kept
    }
}
