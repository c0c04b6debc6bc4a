import Foundation
import HaloLinux
import HaloResources
import Testing

/// Runs `actions` on `resource` one after the other through a real `AgentRunner`
/// on its own loop thread; returns each judged result (and the failure text, if any).
func runAgentActions(_ resource: ResourceDefinition, _ actions: [AgentAction], timeout: Int = 20_000) throws -> [AgentResult] {
    let loop = try EventLoop()
    let results = Box<[AgentResult]>([])
    let done = DispatchSemaphore(value: 0)
    Thread {
        guard let processes = try? ProcessRunner(loop: loop) else { done.signal(); return }
        let agents = AgentRunner(processes: processes)
        func next(_ remaining: ArraySlice<AgentAction>) {
            guard let action = remaining.first else { loop.stop(); return }
            agents.run(resource, action, timeoutMilliseconds: timeout) { result, _ in
                results.value.append(result)
                next(remaining.dropFirst())
            }
        }
        next(actions[...])
        loop.run()
        withExtendedLifetime(agents) {}
        done.signal()
    }.start()
    #expect(done.wait(timeout: .now() + 60) == .success)
    return results.value
}
