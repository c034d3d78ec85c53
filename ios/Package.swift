// swift-tools-version:5.9
// 履职 iOS shell: the generated bindings (LvzhiCore), the state holders (LvzhiKit, tested with
// `swift test` on Linux and macOS) and the SwiftUI screens (LvzhiUI, Apple platforms only).
// scripts/test-swift generates the bindings into Sources/LvzhiCore and Sources/LvzhiCoreFFI and
// builds the Rust library into ../target/debug; scripts/build-xcframework packages it for Xcode.
import PackageDescription

let rustLib = Context.packageDirectory + "/../target/debug"

let package = Package(
    name: "Lvzhi",
    platforms: [.iOS(.v16), .macOS(.v13)],
    products: [
        .library(name: "LvzhiKit", targets: ["LvzhiKit"]),
        .library(name: "LvzhiUI", targets: ["LvzhiUI"]),
    ],
    targets: [
        .systemLibrary(name: "LvzhiCoreFFI", path: "Sources/LvzhiCoreFFI"),
        .target(
            name: "LvzhiCore",
            dependencies: ["LvzhiCoreFFI"],
            swiftSettings: [.unsafeFlags(["-suppress-warnings"])],
            linkerSettings: [.unsafeFlags(["-L", rustLib]), .linkedLibrary("lvzhi_ffi")]
        ),
        .target(name: "LvzhiKit", dependencies: ["LvzhiCore"]),
        .target(name: "LvzhiUI", dependencies: ["LvzhiKit"]),
        .testTarget(name: "LvzhiKitTests", dependencies: ["LvzhiKit"]),
    ]
)
