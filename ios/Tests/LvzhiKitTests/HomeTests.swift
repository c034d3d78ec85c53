import Foundation
import XCTest
@testable import LvzhiKit

/// 首页, the reminder schedule and its switches, 扫码签到, older chat history, a file sent and
/// 退出登录 through the Swift holders, on a real server.
final class HomeTests: ServerTestCase {
    var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    final class Recorder: ReminderScheduling, @unchecked Sendable {
        private let lock = NSLock()
        private var handed: [[ScheduledReminder]] = []
        func replace(_ schedule: [ScheduledReminder]) { lock.lock(); handed.append(schedule); lock.unlock() }
        var last: [ScheduledReminder] { lock.lock(); defer { lock.unlock() }; return handed.last ?? [] }
    }

    /// 2027-03-10 at h:m in China, plus days.
    func at(_ days: Int64, _ h: Int64, _ m: Int64 = 0) -> Int64 {
        // 2027-03-10 00:00 CST is 2027-03-09 16:00 UTC.
        let midnight: Int64 = 1_804_608_000_000
        return midnight + days * 86_400_000 + h * 3_600_000 + m * 60_000
    }

    func testTheScheduleOfAFixtureDayKeepsTheQuietHours() {
        let todo = [
            Reminder(kind: .noticeReply, action: "请回复通知回执", title: "关于报送年度履职情况的通知", dueAtMs: at(2, 2), entity: "notice", id: "n1"),
            Reminder(kind: .meeting, action: "即将召开，请按时参加", title: "县政协常委会议", dueAtMs: at(1, 7, 30), entity: "meeting", id: "m1"),
            Reminder(kind: .coSign, action: "请确认是否联名", title: "关于加强农村饮水安全的提案", dueAtMs: nil, entity: "proposal", id: "p1"),
        ]
        let all = ReminderSettings(noticeReply: true, meeting: true, coSign: true, evaluation: true)
        let plan = planReminders(reminders: todo, firstSeenMs: [:], nowMs: at(0, 9), settings: all)
        XCTAssertEqual(plan.map(\.key), ["联名邀请:p1", "会议活动:m1:hour", "通知回执:n1"])
        XCTAssertEqual(plan.map(\.atMs), [at(0, 10), at(1, 7), at(1, 7)])
        var noCoSign = all
        noCoSign.coSign = false
        XCTAssertEqual(planReminders(reminders: Array(todo.dropFirst()), firstSeenMs: [:], nowMs: at(0, 9), settings: noCoSign).map(\.key), ["会议活动:m1:hour"])
        // A tapped notification names the item the app opens.
        let taps = ReminderTaps()
        taps.tapped(entity: plan[1].entity, id: plan[1].id)
        XCTAssertEqual(taps.item.value, ItemRef(entity: "meeting", id: "m1"))
        taps.dismiss()
        XCTAssertNil(taps.item.value)
    }

