import HaloControl

/// The control socket's `reload` and `config-test` requests.
extension Engine {
    func reloadReply() -> ControlReply {
        switch reload(cause: "haloctl reload") {
        case .success(let outcome):
            var reply = ControlReply(ok: true, message: outcome.summary)
            reply.reload = ReloadReport(summary: outcome.summary, details: outcome.details)
            return reply
        case .failure(let refusal):
            var reply = ControlReply.failure("reload refused: \(refusal.reason)")
            reply.reload = ReloadReport(summary: "", diagnostics: refusal.diagnostics)
            return reply
        }
    }

    /// Reads and checks the file only; the running configuration is not touched.
    func configTestReply(file: String?) -> ControlReply {
        guard let path = file ?? configuration.configurationPath else {
            return .failure("this engine was started without a configuration file; give one with -f")
        }
        guard path.hasPrefix("/") else { return .failure("config-test needs an absolute path, not \(path)") }
        let (report, status) = ReloadLoader.configTest(path: path)
        var reply = ControlReply(ok: true)
        reply.configTest = ConfigTestReply(report: report, status: status)
        return reply
    }
}
