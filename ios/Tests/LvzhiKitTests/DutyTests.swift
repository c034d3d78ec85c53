import Foundation
import XCTest
@testable import LvzhiKit

/// Notices, meetings, 待办 and the record through the generated Swift bindings, on a real server.
final class DutyTests: ServerTestCase {
    var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func testNoticeAnsweredOfflineAndMeetingCheckedInWithASignedCode() throws {
        let staff = try loggedIn("chenjing")
        let title = "关于召开县政协十三届常委会第八次会议的通知"
        let content = NoticeContent(
            title: title, body: "请于下周一上午9时到县政协三楼会议室参会。", kind: .meeting,
            audience: .members(subordinates: false), asksReply: true, replyDeadlineMs: nowMs + 3 * 86_400_000
        )
        let form = PublishNoticeModel(app: staff)
        XCTAssertFalse(form.publish(title: " ", body: "正文", kind: .work, audience: .members(subordinates: false), replyDays: nil))
        XCTAssertEqual(form.error.value, "标题不能为空")
        XCTAssertTrue(form.publish(title: content.title, body: content.body, kind: .meeting, audience: content.audience, replyDays: 3))
        let noticeId = try XCTUnwrap(form.published.value)
        let start = nowMs + 60_000
        let draft = MeetingDraft(
            kind: .research, title: "宾川县农村饮水安全专题调研", startsAtMs: start, endsAtMs: start + 4 * 3_600_000,
            place: "宾川县平川镇", organiser: "社会和法制委员会", agenda: "", halfDays: 1,
            enrolment: .invitation(personIds: ["demo-zhangming"]), leaveNeedsApproval: false
        )
        let meetingId = try staff.createMeeting(orgId: nil, draft: draft)
        try sync(staff)
        // Staff fetch the code the day before (online); it works at the venue with no network.
        let staffMeeting = MeetingDetailModel(app: staff, id: meetingId)
        try run { await staffMeeting.fetchCode() }
        let code = try XCTUnwrap(staffMeeting.code.value, staffMeeting.error.value ?? "")

        let zhang = try loggedIn("zhangming")
        let list = NoticeListModel(app: zhang)
        let todo = ReminderListModel(app: zhang)
        eventually("the notice arrives") { list.notices.value.contains { $0.id == noticeId } }
        XCTAssertEqual(list.unanswered.map(\.title), [title])
        XCTAssertEqual(Set(todo.reminders.value.map(\.kind)), [.noticeReply, .meeting])

        stopServer()
        let notice = NoticeDetailModel(app: zhang, id: noticeId)
        XCTAssertEqual(notice.detail.value?.item.read, true)
        XCTAssertFalse(notice.take(.noticeAnswer, [FormValue(key: "answer", value: "other"), FormValue(key: "note", value: " ")]))
        XCTAssertEqual(notice.error.value, "选择「其他」时请填写说明")
        XCTAssertTrue(notice.take(.noticeAnswer, [FormValue(key: "answer", value: "attend")]))
        let meeting = MeetingDetailModel(app: zhang, id: meetingId)
        XCTAssertEqual(meeting.detail.value?.actions.map(\.action), [.meetingAttend, .meetingAskLeave, .meetingCheckIn])
        XCTAssertTrue(meeting.take(.meetingAttend))
        XCTAssertFalse(meeting.take(.meetingCheckIn, [FormValue(key: "code", value: String(code.dropLast(2)) + "xx")]))
        XCTAssertEqual(meeting.error.value, "签到码无效")
        XCTAssertTrue(meeting.take(.meetingCheckIn, [FormValue(key: "code", value: code)]), meeting.error.value ?? "")
        XCTAssertEqual(meeting.detail.value?.item.checkedIn, true)
        eventually("nothing is due any more") { todo.reminders.value.filter { $0.kind == .noticeReply }.isEmpty }

        try startServer()
        try sync(zhang, staff)
        let follow = try XCTUnwrap(NoticeDetailModel(app: staff, id: noticeId).followUp())
        XCTAssertEqual(follow.lines.map { "\($0.name)\($0.answer == nil ? "未回执" : "已回执")" }, ["张明已回执", "李华未回执", "王芳未回执"])
        XCTAssertEqual(MeetingDetailModel(app: staff, id: meetingId).detail.value?.roster.map(\.checkedIn), [true])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let record = DutyRecordModel(app: zhang, year: Int32(calendar.component(.year, from: Date())))
        XCTAssertTrue(record.record.value?.lines.contains { $0.fact.source.id == meetingId } ?? false)
        XCTAssertTrue(record.annualReport()?.contains("年度履职报告") ?? false)
        list.stop()
        todo.stop()
    }

    func testSelfReportAcceptedAndFeedbackAnswered() throws {
        let zhang = try loggedIn("zhangming")
        let reports = SelfReportModel(app: zhang)
        XCTAssertFalse(reports.submit(title: "走访农户", description: " ", dateMs: nowMs - 86_400_000))
        XCTAssertEqual(reports.error.value, "请填写履职内容")
        XCTAssertTrue(reports.submit(title: "走访金牛镇葡萄种植户", description: "了解冻害后的补种情况。", dateMs: nowMs - 86_400_000))
        let feedback = FeedbackModel(app: zhang)
        XCTAssertTrue(feedback.send("希望会议材料能提前三天推送。"))
        try sync(zhang)
        let staff = try loggedIn("chenjing")
        let pending = SelfReportModel(app: staff)
        let line = try XCTUnwrap(pending.entries.value.first { $0.entry.status == .submitted })
        XCTAssertEqual(line.actions.map(\.label), ["认定", "退回"])
        XCTAssertTrue(reports.entries.value.allSatisfy { $0.actions.isEmpty }, "a member does not review")
        let accept = ActionFormModel(form: try XCTUnwrap(line.actions.first { $0.action == .selfReportAccept }))
        XCTAssertTrue(pending.take(entryId: line.entry.id, accept), pending.error.value ?? "")
        let admin = try loggedIn("zhaolei")
        let inbox = FeedbackModel(app: admin)
        XCTAssertEqual(FeedbackModel(app: staff).items.value[0].actions, [], "staff are not offered 答复")
        let question = inbox.items.value[0]
        let answer = ActionFormModel(form: try XCTUnwrap(question.actions.first))
        answer.set("answer", "已采纳。")
        XCTAssertTrue(inbox.take(feedbackId: question.feedback.id, answer), inbox.error.value ?? "")
        try sync(staff, admin, zhang)
        feedback.refresh()
        XCTAssertEqual(feedback.items.value.first?.feedback.answer, "已采纳。")
        XCTAssertEqual(SelfReportModel(app: zhang).entries.value.first?.entry.status, .accepted)
    }
}
