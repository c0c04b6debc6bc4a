extension Engine {
    /// Each resource_group joins the router group it follows and probes its
    /// resources before the first election, so running ones are adopted.
    func attachResourceGroups() {
        for spec in configuration.resourceGroups {
            guard let routers = groups.first(where: { $0.name == spec.follows }) else {
                logger.error("(\(spec.name)) resource group follows '\(spec.follows)', which is not running; its resources are not managed")
                continue
            }
            let runtime = ResourceGroupRuntime(spec: spec, routers: routers)
            routers.resources = runtime
            runtime.probe()
        }
    }
}
