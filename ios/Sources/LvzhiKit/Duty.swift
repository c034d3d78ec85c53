import Foundation

// 通知公告, 会议活动, 待办 and 履职档案: plain Swift state holders over the core's calls and
// listeners (no Combine or Observation, so they are tested on Linux too). The core applies every
// action at once, offline; a refusal lands in `error` in Chinese.

/// 通知 list, newest first, kept current by the core.
public final class NoticeListModel: LiveListModel<NoticeItem>, NoticeListListener {
    public var notices: Live<[NoticeItem]> { items }

    public init(app: LvzhiApp) {
        super.init(initial: (try? app.notices()) ?? [])
        subscription = app.observeNotices(listener: self)
    }

    public func onNotices(notices list: [NoticeItem]) { items.set(list) }

    /// Notices addressed to this user that still want a 回执.
    public var unanswered: [NoticeItem] {
        items.value.filter { $0.addressedToMe && $0.asksReply && $0.answerLabel == nil && !$0.withdrawn }
    }
}

/// One notice: opening it marks it read; its 回执 and 撤回 are the core's forms (`take`); staff
/// read the follow-up.
public final class NoticeDetailModel: DetailModel<NoticeDetail> {
    public init(app: LvzhiApp, id: String) {
        super.init(app: app, id: id) { app, id in try app.openNotice(id: id) }
    }

    public func followUp() -> FollowUp? { try? app.noticeFollowUp(id: id) }
}

/// 会议活动, soonest first, kept current by the core.
public final class MeetingListModel: LiveListModel<MeetingItem>, MeetingListListener {
    public var meetings: Live<[MeetingItem]> { items }

    public init(app: LvzhiApp) {
        super.init(initial: (try? app.meetings()) ?? [])
        subscription = app.observeMeetings(listener: self)
    }

    public func onMeetings(meetings list: [MeetingItem]) { items.set(list) }
}

/// One meeting: what this user may do there now (参加/请假, 报名/取消, 签到 by code; for staff,
/// the roster's leaves, check-ins and absences, the speakers) as the core's forms, taken with
/// `take`; and for staff, the check-in code.
public final class MeetingDetailModel: DetailModel<MeetingDetail> {
    public init(app: LvzhiApp, id: String) {
        super.init(app: app, id: id) { app, id in try app.meeting(id: id) }
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
public final class ReminderListModel: LiveListModel<Reminder>, ReminderListener {
    public var reminders: Live<[Reminder]> { items }

    public init(app: LvzhiApp) {
        super.init(initial: (try? app.reminders()) ?? [])
        subscription = app.observeReminders(listener: self)
    }

    public func onReminders(reminders list: [Reminder]) { items.set(list) }
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
    /// A member's own entries; for staff, their organisation's, each with what they may do to it.
    public let entries = Live<[DutyEntryLine]>([])
    public let app: LvzhiApp
    public let error = Live<String?>(nil)

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

    /// 认定 or 退回 an entry: the core's forms on its line.
    @discardableResult public func take(entryId: String, _ form: ActionFormModel) -> Bool {
        act { try app.takeAction(itemId: entryId, kind: form.form.action, values: form.formValues) }
    }
}

/// 意见建议: anyone writes to the organisation's administrators and reads their answer.
public final class FeedbackModel: @unchecked Sendable {
    /// Each with 答复 for the organisation's administrators while unanswered.
    public let items = Live<[FeedbackLine]>([])
    public let error = Live<String?>(nil)
    public let app: LvzhiApp

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
    /// 答复: the core's form on the line.
    @discardableResult public func take(feedbackId: String, _ form: ActionFormModel) -> Bool {
        act { try app.takeAction(itemId: feedbackId, kind: form.form.action, values: form.formValues) }
    }
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
