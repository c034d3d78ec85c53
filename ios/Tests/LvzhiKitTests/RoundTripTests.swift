import Foundation
import XCTest
@testable import LvzhiKit

/// The same round trip as the Compose screen tests, through the Swift state holders every
/// SwiftUI screen is bound to: 联名 found by sector, submit, 立案 and parallel 交办 through the
/// command form, the units' replies, reading them and 测评; the outbox, chat, search, autosave.
final class RoundTripTests: ServerTestCase {
    let title = "关于加强宾川县农村饮水安全保障的提案"

    /// 张明's draft with 李华 as co-proposer, submitted; returns its id.
    func submittedWithCoProposer() throws -> String {
        let zhang = try loggedIn("zhangming")
        let editor = ProposalEditorModel(app: zhang)
        editor.edit {
            $0.title = self.title
            $0.category = "社会建设"
            $0.cause = "部分山区村组饮水工程老化，旱季供水不稳定。"
            $0.suggestions = "一是实施管网改造；二是建设备用水源。"
        }
        editor.save()
        let id = try XCTUnwrap(editor.proposalId.value)
        let detail = ProposalDetailModel(app: zhang, id: id)
        defer { detail.stop() }
        eventually("the draft opens") { detail.detail.value != nil }
        let picker = PeoplePickerModel(app: zhang, exclude: ["demo-zhangming"])
        picker.query("农业和农村")
        XCTAssertEqual(picker.people.value.map(\.name), ["李华"])
        let invite = try XCTUnwrap(detail.form(.proposalInvite))
        invite.set("person", try XCTUnwrap(picker.people.value.first?.id))
        XCTAssertTrue(detail.take(invite), detail.error.value ?? "")
        XCTAssertTrue(detail.take(.proposalOpenCoSigning), detail.error.value ?? "")
        try sync(zhang)
        let li = try loggedIn("lihua")
        let hers = ProposalDetailModel(app: li, id: id)
        defer { hers.stop() }
        eventually("the invitation arrives") { hers.detail.value != nil }
        XCTAssertTrue(hers.actions.map(\.action).contains(.proposalAcceptInvitation))
        XCTAssertTrue(hers.take(.proposalAcceptInvitation), hers.error.value ?? "")
        try sync(li, zhang)
        eventually("her answer arrives") { detail.detail.value?.coProposers.first?.status == .accepted }
        XCTAssertTrue(detail.take(.proposalSubmit), detail.error.value ?? "")
        try sync(zhang)
        return id
    }

    /// Registered, assigned to two units in parallel, both replied, replies approved.
    func repliedByTwoUnits() throws -> String {
        let id = try submittedWithCoProposer()
        let chen = try loggedIn("chenjing")
        let review = ProposalDetailModel(app: chen, id: id)
        defer { review.stop() }
        eventually("staff see it") { review.detail.value != nil }
        XCTAssertTrue(review.take(.proposalRegister), review.error.value ?? "")
        // The form offers the organisation's units by name; the first picked leads in 主办会办.
        let assign = try XCTUnwrap(review.form(.proposalAssign))
        assign.set("mode", "parallel")
        guard case .choice(let units, true) = assign.form.inputs[1].kind else {
            XCTFail("\(assign.form)")
            return id
        }
        for u in units where u.label.hasSuffix("农业农村局") || u.label.hasSuffix("水务局") { assign.toggle("units", u.value) }
        XCTAssertTrue(review.take(assign), review.error.value ?? "")
        XCTAssertEqual(review.detail.value?.assignments.map(\.roleLabel), ["分办", "分办"])
        try sync(chen)
        for (login, category, text) in [("liujun", "a", "已将农村饮水工程纳入年度计划。"), ("sunli", "b", "拟于明年建设备用水源。")] {
            let unit = try loggedIn(login)
            let mine = ProposalDetailModel(app: unit, id: id)
            eventually("\(login) sees it") { mine.detail.value != nil }
            let reply = try XCTUnwrap(mine.form(.proposalReply))
            reply.set("category", category)
            reply.set("text", text)
            XCTAssertTrue(mine.take(reply), mine.error.value ?? "")
            mine.stop()
            try sync(unit)
        }
        try sync(chen)
        eventually("both replies reach staff") { review.detail.value?.stateLabel == "已答复" }
        XCTAssertTrue(review.take(.proposalApproveReplies), review.error.value ?? "")
        try sync(chen)
        return id
    }

