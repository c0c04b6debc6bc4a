import Glibc
import HaloDaemon

extension Halod {
    /// An engine process (started by the supervisor with `EngineLaunch.arguments`) goes
    /// straight to the engine; everything else is a command line for ArgumentParser.
    static func main() {
        let arguments = CommandLine.arguments
        if arguments.count > 1, arguments[1] == EngineLaunch.flag {
            Glibc.exit(EngineLaunch.runEngine(arguments: Array(arguments.dropFirst())))
        }
        main(nil)
    }
}