    func testHomeRemindersAndCheckInByCode() throws {
        let staff = try loggedIn("chenjing")
        let title = "关于开展委员进基层活动的通知"
        let notice = try staff.publishNotice(orgId: nil, content: NoticeContent(
            title: title, body: "请各位委员报名参加。", kind: .work, audience: .members(subordinates: false),
            asksReply: true, replyDeadlineMs: nowMs + 5 * 86_400_000
        ))
        let start = nowMs + 3 * 86_400_000
        let meeting = try staff.createMeeting(orgId: nil, draft: MeetingDraft(
            kind: .plenary, title: "县政协全体委员会议", startsAtMs: start, endsAtMs: start + 3_600_000,
            place: "县会堂", organiser: "办公室", agenda: "", halfDays: 1,
            enrolment: .invitation(personIds: ["demo-wangfang"]), leaveNeedsApproval: false
        ))
        try sync(staff)
        let now = nowMs
        let code = try run { try await staff.checkInCode(meetingId: meeting, notBeforeMs: now - 60_000, notAfterMs: start + 3_600_000) }
        let wang = try loggedIn("wangfang")
        let home = HomeModel(app: wang)
        eventually("the home page lists both") {
            guard let h = home.home.value else { return false }
            return h.todo.count == 2 && h.unreadNotices.contains { $0.id == notice } && h.meetings.contains { $0.id == meeting } && h.isMember
        }
        // The system's notifications follow the schedule; answering the notice takes its one off.
        let recorder = Recorder()
        let sync = ReminderSync(app: wang, scheduler: recorder)
        XCTAssertTrue(recorder.last.contains { $0.id == notice })
        try wang.answerNotice(id: notice, answer: .attend, note: "")
        eventually("the answered notice left the schedule") { !recorder.last.contains { $0.id == notice } }
        let settings = ReminderSettingsModel(app: wang, scheduler: recorder)
        XCTAssertTrue(settings.set(.meeting, false))
        XCTAssertFalse(recorder.last.contains { $0.kind == .meeting })
        XCTAssertEqual(try wang.reminderSettings().meeting, false)
        // 扫码签到 offline: the code names its meeting; a wrong one is refused in Chinese.
        stopServer()
        let checkIn = CheckInModel(app: wang)
        XCTAssertFalse(checkIn.submit("LZQD1.x.y"))
        XCTAssertEqual(checkIn.state.value, .failed("签到码无效"))
        XCTAssertTrue(checkIn.submit(code + "\n"))
        XCTAssertEqual(checkIn.state.value, .done(meetingId: meeting, title: "县政协全体委员会议"))
        XCTAssertEqual(try wang.meeting(id: meeting).item.checkedIn, true)
        // The code staff show is drawn from the core's modules.
        let qr = try XCTUnwrap(qrModules(code))
        XCTAssertEqual(qr.dark.count, Int(qr.size * qr.size))
        sync.stop()
        home.stop()
    }

    func testOlderMessagesAFileAndLoggingOutWithUnsentWork() throws {
        let staff = try loggedIn("chenjing")
        let group = try staff.createGroup(name: "经济界别学习交流群", kind: .sector, memberIds: ["demo-zhangming"])
        for i in 1...120 { _ = try staff.sendMessage(groupId: group, text: "第\(i)条：学习《政协章程》第\(i)页体会", replyTo: nil, mentions: []) }
        try sync(staff)
        let zhang = try loggedIn("zhangming")
        let chat = ChatTimelineModel(app: zhang, groupId: group)
        eventually("the newest hundred") { chat.items.value.count == 100 }
        XCTAssertTrue(try run { await chat.loadOlder() })
        XCTAssertEqual(chat.older.value.first?.text, "第1条：学习《政协章程》第1页体会")
        XCTAssertEqual(chat.older.value.count, 20)
        XCTAssertTrue(chat.noMore.value)
        // A file from the picker: shown at once, sent with its upload.
        XCTAssertTrue(chat.sendFile(name: "调研笔记.txt", contentType: "text/plain", data: Data("金牛镇葡萄产业调研笔记".utf8)))
        eventually("the file's message is in the timeline") { chat.items.value.contains { $0.attachments.first?.name == "调研笔记.txt" } }
        chat.stop()
        // Offline, one more write: logging out asks first, then discards when told.
        stopServer()
        XCTAssertTrue(chat.send("这条还没有发出"))
        let logout = LogoutModel(app: zhang)
        try run { await logout.request() }
        guard case .confirming(let n) = logout.state.value else { return XCTFail("\(logout.state.value)") }
        XCTAssertGreaterThanOrEqual(n, 1)
        logout.cancel()
        XCTAssertNotNil(zhang.me())
        try run { await logout.logout(discardUnsent: true) }
        XCTAssertEqual(logout.state.value, .loggedOut)
        XCTAssertNil(zhang.me())
    }
}
