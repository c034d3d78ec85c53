import Foundation
import XCTest
@testable import LvzhiKit

/// 社情民意, 网络议政 and 协商在基层 through the generated Swift bindings, on a real server.
final class ConsultTests: ServerTestCase {
    var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func testAReportDraftedOfflineIsEditedAndSentUpAndThePrefectureCountsIt() throws {
        let zhang = try loggedIn("zhangming")
        let staff = try loggedIn("chenjing")
        stopServer()
        let editor = ReportEditorModel(app: zhang)
        editor.title = "关于宾川县农村寄递物流末端网点不足的情况反映"
        XCTAssertFalse(editor.submit())
        XCTAssertEqual(editor.error.value, "社情民意信息不能为空：请填写基本情况")
        editor.situation = "部分行政村快递只能送到乡镇，村民往返取件需一小时以上。"
        editor.analysis = "末端网点运营成本高，单量不足。"
        editor.suggestion = "建议整合邮政、供销和客运资源，建设村级共配站点。"
        XCTAssertNil(editor.lengthWarning)
        XCTAssertTrue(editor.submit(), editor.error.value ?? "")
        let id = try XCTUnwrap(editor.id)
        let mine = ReportListModel(app: zhang)
        XCTAssertEqual(mine.reports.value.first { $0.id == id }?.state, .submitted)
        try startServer()
        try sync(zhang, staff)

        let detail = ReportDetailModel(app: staff, id: id)
        XCTAssertEqual(detail.detail.value?.staffSteps, ["accept", "return", "reject"])
        XCTAssertTrue(detail.take(.reportAccept))
        var edited = try XCTUnwrap(detail.detail.value?.report.content)
        edited.title = "关于农村寄递物流末端网点不足的情况反映"
        XCTAssertTrue(detail.edit(issue: "2027年第4期", content: edited))
        let sendUp = try XCTUnwrap(detail.detail.value?.actions.first { $0.action == .reportSendUp })
        guard case .choice(let options, true) = sendUp.inputs[0].kind else { return XCTFail("\(sendUp)") }
        XCTAssertEqual(options.first?.label, "大理白族自治州政协")
        let filling = ActionFormModel(form: sendUp)
        filling.toggle("destinations", try XCTUnwrap(options.first?.value))
        XCTAssertTrue(detail.take(filling), detail.error.value ?? "")
        try sync(staff, zhang)
        eventually("张明 sees the edition and what changed") {
            ReportDetailModel(app: zhang, id: id).detail.value?.editions.first?.changes.map(\.field) == ["标题"]
        }
        let stats = ReportStatsModel(app: try loggedIn("heyun"))
        try run { await stats.load() }
        let county = try XCTUnwrap(stats.rows.value.first { $0.orgId == "yn-12-03" }, stats.error.value ?? "")
        XCTAssertEqual([county.submitted, county.accepted, county.edited, county.sentUp], [1, 1, 1, 1])
        mine.stop()
    }

    func testPostsASecondASummaryAndATownshipConsultation() throws {
        let staff = try loggedIn("chenjing")
        let topicId = try staff.openTopic(orgId: nil, draft: TopicDraft(
            title: "如何提升宾川县乡村学校午餐质量", background: "全县农村学校营养改善计划覆盖三万余名学生。",
            audience: .members(subordinates: false), opensAtMs: nowMs, closesAtMs: nowMs + 86_400_000
        ))
        try sync(staff)
        let zhang = try loggedIn("zhangming")
        let li = try loggedIn("lihua")
        let topics = TopicListModel(app: zhang)
        eventually("the topic reaches 张明") { topics.topics.value.contains { $0.id == topicId } }
        let z = TopicDetailModel(app: zhang, id: topicId)
        XCTAssertTrue(z.post("建议由乡镇中心校统一配送食材，降低成本。"), z.error.value ?? "")
        let postId = try XCTUnwrap(z.detail.value?.posts.first?.id)
        try sync(zhang, li)
        let l = TopicDetailModel(app: li, id: topicId)
        XCTAssertEqual(l.detail.value?.posts.first?.actions.map(\.action), [.postSecond])
        XCTAssertTrue(l.take(.postSecond, on: postId))
        XCTAssertEqual(l.detail.value?.posts.first?.actions, [], "seconded once, not offered again")
        XCTAssertFalse(l.take(.postSecond, on: postId))
        XCTAssertEqual(l.error.value, "您已附议该意见")
        try sync(li, staff)
        let s = TopicDetailModel(app: staff, id: topicId)
        XCTAssertTrue(s.take(.topicClose))
        let summary = [FormValue(key: "text", value: "委员建议统一配送食材。"), FormValue(key: "quoted", value: postId)]
        XCTAssertTrue(s.take(.topicSummarise, summary), s.error.value ?? "")
        try sync(staff, zhang)
        eventually("张明 sees his post used") {
            TopicDetailModel(app: zhang, id: topicId).detail.value?.posts.first { $0.id == postId }?.used == true
        }

        let c = ConsultationModel(app: staff)
        XCTAssertNil(c.record(township: "金牛镇", topic: "农贸市场规范经营", residents: 42, points: []))
        XCTAssertEqual(c.error.value, "请填写协商共识")
        let cid = try XCTUnwrap(c.record(township: "金牛镇", topic: "农贸市场规范经营", residents: 42, points: [("划定临时摊位区", "金牛镇人民政府")]))
        XCTAssertFalse(c.followUp(id: cid, pointId: "1", status: .notDone, note: ""))
        XCTAssertTrue(c.followUp(id: cid, pointId: "1", status: .done, note: "已启用"))
        XCTAssertEqual(c.items.value.first?.pointsDone, 1)
        topics.stop()
    }
}
