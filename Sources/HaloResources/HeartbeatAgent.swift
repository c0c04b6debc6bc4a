/// heartbeat's resource scripts (haresources' `NAME::ARG1::ARG2`): called as
/// `SCRIPT ARG1 ARG2 start|stop|status`. Start and stop are judged by their exit
/// code; status by what it prints, as heartbeat's ResourceManager does, because
/// old resource scripts print "running"/"stopped" and exit 0 either way.
extension ResourceDefinition {
    static func heartbeatVerb(_ action: AgentAction) -> String {
        switch action {
        case .start: "start"
        case .stop: "stop"
        case .monitor, .probe: "status"
        }
    }

    static func heartbeatResult(_ action: AgentAction, _ code: Int32, output: String) -> AgentResult {
        switch action {
        case .start, .stop:
            return code == 0 ? .success : .failed(reason: "exit \(code)", hard: false)
        case .monitor, .probe:
            return heartbeatStatusSaysRunning(output) ? .success : .notRunning
        }
    }

    /// The status output's last line says running ("running", "OK") and not the
    /// negative forms LSB-style scripts print ("not running", "stopped", "dead").
    static func heartbeatStatusSaysRunning(_ output: String) -> Bool {
        guard let line = output.split(whereSeparator: \.isNewline).last else { return false }
        let lower = line.lowercased()
        for negative in ["not running", "stopped", "dead", "inactive"] where lower.contains(negative) { return false }
        return lower.contains("running") || line.split(whereSeparator: { !$0.isLetter }).contains("OK")
    }
}
