import Foundation
import XCTest
@testable import LvzhiKit

/// The Swift shell against a real server: generated bindings and state holders, the Rust
/// library linked in. The server binary comes from LVZHI_SERVER_BIN.
final class AppScenarioTests: ServerTestCase {
    func testDraftOfflineSubmitReviewAndChat() throws {
        // 登录
        let zhang = try app("zhangming")
        let login = LoginModel(app: zhang)
        try run { await login.login(account: "zhangming", password: "wrong-password", deviceName: "测试iPhone") }
        XCTAssertEqual(login.state.value, .failed("账号或密码错误"))
        let password = self.password
        try run { await login.login(account: "zhangming", password: password, deviceName: "测试iPhone") }
        XCTAssertEqual(login.state.value, .loggedIn(name: "张明"))

        // Offline drafting, editing and submitting; the banner follows the server.
        let banner = SyncBannerModel(app: zhang)
        zhang.startSync(longPollSecs: 1)
        stopServer()
        eventually("the banner turns offline") { banner.banner.value.offline }
        let editor = ProposalEditorModel(app: zhang)
        editor.edit { $0.title = "关于加强农村饮水安全保障的提案"; $0.category = "社会建设" }
        editor.save()
        editor.edit { $0.cause = "部分山区村组供水工程老化。"; $0.suggestions = "实施农村供水保障提升工程。" }
        editor.save()
        XCTAssertEqual(editor.savedRevision.value, 2)
        let id = try XCTUnwrap(editor.proposalId.value)
        let detail = ProposalDetailModel(app: zhang, id: id)
        eventually("the detail arrives") { detail.detail.value != nil }
        XCTAssertTrue(detail.actions.map(\.action).contains(.proposalSubmit))
        XCTAssertFalse(detail.actions.map(\.action).contains(.proposalRegister))
        XCTAssertFalse(detail.take(.proposalRegister))
        XCTAssertEqual(detail.error.value, "委员不能立案")
        XCTAssertTrue(detail.take(.proposalSubmit))
        XCTAssertEqual(detail.detail.value?.stateLabel, "已提交")
        eventually("work waits") { banner.banner.value.pending > 0 }
        try startServer()
        eventually("the outbox flushes by itself") {
            banner.banner.value.pending == 0 && !banner.banner.value.offline
        }
        zhang.stopSync()

        // Staff review on a second account.
        let chen = try app("chenjing")
        try run { await LoginModel(app: chen).login(account: "chenjing", password: password, deviceName: "办公室Mac") }
        let list = ProposalListModel(app: chen)
        eventually("the staff list shows it") { list.items.value.contains { $0.id == id } }
        let review = ProposalDetailModel(app: chen, id: id)
        eventually("the detail arrives") { review.detail.value != nil }
        XCTAssertTrue(review.take(.proposalRegister), review.error.value ?? "")
        XCTAssertEqual(review.detail.value?.stateLabel, "已立案")
        try run { try await chen.syncNow() }

        // Two members chat in a study group.
        let group = try chen.createGroup(name: "学习交流群", kind: .topic, memberIds: ["demo-zhangming", "demo-lihua"])
        try run { try await chen.syncNow() }
        try run { try await zhang.syncNow() }
        let li = try app("lihua")
        try run { await LoginModel(app: li).login(account: "lihua", password: password, deviceName: "李华的iPhone") }
        let zhangChat = ChatTimelineModel(app: zhang, groupId: group)
        let liChat = ChatTimelineModel(app: li, groupId: group)
        XCTAssertTrue(zhangChat.send("今天学习《政协章程》"))
        eventually("shown at once as sending") { zhangChat.items.value.last?.state == .sending }
        try run { try await zhang.syncNow() }
        try run { try await li.syncNow() }
        eventually("李华 receives it") { liChat.items.value.map(\.text) == ["今天学习《政协章程》"] }
        XCTAssertFalse(liChat.send("  "))
        XCTAssertEqual(liChat.error.value, "消息不能为空")
        for m in [banner] as [SyncBannerModel] { m.stop() }
        [detail, review].forEach { $0.stop() }
        list.stop()
        zhangChat.stop()
        liChat.stop()
    }
}
