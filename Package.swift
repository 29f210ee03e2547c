// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ctutor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ctutor", targets: ["ctutor"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // The only module map for curses; TutorTerminal is the only Swift module importing it.
        .systemLibrary(name: "CNcursesW", path: "Sources/CNcursesW"),
        // Small C wrappers for syscalls Swift cannot call safely (clone, prctl, signals);
        // also gzip through the system zlib, for image layers.
        .target(name: "CShim", path: "Sources/CShim", linkerSettings: [.linkedLibrary("z")]),
        // Lessons, quiz, progress, i18n, demo report values. Pure Swift, no UI.
        .target(name: "TutorCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Real isolation demos. No UI.
        .target(name: "Engine", dependencies: ["CShim", "TutorCore"]),
        // Width-aware cell buffer, text wrap, widgets. No curses, no syscalls.
        .target(name: "TutorUI"),
        // Screens as state + actions + views; pure reducer, effects returned.
        .target(name: "TutorApp", dependencies: ["TutorUI", "TutorCore"]),
        // ncursesw backend: diffs a ScreenBuffer onto the terminal.
        .target(name: "TutorTerminal", dependencies: ["CNcursesW", "CShim", "TutorUI"]),
        // The run loop: terminal events to actions, effects performed, demos on a worker thread.
        .target(name: "TutorSession", dependencies: ["TutorApp", "TutorCore", "TutorUI"]),
        .executableTarget(
            name: "ctutor",
            dependencies: [
                "TutorApp", "TutorSession", "TutorTerminal", "TutorCore", "Engine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TutorCoreTests", dependencies: ["TutorCore"], exclude: ["Fixtures"]),
        .testTarget(name: "TutorUITests", dependencies: ["TutorUI", "CShim"]),
        .testTarget(name: "TutorAppTests", dependencies: ["TutorApp", "TutorUI", "TutorCore"], exclude: ["Fixtures", "__Snapshots__"]),
        .testTarget(
            name: "TutorSessionTests", dependencies: ["TutorSession", "TutorApp", "TutorUI", "TutorCore"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TutorCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["CShim"]),
    ]
)
