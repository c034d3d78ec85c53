import Foundation
import XCTest
@testable import LvzhiKit

/// Member actions the screens now offer, through the Swift holders on a real server: a notice's
/// files, one's own post edited, a study note shared into a group, a report written jointly in
/// a sector's name, a township consultation with several points.
final class MemberActionTests: ServerTestCase {
    var nowMs: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    func testTheNewlyReachableMemberActions() throws {
        let staff = try loggedIn("chenjing")
        let handbook = try staff.attachFile(name: "委员履职手册.pdf", contentType: "application/pdf", data: Data("%PDF-1.4 委员履职手册".utf8), keepOriginal: false)
        let notice = try staff.publishNotice(orgId: nil, content: NoticeContent(
            title: "关于印发《委员履职手册》的通知", body: "请认真学习。", kind: .work, audience: .members(subordinates: false),
            asksReply: false, replyDeadlineMs: nil, attachments: [handbook]
        ))
        let topic = try staff.openTopic(orgId: nil, draft: TopicDraft(
            title: "如何做好农村寄宿制学校营养改善", background: "请委员建言。", audience: .members(subordinates: false),
            opensAtMs: nowMs, closesAtMs: nowMs + 86_400_000
        ))
        let material = try staff.publishMaterial(orgId: nil, draft: MaterialDraft(
            title: "《政协章程》学习辅导", body: "政协章程总纲明确了人民政协的性质和任务。", series: nil, order: 1,
            attachments: [], video: nil, audience: .members(subordinates: false)
        ))
        let group = try staff.createGroup(name: "农业和农村界学习交流群", kind: .sector, memberIds: ["demo-zhangming", "demo-lihua"])
        try sync(staff)
        eventually("the handbook is uploaded") {
            try? self.sync(staff)
            return (try? staff.transfers())?.isEmpty == true
        }
        let zhang = try loggedIn("zhangming")

        // The notice's file, downloaded and opened.
        let n = NoticeDetailModel(app: zhang, id: notice)
        let file = try XCTUnwrap(n.detail.value?.attachments.first)
        XCTAssertEqual(file.name, "委员履职手册.pdf")
        let transfers = TransfersModel(app: zhang)
        XCTAssertTrue(try run { await transfers.download(file) })
        XCTAssertEqual(transfers.bytes(file.hash), Data("%PDF-1.4 委员履职手册".utf8))
        transfers.stop()

        // One's own post, edited.
        let t = TopicDetailModel(app: zhang, id: topic)
        XCTAssertTrue(t.post("建议统一配送食材。"))
        let post = try XCTUnwrap(t.detail.value?.posts.first)
        XCTAssertTrue(t.edit(postId: post.id, text: "建议由乡镇中心校统一配送食材。"))
        XCTAssertEqual(t.detail.value?.posts.first?.text, "建议由乡镇中心校统一配送食材。")

        // A study note shared into a group.
        let m = MaterialModel(app: zhang, id: material)
        XCTAssertTrue(m.writeNote("政协是社会主义协商民主的重要渠道和专门协商机构。"))
        let note = try XCTUnwrap(m.detail.value?.study?.notes.first)
        XCTAssertTrue(m.share(noteId: note.id, groupId: group))
        XCTAssertTrue(try zhang.timeline(groupId: group, limit: 20).contains { $0.text.contains("政协是社会主义协商民主") })

        // A report written jointly, in a sector's name.
        let sector = try XCTUnwrap(try zhang.people().first { $0.id == "demo-zhangming" }?.groups.first)
        let r = ReportEditorModel(app: zhang)
        r.title = "关于加强山区葡萄冻害防范的建议"
        r.situation = "今冬宾川县山区葡萄遭遇冻害。"
        r.suggestion = "建议推广防冻棚膜。"
        r.coAuthors = ["demo-lihua"]
        r.authorGroup = sector
        XCTAssertTrue(r.save(), r.error.value ?? "")
        let report = try zhang.report(id: XCTUnwrap(r.id)).report
        XCTAssertEqual(report.authorIds, ["demo-zhangming", "demo-lihua"])
        XCTAssertEqual(report.authorGroup, sector)

        // A township consultation with two points.
        let c = ConsultationModel(app: zhang)
        let cid = try XCTUnwrap(c.record(township: "金牛镇", topic: "葡萄冷库建设选址", residents: 36, points: [
            ("冷库建在镇物流园区", "金牛镇人民政府"), ("合作社统一管理冷库", "县农业农村局"),
        ]), c.error.value ?? "")
        XCTAssertEqual(try zhang.consultation(id: cid).points.map(\.unit), ["金牛镇人民政府", "县农业农村局"])
    }
}
