import Foundation

// 首页, local notifications for 待办 and their switches, 扫码签到 and 退出登录: plain Swift over
// the core's calls and listeners (no Combine or Observation, so they are tested on Linux too).

/// 首页: what needs the member now, kept current by the core after every change.
public final class HomeModel: HomeListener, @unchecked Sendable {
    public let home: Live<HomeView?>
    private var subscription: Subscription?

    public init(app: LvzhiApp) {
        home = Live(try? app.home())
        subscription = app.observeHome(listener: self)
    }

    public func onHome(home view: HomeView) { home.set(view) }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// The phone's system notifications: the app hands the core's schedule to the OS
/// (UNUserNotificationCenter on iOS), replacing what it handed before.
public protocol ReminderScheduling: AnyObject, Sendable {
    func replace(_ schedule: [ScheduledReminder])
}

/// An item a reminder names (`notice`, `meeting`, `proposal`), to open when its notification is tapped.
public struct ItemRef: Equatable, Identifiable, Sendable {
    public let entity: String
    public let id: String
    public init(entity: String, id: String) {
        self.entity = entity
        self.id = id
    }
}

/// The reminder the member tapped in the system's notifications: the app's notification delegate
/// reports it, the root view opens its item and dismisses it.
public final class ReminderTaps: @unchecked Sendable {
    public let item = Live<ItemRef?>(nil)
    public init() {}
    public func tapped(entity: String, id: String) { item.set(ItemRef(entity: entity, id: id)) }
    public func dismiss() { item.set(nil) }
}

/// Keeps the system's notifications equal to the core's schedule: at once, then whenever 待办
/// change (after each sync and each action).
public final class ReminderSync: ReminderListener, @unchecked Sendable {
    private let app: LvzhiApp
    private let scheduler: ReminderScheduling
    private var subscription: Subscription?

    public init(app: LvzhiApp, scheduler: ReminderScheduling) {
        self.app = app
        self.scheduler = scheduler
        refresh()
        subscription = app.observeReminders(listener: self)
    }

    public func onReminders(reminders: [Reminder]) { refresh() }

    public func refresh() {
        if let schedule = try? app.reminderSchedule() { scheduler.replace(schedule) }
    }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// 我的 → 设置 → 提醒: one switch per kind; each change reschedules at once.
public final class ReminderSettingsModel: @unchecked Sendable {
    public let settings: Live<ReminderSettings?>
    public let error = Live<String?>(nil)
    private let app: LvzhiApp
    private let scheduler: ReminderScheduling?

    /// The switches, in order, with the core's names.
    public static let kinds: [(ReminderKind, String)] =
        [.noticeReply, .meeting, .coSign, .evaluation].map { ($0, reminderKindLabel(kind: $0)) }

    public init(app: LvzhiApp, scheduler: ReminderScheduling?) {
        self.app = app
        self.scheduler = scheduler
        settings = Live(try? app.reminderSettings())
    }

    public static func isOn(_ s: ReminderSettings, _ kind: ReminderKind) -> Bool {
        switch kind {
        case .noticeReply: return s.noticeReply
        case .meeting: return s.meeting
        case .coSign: return s.coSign
        case .evaluation: return s.evaluation
        }
    }

    @discardableResult
    public func set(_ kind: ReminderKind, _ on: Bool) -> Bool {
        guard var next = settings.value else { return false }
        switch kind {
        case .noticeReply: next.noticeReply = on
        case .meeting: next.meeting = on
        case .coSign: next.coSign = on
        case .evaluation: next.evaluation = on
        }
        return reporting(into: error) {
            try app.setReminderSettings(settings: next)
            settings.set(next)
            scheduler?.replace(try app.reminderSchedule())
        }
    }
}

/// 扫码签到: a code read by the camera (or pasted) names its meeting; the core verifies it with
/// that meeting's key and records the check-in at once, offline. The same code twice checks in
/// once.
public final class CheckInModel: @unchecked Sendable {
    public enum State: Equatable, Sendable {
        case waiting
        case done(meetingId: String, title: String)
        case failed(String)
    }

    public let state = Live<State>(.waiting)
    private let app: LvzhiApp
    private var lastCode: String?

    public init(app: LvzhiApp) { self.app = app }

    @discardableResult
    public func submit(_ code: String) -> Bool {
        let trimmed = code.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            state.set(.failed("请扫描或粘贴签到码"))
            return false
        }
        if trimmed == lastCode, case .done = state.value { return true }
        lastCode = trimmed
        do {
            let id = try app.checkInWithCode(code: trimmed)
            state.set(.done(meetingId: id, title: (try? app.meeting(id: id).meeting.title) ?? ""))
            return true
        } catch {
            state.set(.failed(userMessage(error)))
            return false
        }
    }
}

/// The check-in code staff show, as the core draws it: `size × size` modules, `true` for dark.
public func qrModules(_ text: String) -> QrMatrix? { try? qrCode(text: text) }

/// 退出登录: with work not yet sent, the screen says how much would be lost and asks first.
public final class LogoutModel: @unchecked Sendable {
    public enum State: Equatable, Sendable {
        case idle
        /// Asking: this many writes are not yet on the server.
        case confirming(unsent: Int)
        case loggedOut
        case failed(String)
    }

    public let state = Live<State>(.idle)
    private let app: LvzhiApp
    private let login: LoginModel?

    /// `login`, if given, shows the login screen again once logged out.
    public init(app: LvzhiApp, login: LoginModel? = nil) {
        self.app = app
        self.login = login
    }

    /// The button: logs out at once with nothing unsent, otherwise asks.
    public func request() async {
        let unsent = Int((try? app.unsentCount()) ?? 0)
        if unsent > 0 { state.set(.confirming(unsent: unsent)) } else { await logout(discardUnsent: false) }
    }

    public func cancel() { state.set(.idle) }

    public func logout(discardUnsent: Bool) async {
        do {
            try await app.logout(discardUnsent: discardUnsent)
            state.set(.loggedOut)
            login?.state.set(.loggedOut)
        } catch {
            state.set(.failed(userMessage(error)))
        }
    }

    /// What the confirmation says.
    public static func loses(_ n: Int) -> String { "还有\(n)项尚未发送。现在退出，这些内容将从本机删除且无法找回。" }
}
