// 履职 for iPhone: the app target. Everything it shows is LvzhiUI's; every decision is in the
// core and LvzhiKit's state holders. Build it in Xcode (open ios/Package.swift; link the
// xcframework made by scripts/build-xcframework).
#if canImport(SwiftUI)
import SwiftUI
#if canImport(UIKit)
import UIKit
#endif
import LvzhiKit
import LvzhiUI

/// The process's one core, shared by the scenes and the app delegate (which a push may wake
/// with no scene in front).
enum Shared {
    /// The server this build talks to; set per build configuration.
    static let serverURL = Bundle.main.object(forInfoDictionaryKey: "LvzhiServerURL") as? String ?? "https://lvzhi.example.cn"

    static let app: LvzhiApp = {
        let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // Encrypted at rest with a key kept in this device's Keychain. The database holds unsent
        // work: a failure to open it is not one to hide.
        return try! LvzhiApp.openEncrypted(
            dbPath: dir.appendingPathComponent("lvzhi.db").path, serverUrl: serverURL, key: DatabaseKey.get(), pins: []
        )
    }()

    /// APNs' token to the core: when iOS gives it, and again after every login.
    static let push = PushRegistration(app: app)
}

#if canImport(UIKit)
/// Server push through APNs. A push names only a kind and a count ("3 条新通知", shown by iOS);
/// it wakes the app in the background (content-available), which syncs, so that what it is
/// about is in the app's own database when the member opens it.
final class AppDelegate: NSObject, UIApplicationDelegate {
    func application(_ application: UIApplication, didRegisterForRemoteNotificationsWithDeviceToken deviceToken: Data) {
        Shared.push.received(deviceToken: deviceToken)
    }

    func application(_ application: UIApplication, didFailToRegisterForRemoteNotificationsWithError error: Error) {
        // No push on this phone (a simulator, no network): 待办 still arrive with each sync.
    }

    func application(
        _ application: UIApplication, didReceiveRemoteNotification userInfo: [AnyHashable: Any],
        fetchCompletionHandler completionHandler: @escaping (UIBackgroundFetchResult) -> Void
    ) {
        guard Shared.app.me() != nil else { return completionHandler(.noData) }
        Task {
            do {
                try await Shared.app.syncNow()
                completionHandler(.newData)
            } catch {
                completionHandler(.failed)
            }
        }
    }
}
#endif

@main
struct LvzhiMobileApp: App {
    #if canImport(UIKit)
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    #endif

    let app: LvzhiApp = Shared.app

    /// Local reminders of 待办, and the taps on them.
    let notifications = NotificationScheduler()

    @Environment(\.scenePhase) private var phase

    var body: some Scene {
        WindowGroup {
            RootView(app: app, scheduler: notifications, taps: notifications.taps, onLogin: {
                // After every login (and each launch logged in): APNs gives the token to the
                // delegate, and the last one known is registered again at once.
                #if canImport(UIKit)
                UIApplication.shared.registerForRemoteNotifications()
                #endif
                Shared.push.register()
            })
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
