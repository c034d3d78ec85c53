// 履职 for iPhone: the app target. Everything it shows is LvzhiUI's; every decision is in the
// core and LvzhiKit's state holders. Build it in Xcode (open ios/Package.swift; link the
// xcframework made by scripts/build-xcframework).
#if canImport(SwiftUI)
import SwiftUI
import LvzhiKit
import LvzhiUI

@main
struct LvzhiMobileApp: App {
    /// The server this build talks to; set per build configuration.
    static let serverURL = Bundle.main.object(forInfoDictionaryKey: "LvzhiServerURL") as? String ?? "https://lvzhi.example.cn"

    let app: LvzhiApp = {
        let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // Encrypted at rest with a key kept in this device's Keychain. The database holds unsent
        // work: a failure to open it is not one to hide.
        return try! LvzhiApp.openEncrypted(
            dbPath: dir.appendingPathComponent("lvzhi.db").path, serverUrl: serverURL, key: DatabaseKey.get(), pins: []
        )
    }()

    /// Local reminders of 待办, and the taps on them.
    let notifications = NotificationScheduler()

    @Environment(\.scenePhase) private var phase

    var body: some Scene {
        WindowGroup {
            RootView(app: app, scheduler: notifications, taps: notifications.taps)
                .onChange(of: phase) { phase in
                    // Long-poll while in the foreground; the outbox stays on disk otherwise.
                    if phase == .active { app.startSync(longPollSecs: 25) } else { app.stopSync() }
                }
        }
    }
}
#else
/// Not an app on this platform: LvzhiKit's state holders are what Linux builds and tests.
@main
enum LvzhiMobileApp {
    static func main() { print("履职 runs on iOS; see ios/README in DEVELOPERS.md") }
}
#endif
