import ArgumentParser

/// Halo's lab in network namespaces, for people: a demo pair, and the
/// side-by-side benchmark against keepalived.
@main
struct HaloLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "halo-lab",
        abstract: "Run Halo in a network-namespace lab (root only): a demo pair, or the benchmark against keepalived.",
        subcommands: [Demo.self, Bench.self]
    )
}