    func testACoProposerFoundBySectorAcceptsAndTheProposalIsSubmitted() throws {
        let id = try submittedWithCoProposer()
        let detail = try app("zhangming").proposal(id: id)
        XCTAssertEqual(detail.stateLabel, "已提交")
        XCTAssertEqual(detail.coProposers.map(\.name), ["李华"])
        XCTAssertNotNil(detail.coProposers.first?.answeredAtMs)
    }

    func testStaffAssignToTwoUnitsInParallelAndBothReply() throws {
        let id = try repliedByTwoUnits()
        let detail = try app("chenjing").proposal(id: id)
        XCTAssertEqual(detail.stateLabel, "待测评")
        XCTAssertEqual(detail.assignments.compactMap { $0.reply?.categoryLabel }, ["A类（已解决或采纳）", "B类（列入计划拟解决）"])
    }

    func testTheMemberReadsBothRepliesAndRatesThem() throws {
        let id = try repliedByTwoUnits()
        let zhang = try app("zhangming")
        try sync(zhang)
        let detail = ProposalDetailModel(app: zhang, id: id)
        defer { detail.stop() }
        eventually("the replies arrive") { detail.detail.value?.stateLabel == "待测评" }
        let replies = detail.detail.value?.assignments.map { "\($0.unitName)：\($0.reply?.text ?? "")" }
        XCTAssertEqual(replies, ["宾川县农业农村局：已将农村饮水工程纳入年度计划。", "宾川县水务局：拟于明年建设备用水源。"])
        let rate = try XCTUnwrap(detail.form(.proposalEvaluate))
        rate.set("rating", "satisfied")
        rate.set("comment", "答复具体，感谢。")
        XCTAssertTrue(detail.take(rate), detail.error.value ?? "")
        XCTAssertEqual(detail.detail.value?.evaluations.map(\.ratingLabel), ["满意"])
        let li = try loggedIn("lihua")
        try li.takeAction(itemId: id, kind: .proposalEvaluate, values: [FormValue(key: "rating", value: "basically_satisfied")])
        try sync(li, zhang)
        eventually("closed once both rated") { detail.detail.value?.stateLabel == "已办结" }
    }

    func testTheOutboxShowsOfflineWorkAndEmptiesWhenTheNetworkReturns() throws {
        let zhang = try loggedIn("zhangming")
        let outbox = OutboxModel(app: zhang)
        defer { outbox.stop() }
        stopServer()
        let editor = ProposalEditorModel(app: zhang)
        editor.edit { $0.title = self.title }
        editor.save()
        outbox.refresh()
        XCTAssertEqual(outbox.items.value.map(\.label), ["起草提案：\(title)"])
        XCTAssertEqual(outbox.items.value.first?.state, .pending)
        try startServer()
        try sync(zhang)
        eventually("the outbox empties") { outbox.items.value.isEmpty }
    }

