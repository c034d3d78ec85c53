import Foundation

// 通知公告, 会议活动, 待办 and 履职档案: plain Swift state holders over the core's calls and
// listeners (no Combine or Observation, so they are tested on Linux too). The core applies every
// action at once, offline; a refusal lands in `error` in Chinese.

/// 通知 list, newest first, kept current by the core.
public final class NoticeListModel: NoticeListListener, @unchecked Sendable {
    public let notices: Live<[NoticeItem]>
    private var subscription: Subscription?

    public init(app: LvzhiApp) {
        notices = Live((try? app.notices()) ?? [])
        subscription = app.observeNotices(listener: self)
    }

    public func onNotices(notices list: [NoticeItem]) { notices.set(list) }

    /// Notices addressed to this user that still want a 回执.
    public var unanswered: [NoticeItem] {
        notices.value.filter { $0.addressedToMe && $0.asksReply && $0.answerLabel == nil && !$0.withdrawn }
    }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// One notice: opening it marks it read; the 回执 is answered here; staff read the follow-up.
public final class NoticeDetailModel: @unchecked Sendable {
    public let detail = Live<NoticeDetail?>(nil)
    public let error = Live<String?>(nil)
    public let id: String
    private let app: LvzhiApp

    public init(app: LvzhiApp, id: String) {
        self.app = app
        self.id = id
        attempt { self.detail.set(try app.openNotice(id: id)) }
    }

    @discardableResult
    private func attempt(_ body: () throws -> Void) -> Bool { reporting(into: error, body) }

    @discardableResult
    public func answer(_ option: ReplyOption, note: String = "") -> Bool {
        attempt {
            try app.answerNotice(id: id, answer: option, note: note)
            detail.set(try app.openNotice(id: id))
        }
    }

    public func followUp() -> FollowUp? { try? app.noticeFollowUp(id: id) }
}

/// 会议活动, soonest first, kept current by the core.
public final class MeetingListModel: MeetingListListener, @unchecked Sendable {
    public let meetings: Live<[MeetingItem]>
    private var subscription: Subscription?

    public init(app: LvzhiApp) {
        meetings = Live((try? app.meetings()) ?? [])
        subscription = app.observeMeetings(listener: self)
    }

    public func onMeetings(meetings list: [MeetingItem]) { meetings.set(list) }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// One meeting: 参加/请假, 报名/取消, 签到 by code; for staff, leave approval and manual check-in.
public final class MeetingDetailModel: @unchecked Sendable {
    public let detail = Live<MeetingDetail?>(nil)
    public let error = Live<String?>(nil)
    public let id: String
    public let app: LvzhiApp

    public init(app: LvzhiApp, id: String) {
        self.app = app
        self.id = id
        refresh()
    }

    public func refresh() { act {} }

    @discardableResult
    private func act(_ body: () throws -> Void) -> Bool {
        reporting(into: error) {
            try body()
            detail.set(try app.meeting(id: id))
        }
    }

    @discardableResult public func attend() -> Bool { act { try app.replyMeeting(meetingId: id, leaveReason: nil) } }
    @discardableResult public func requestLeave(_ reason: String) -> Bool { act { try app.replyMeeting(meetingId: id, leaveReason: reason) } }
    @discardableResult public func signUp() -> Bool { act { try app.signUp(meetingId: id) } }
    @discardableResult public func cancelSignUp() -> Bool { act { try app.cancelSignUp(meetingId: id) } }
    @discardableResult public func checkIn(code: String) -> Bool { act { try app.checkIn(meetingId: id, code: code) } }
    @discardableResult public func decideLeave(personId: String, approve: Bool) -> Bool {
        act { try app.decideLeave(meetingId: id, personId: personId, approve: approve, note: "") }
    }
    @discardableResult public func checkIn(personId: String) -> Bool { act { try app.checkInPerson(meetingId: id, personId: personId) } }
    @discardableResult public func markAbsent(personId: String, excused: Bool) -> Bool {
        act { try app.markAbsent(meetingId: id, personId: personId, excused: excused) }
    }

    /// Staff: the signed check-in code to show or print at the venue (from an hour before the
    /// meeting to its end). Fetched once, online; it then works with no network.
    public let code = Live<String?>(nil)

