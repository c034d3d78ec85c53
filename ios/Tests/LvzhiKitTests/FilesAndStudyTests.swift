import Foundation
import XCTest
@testable import LvzhiKit

/// Files, study and news through the generated Swift bindings, on a real server.
final class FilesAndStudyTests: ServerTestCase {
    func pdf(_ size: Int) -> Data { Data("%PDF-1.7\n".utf8) + Data((0..<size).map { UInt8($0 % 251) }) }

    func testAFileSentInAGroupIsDownloadedWithProgressAndOpensOffline() throws {
        let staff = try loggedIn("chenjing")
        let group = try staff.createGroup(name: "农业和农村界学习交流群", kind: .sector, memberIds: ["demo-zhangming", "demo-lihua"])
        try sync(staff)
        let zhang = try loggedIn("zhangming")
        let a = try zhang.attachFile(name: "宾川县柑橘冷链调研.pdf", contentType: "application/pdf", data: pdf(300_000), keepOriginal: false)
        _ = try zhang.sendMessageWithFiles(groupId: group, text: "调研报告请参阅", attachments: [a])
        XCTAssertThrowsError(try zhang.attachFile(name: "安装包.exe", contentType: "application/x-msdownload", data: Data([1, 2]), keepOriginal: false)) {
            XCTAssertEqual(userMessage($0), "不支持的文件类型：application/x-msdownload")
        }
        try sync(zhang)
        let li = try loggedIn("lihua")
        let transfers = TransfersModel(app: li)
        XCTAssertEqual(transfers.views([a]).first?.state, .notHere)
        XCTAssertEqual(transfers.views([a]).first?.caption, "PDF文档 · 293 KB")
        XCTAssertTrue(try run { await transfers.download(a) }, transfers.error.value ?? "")
        eventually("the progress reached its end") { transfers.progress.value[a.hash].map { $0.done == $0.total } == true }
        stopServer()
        XCTAssertEqual(transfers.bytes(a.hash)?.count, 300_009)
        let cache = CacheModel(app: li)
        XCTAssertEqual(cache.label, "已用 293 KB / 200 MB")
        XCTAssertTrue(cache.clear())
        XCTAssertNil(transfers.bytes(a.hash))
        try startServer()
        transfers.stop()
    }

    func testAMaterialStudiedOfflineWithANoteEntersTheDutyRecord() throws {
        let staff = try loggedIn("chenjing")
        let id = try staff.publishMaterial(orgId: nil, draft: MaterialDraft(
            title: "乡村振兴促进法学习辅导",
            body: "乡村振兴促进法明确了产业发展、人才支撑、文化繁荣、生态保护和组织建设五个方面。",
            series: "乡村振兴专题", order: 1, attachments: [], video: nil, audience: .members(subordinates: false)
        ))
        _ = try staff.publishNews(orgId: nil, draft: NewsDraft(title: "宾川县政协召开常委会议", summary: "", body: "会议审议通过了年度协商计划。", cover: nil, subordinates: true))
        try sync(staff)
        let zhang = try loggedIn("zhangming")
        let list = MaterialListModel(app: zhang)
        eventually("the material arrived") { list.items.value.contains { $0.material.id == id } }
        let news = NewsFeedModel(app: zhang)
        eventually("the news arrived") { news.items.value.contains { $0.title == "宾川县政协召开常委会议" } }
        stopServer()
        let m = MaterialModel(app: zhang, id: id)
        XCTAssertFalse(m.studied)
        XCTAssertEqual(m.detail.value?.actions.map(\.action), [.materialMarkStudied])
        XCTAssertTrue(m.take(.materialMarkStudied), m.error.value ?? "")
        XCTAssertEqual(m.detail.value?.actions, [], "studied once, not offered again")
        XCTAssertFalse(m.writeNote("x", quote: "正文里没有的话"))
        XCTAssertEqual(m.error.value, "标注的文字不在资料正文中")
        XCTAssertTrue(m.writeNote("宾川县要把柑橘产业做成富民产业", quote: "产业发展"))
        XCTAssertEqual(m.detail.value?.study?.notes.count, 1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let keys = try zhang.dutyRecord(year: Int32(calendar.component(.year, from: Date()))).lines.map(\.fact.key)
        XCTAssertTrue(keys.contains("material_studied") && keys.contains("study_note"), "\(keys)")
        try startServer()
        list.stop()
        news.stop()
    }
}