    func testTwoMembersChatWithAReplyAMentionAndARecall() throws {
        let chen = try loggedIn("chenjing")
        let group = try chen.createGroup(name: "农业和农村界学习交流群", kind: .sector, memberIds: ["demo-zhangming", "demo-lihua"])
        try sync(chen)
        let zhang = try loggedIn("zhangming")
        let li = try loggedIn("lihua")
        let mine = ChatTimelineModel(app: zhang, groupId: group)
        let hers = ChatTimelineModel(app: li, groupId: group)
        defer { mine.stop(); hers.stop() }
        XCTAssertTrue(mine.send("收到，今晚学习。"))
        try sync(zhang, li)
        eventually("李华 receives it") { hers.items.value.contains { $0.text == "收到，今晚学习。" } }
        let first = try XCTUnwrap(hers.items.value.first { $0.text == "收到，今晚学习。" })
        XCTAssertTrue(hers.send("一起学习第三章", replyTo: first.id, mentions: ["demo-zhangming"]))
        XCTAssertTrue(hers.send("这条发错了"))
        try sync(li)
        eventually("sent") { hers.items.value.allSatisfy { $0.state == .sent } }
        let oops = try XCTUnwrap(hers.items.value.first { $0.text == "这条发错了" })
        XCTAssertTrue(hers.recall(oops.id), hers.error.value ?? "")
        try sync(li, zhang)
        eventually("张明 sees the reply and the recall") {
            mine.items.value.contains { $0.replyTo == first.id && $0.mentions == ["demo-zhangming"] }
                && mine.items.value.contains { $0.recalled && $0.text == "李华撤回了一条消息" }
        }
        let groups = GroupListModel(app: zhang)
        defer { groups.stop() }
        XCTAssertEqual(groups.groups.value.first { $0.group.id == group }?.unreadMentions, 1)
    }

    func testSearchFindsTheDraftByTwoCharactersOffline() throws {
        let zhang = try loggedIn("zhangming")
        stopServer()
        let editor = ProposalEditorModel(app: zhang)
        editor.edit { $0.title = self.title; $0.cause = "旱季供水不稳定。" }
        editor.save()
        let search = SearchModel(app: zhang)
        search.search("饮水")
        XCTAssertEqual(search.results.value.proposals.map(\.title), [title])
        search.search("  ")
        XCTAssertTrue(search.results.value.proposals.isEmpty)
        try startServer()
    }

    func testTheEditorSavesOnceTypingPauses() throws {
        let zhang = try loggedIn("zhangming")
        let editor = ProposalEditorModel(app: zhang)
        editor.edit { $0.title = "关于" }
        editor.scheduleSave(after: 0.2)
        editor.edit { $0.title = self.title }
        editor.scheduleSave(after: 0.2)
        eventually("saved after the pause") { editor.savedRevision.value != nil }
        XCTAssertEqual(editor.savedRevision.value, 1, "the first wait was restarted: one save")
        let id = try XCTUnwrap(editor.proposalId.value)
        XCTAssertEqual(try zhang.proposal(id: id).content.title, title)
        // Going on with the same draft later.
        let again = ProposalEditorModel(app: zhang, existingId: id)
        XCTAssertEqual(again.content.value.title, title)
        XCTAssertEqual(again.savedRevision.value, 1)
    }

    func testTheFormSendsWhatWasFilledAndTheCoreNamesWhatIsMissing() throws {
        let assign = ActionFormModel(form: describeAction(kind: .proposalAssign))
        assign.set("mode", "lead")
        XCTAssertThrowsError(try checkAction(form: assign.form, values: assign.formValues)) { error in
            XCTAssertEqual(userMessage(error), "请填写「承办单位」")
        }
        assign.toggle("units", "yn-12-03-water")
        assign.toggle("units", "yn-12-03-agri")
        assign.toggle("units", "yn-12-03-water")
        assign.toggle("units", "yn-12-03-water")
        XCTAssertEqual(assign.formValues.map(\.value), ["lead", "yn-12-03-agri", "yn-12-03-water"])
        XCTAssertNoThrow(try checkAction(form: assign.form, values: assign.formValues))
        // Dates are the core's: a day that does not exist is refused with the input's name.
        let extend = ActionFormModel(form: describeAction(kind: .proposalExtendDeadline))
        extend.set("until", "2027-13-40")
        extend.set("reason", "需协调省级部门")
        XCTAssertThrowsError(try checkAction(form: extend.form, values: extend.formValues)) { error in
            XCTAssertEqual(userMessage(error), "「延期至」请按 年-月-日 填写，例如 2026-12-31")
        }
        XCTAssertTrue(ActionFormModel(form: describeAction(kind: .proposalSubmit)).direct)
    }
}
