// swift-tools-version:6.0
import PackageDescription

/// reel: a command-line video compositor that turns a screen recording into a
/// Douyin-ready 9:16 H.264 MP4. C libraries stay behind `internal import` in
/// ReelMedia; the CLI only parses and prints.
let package = Package(
    name: "reel",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "reel", targets: ["reel"]),
        .library(name: "ReelKit", targets: ["ReelKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // reel batch's report.html is rendered from a template (Sources/ReelKit/Batch/ReportTemplate.swift).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            path: "Sources/CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavfilter-dev",
                              "libswscale-dev", "libswresample-dev", "libavutil-dev"])]
        ),
        .systemLibrary(
            name: "CText",
            path: "Sources/CText",
            pkgConfig: "harfbuzz",
            providers: [.apt(["libfreetype-dev", "libharfbuzz-dev", "libfontconfig1-dev", "libunibreak-dev"])]
        ),
        .target(
            name: "ReelText",
            dependencies: ["CText"],
            path: "Sources/ReelText"
        ),
        .target(
            name: "CReelShims",
            dependencies: ["CFFmpeg"],
            path: "Sources/CReelShims"
        ),
        .target(
            name: "ReelMedia",
            dependencies: ["CFFmpeg", "CReelShims"],
            path: "Sources/ReelMedia"
        ),
        .target(
            name: "ReelKit",
            dependencies: ["ReelMedia", "ReelText", .product(name: "Yams", package: "Yams"),
                           .product(name: "Mustache", package: "swift-mustache")],
            path: "Sources/ReelKit"
        ),
        .executableTarget(
            name: "reel",
            dependencies: [
                "ReelKit",
                "ReelText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/reel"
        ),
        // Fuzzing (Scripts/fuzz): the harnesses, and an executable that is libFuzzer's entry
        // point in the fuzz build and replays inputs in the normal one.
        .target(name: "ReelFuzzTargets", dependencies: ["ReelKit", "ReelMedia", "ReelText"], path: "Sources/ReelFuzzTargets"),
        .systemLibrary(name: "CReelFuzz", path: "Sources/CReelFuzz"),
        .executableTarget(name: "reel-fuzz", dependencies: ["ReelFuzzTargets", "CReelFuzz"], path: "Sources/reel-fuzz"),
        .testTarget(name: "ReelTextTests", dependencies: ["ReelText"], path: "Tests/ReelTextTests"),
        .testTarget(name: "ReelMediaTests", dependencies: ["ReelMedia"], path: "Tests/ReelMediaTests"),
        .testTarget(name: "ReelKitTests", dependencies: ["ReelKit", "ReelMedia", "ReelText"], path: "Tests/ReelKitTests"),
        .testTarget(name: "ReelFuzzTests", dependencies: ["ReelFuzzTargets"], path: "Tests/ReelFuzzTests"),
        .testTarget(name: "ReelCLITests", dependencies: ["reel"], path: "Tests/ReelCLITests"),
    ],
    // Swift 6 language mode everywhere: complete concurrency checking; each @unchecked
    // Sendable and nonisolated(unsafe) says in a comment why it is safe.
    swiftLanguageModes: [.v6]
)
