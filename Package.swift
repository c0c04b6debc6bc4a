// swift-tools-version:6.0
import PackageDescription

// Release builds of the modules an advert passes through: each function in its own
// section, so the linker can lay the advert path out contiguously (hotPathOrder below),
// and exclusivity left to the compiler's static checks and to the debug builds the
// tests run (the dynamic check reads the thread's access set on every access to a
// class's stored property: one more page an idle master touches each advert).
let advertPathSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-function-sections", "-enforce-exclusivity=unchecked"], .when(configuration: .release))
]
// The advert path's functions in the order gold is to place them: a master wakes every
// advert_int after its caches and TLB have gone cold, and each page it touches costs a
// page walk (two-level under a hypervisor). Written by scripts/hot-path-order, checked by
// scripts/check-hot-path-order.
let hotPathOrder = "\(Context.packageDirectory)/linker/halod-hot-path.order"

let package = Package(
    name: "Halo",
    products: [
        .executable(name: "halod", targets: ["halod"]),
        .executable(name: "haloctl", targets: ["haloctl"]),
        .library(name: "HaloConfig", targets: ["HaloConfig"]),
        .library(name: "VRRP", targets: ["VRRP"]),
        .library(name: "HaloNet", targets: ["HaloNet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure value types shared by every layer: IP addresses and prefixes.
        .target(name: "HaloNet", swiftSettings: advertPathSettings),
        // The control socket's protocol: requests, replies, the status schema and its text screen (no I/O).
        .target(name: "HaloControl"),
        // Kernel access: libmnl, rtnetlink headers and the CMSG helpers Swift cannot import.
        .target(
            name: "CHaloLinux",
            cSettings: [.unsafeFlags(["-ffunction-sections"], .when(configuration: .release))],
            linkerSettings: [.linkedLibrary("mnl")]
        ),
        // The thin imperative shell: event loop, netlink addresses and events, raw VRRP and frame sockets.
        .target(name: "HaloLinux", dependencies: ["CHaloLinux", "HaloNet"], swiftSettings: advertPathSettings),
        // Network-namespace lab for tests and benchmarks: a bridge "switch", hosts with eth0, fault injection.
        .target(name: "HaloLab", dependencies: ["CHaloLinux", "HaloLinux", "HaloNet"]),
        // Wiring: configuration -> routers -> kernel; the engine loop, supervisor and signals.
        .target(
            name: "HaloDaemon",
            dependencies: ["HaloConfig", "HaloControl", "HaloResources", "VRRP", "HaloLinux", "HaloNet", .product(name: "Logging", package: "swift-log"),
                           .product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: advertPathSettings
        ),
        // Resource groups: agents (OCF, LSB, exec) run through the process runner, and the pure group planner.
        .target(name: "HaloResources", dependencies: ["HaloLinux", "HaloNet", "VRRP"]),
        // keepalived.conf language: lexer, parser, typed model, validation, diagnostics.
        .target(name: "HaloConfig", dependencies: ["HaloNet"]),
        // VRRP packet codec and state machine: no I/O, no clock.
        .target(name: "VRRP", dependencies: ["HaloNet"], swiftSettings: advertPathSettings),
        // Deterministic simulated LAN (virtual clock, loss, delay, partitions) driving
        // the state machine; used by the tests and by the halo-sim soak command.
        .target(name: "VRRPSimulation", dependencies: ["VRRP", "HaloNet"]),
        .executableTarget(
            name: "halo-sim",
            dependencies: ["VRRPSimulation", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Demo pair and benchmark against keepalived, in the namespace lab.
        .executableTarget(
            name: "halo-lab",
            dependencies: ["HaloLab", "HaloLinux", "HaloNet", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // halod's parent process, in C and linked statically (about 2 MB resident, no
        // shared-library pages): restarts the engine and removes its VIPs if it dies.
        .executableTarget(name: "halo-supervisor", linkerSettings: [.unsafeFlags(["-static-executable"])]),
        .executableTarget(
            name: "halod",
            dependencies: [
                "HaloConfig", "HaloControl", "HaloDaemon", "VRRP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: advertPathSettings,
            // Release (as packaged and benchmarked): a position-dependent executable needs no
            // start-up relocations (about 1 MB of .rela.dyn read and 0.4 MB of pages dirtied
            // in every engine process), exports no symbol table nobody looks up, and has the
            // advert path laid out together.
            linkerSettings: [.unsafeFlags(["-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic",
                                           "-Xlinker", "--section-ordering-file=\(hotPathOrder)"], .when(configuration: .release))]
        ),
        // The operator's CLI: talks to halod's control socket.
        .executableTarget(
            name: "haloctl",
            dependencies: ["HaloControl", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "HaloNetTests", dependencies: ["HaloNet"]),
        // The group planner (every path) and the agents, run for real (resource-agents' OCF scripts).
        .testTarget(name: "HaloResourcesTests", dependencies: ["HaloResources", "HaloLinux", "HaloNet", "HaloLab"]),
        .testTarget(name: "HaloControlTests", dependencies: ["HaloControl"]),
        // The daemon's pure parts: tracker arithmetic and configuration mapping, no kernel.
        .testTarget(name: "HaloDaemonTests", dependencies: ["HaloDaemon", "HaloConfig", "HaloResources", "VRRP", "HaloNet"]),
        // Kernel-facing tests: run as root in network namespaces they create.
        .testTarget(name: "HaloLinuxTests", dependencies: ["CHaloLinux", "HaloLinux", "HaloNet", "HaloLab"]),
        // halod pairs (and mixed halod/keepalived pairs) in the namespace lab; depends on halod so it is built.
        .testTarget(name: "LabTests", dependencies: ["halod", "halo-supervisor", "haloctl", "HaloControl", "HaloLab", "HaloLinux", "HaloNet", "VRRP"]),
        .testTarget(name: "HaloConfigTests", dependencies: ["HaloConfig"], resources: [.copy("Fixtures")]),
        // Runs the built halod binary (depending on the executable makes `swift test` build it).
        .testTarget(name: "HalodTests", dependencies: ["halod"]),
        .testTarget(name: "VRRPTests", dependencies: ["VRRP", "VRRPSimulation"], resources: [.copy("Vectors")]),
        // scripts/check_* against real services (mfsmaster, haproxy, mariadb, nfs-ganesha) in lab namespaces.
        .testTarget(name: "HealthCheckTests", dependencies: ["HaloLab"]),
    ]
)
