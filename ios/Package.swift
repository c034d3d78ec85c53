// swift-tools-version:5.9
// 履职 iOS shell: the generated bindings (LvzhiCore), the state holders (LvzhiKit, tested with
// `swift test` on Linux and macOS), the SwiftUI screens (LvzhiUI) and the app (LvzhiPhone: an App
// with a WindowGroup), both Apple platforms only. Open this package in Xcode to run the app.
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
        .executable(name: "LvzhiPhone", targets: ["LvzhiPhone"]),
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
        // The iPhone app (SwiftUI, an App with a WindowGroup); on Linux a stub main.
        .executableTarget(name: "LvzhiPhone", dependencies: ["LvzhiKit", "LvzhiUI"]),
        .testTarget(name: "LvzhiKitTests", dependencies: ["LvzhiKit"]),
    ]
)