    public func fetchCode() async {
        guard let m = detail.value?.meeting else { return }
        do {
            code.set(try await app.checkInCode(meetingId: id, notBeforeMs: m.startsAtMs - 3_600_000, notAfterMs: m.endsAtMs))
            error.set(nil)
        } catch {
            self.error.set(userMessage(error))
        }
    }
}

/// 待办: what is due, soonest first, for the screen and for local notifications.
public final class ReminderListModel: ReminderListener, @unchecked Sendable {
    public let reminders: Live<[Reminder]>
    private var subscription: Subscription?

    public init(app: LvzhiApp) {
        reminders = Live((try? app.reminders()) ?? [])
        subscription = app.observeReminders(listener: self)
    }

    public func onReminders(reminders list: [Reminder]) { reminders.set(list) }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// 履职档案: the member's year, each fact with the rule that counts it.
public final class DutyRecordModel: @unchecked Sendable {
    public let record = Live<DutyRecord?>(nil)
    public let error = Live<String?>(nil)
    public let year: Int32
    private let app: LvzhiApp

    public init(app: LvzhiApp, year: Int32) {
        self.app = app
        self.year = year
        refresh()
    }

    public func refresh() {
        reporting(into: error) { record.set(try app.dutyRecord(year: year)) }
    }

    /// 年度履职报告 as a printable page.
    public func annualReport() -> String? { try? app.annualReport(year: year) }
}

/// 自主履职: a member reports duties done outside the app; staff accept or return them.
public final class SelfReportModel: @unchecked Sendable {
    public let entries = Live<[DutyEntry]>([])
    public let error = Live<String?>(nil)
    private let app: LvzhiApp

    public init(app: LvzhiApp) {
        self.app = app
        entries.set((try? app.dutyEntries()) ?? [])
    }

    @discardableResult
    private func act(_ body: () throws -> Void) -> Bool {
        reporting(into: error) {
            try body()
            entries.set(try app.dutyEntries())
        }
    }

    @discardableResult public func submit(title: String, description: String, dateMs: Int64) -> Bool {
        act { _ = try app.submitSelfReport(title: title, description: description, dateMs: dateMs) }
    }

    @discardableResult public func decide(id: String, accept: Bool, reason: String = "") -> Bool {
        act { try app.decideSelfReport(entryId: id, accept: accept, reason: reason) }
    }
}

/// 意见建议: anyone writes to the organisation's administrators and reads their answer.
public final class FeedbackModel: @unchecked Sendable {
    public let items = Live<[Feedback]>([])
    public let error = Live<String?>(nil)
    private let app: LvzhiApp

    public init(app: LvzhiApp) {
        self.app = app
        refresh()
    }

    public func refresh() { items.set((try? app.feedback()) ?? []) }

    @discardableResult
    private func act(_ body: () throws -> Void) -> Bool {
        reporting(into: error) {
            try body()
            refresh()
        }
    }

    @discardableResult public func send(_ text: String) -> Bool { act { _ = try app.sendFeedback(text: text) } }
    @discardableResult public func answer(id: String, text: String) -> Bool { act { try app.answerFeedback(feedbackId: id, answer: text) } }
}

/// Staff publish a notice: title, text, kind, audience, and an optional 回执 with a deadline.
public final class PublishNoticeModel: @unchecked Sendable {
    public let error = Live<String?>(nil)
    public let published = Live<String?>(nil)
    private let app: LvzhiApp

    public init(app: LvzhiApp) { self.app = app }

    /// `replyDays` nil: no 回执 asked.
    @discardableResult
    public func publish(title: String, body: String, kind: NoticeKind, audience: Audience, replyDays: Int?) -> Bool {
        let deadline = replyDays.map { Int64(Date().timeIntervalSince1970 * 1000) + Int64($0) * 86_400_000 }
        let content = NoticeContent(
            title: title, body: body, kind: kind, audience: audience, asksReply: deadline != nil, replyDeadlineMs: deadline
        )
        return reporting(into: error) { published.set(try app.publishNotice(orgId: nil, content: content)) }
    }
}
