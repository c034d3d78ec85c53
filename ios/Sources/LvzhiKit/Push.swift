import Foundation

// Server push: the phone's APNs token and the person's switches. A push names only a kind and a
// count ("3 条新通知"); what it is about the app shows from its own database after the sync the
// push wakes. Plain Swift (no Combine or Observation), tested on Linux too.

/// The phone's APNs token: handed to the core whenever iOS gives one (every launch, and when it
/// changes), and again after every login — logging out makes the core forget it, and
/// registering needs someone logged in. The same token again is a no-op in the core.
public final class PushRegistration: @unchecked Sendable {
    private let app: LvzhiApp
    private let lock = NSLock()
    private var token: String?

    public init(app: LvzhiApp) { self.app = app }

    /// APNs' device token as the core wants it: lowercase hex, two digits a byte.
    public static func hex(_ deviceToken: Data) -> String {
        deviceToken.map { String(format: "%02x", $0) }.joined()
    }

    /// `application(_:didRegisterForRemoteNotificationsWithDeviceToken:)`: kept, and registered
    /// if someone is logged in.
    @discardableResult
    public func received(deviceToken: Data) -> Bool {
        lock.lock()
        token = Self.hex(deviceToken)
        lock.unlock()
        return register()
    }

    /// Registers the last token again (after a login); false without a token or a login.
    @discardableResult
    public func register() -> Bool {
        lock.lock()
        let token = self.token
        lock.unlock()
        guard let token, app.me() != nil else { return false }
        return (try? app.registerPushToken(vendor: .apns, token: token)) != nil
    }
}

/// 我的 → 设置 → 推送通知: a master switch, a switch per kind of push and the quiet hours
/// (22:00–07:00 China time unless changed; equal minutes mean none). Saved in the core at once;
/// they travel through sync to the person's other phones and to the server.
public final class NotificationSettingsModel: @unchecked Sendable {
    public let settings: Live<NotificationSettings?>
    public let error = Live<String?>(nil)
    private let app: LvzhiApp
    /// The window the quiet-hours switch turns back on: the last one in force, else 22:00–07:00.
    public private(set) var quietWindow: (from: UInt16, until: UInt16)

    public static let defaultQuiet: (from: UInt16, until: UInt16) = (22 * 60, 7 * 60)

    /// The switches, in order, with the core's names.
    public static let kinds: [(PushKind, String)] = pushKinds().map { ($0, pushKindLabel(kind: $0)) }

    public init(app: LvzhiApp) {
        self.app = app
        let current = try? app.notificationSettings()
        settings = Live(current)
        if let current, Self.hasQuietHours(current) {
            quietWindow = (current.quietFromMinute, current.quietUntilMinute)
        } else {
            quietWindow = Self.defaultQuiet
        }
    }

    public static func isOn(_ s: NotificationSettings, _ kind: PushKind) -> Bool { !s.off.contains(kind) }

    public static func hasQuietHours(_ s: NotificationSettings) -> Bool { s.quietFromMinute != s.quietUntilMinute }

    /// 「免打扰 22:00–07:00」
    public static func quietLabel(_ window: (from: UInt16, until: UInt16)) -> String {
        "免打扰 \(clock(window.from))–\(clock(window.until))"
    }

    /// Minutes after midnight as 「07:00」.
    public static func clock(_ minute: UInt16) -> String { String(format: "%02d:%02d", Int(minute) / 60, Int(minute) % 60) }

    /// Reads them again (a sync may have brought a change made on another phone).
    public func refresh() {
        guard let s = try? app.notificationSettings() else { return }
        settings.set(s)
        if Self.hasQuietHours(s) { quietWindow = (s.quietFromMinute, s.quietUntilMinute) }
    }

    @discardableResult
    public func setEnabled(_ on: Bool) -> Bool { save { $0.enabled = on } }

    @discardableResult
    public func set(_ kind: PushKind, _ on: Bool) -> Bool {
        save { s in
            var off = Set(s.off)
            if on { off.remove(kind) } else { off.insert(kind) }
            // Kept in the settings' own order, each kind once.
            s.off = Self.kinds.map(\.0).filter { off.contains($0) }
        }
    }

    /// Quiet hours on (the remembered window) or off (both minutes equal).
    @discardableResult
    public func setQuietHours(_ on: Bool) -> Bool {
        let window = quietWindow
        return save { s in
            s.quietFromMinute = on ? window.from : 0
            s.quietUntilMinute = on ? window.until : 0
        }
    }

    private func save(_ change: (inout NotificationSettings) -> Void) -> Bool {
        guard var next = settings.value else { return false }
        change(&next)
        return reporting(into: error) {
            try app.setNotificationSettings(settings: next)
            settings.set(next)
        }
    }
}
