import Foundation
import XCTest
@testable import LvzhiKit

/// 相似提案 while drafting, through the state holder, with the real core and server (as
/// Android's SimilarProposalsStateTest).
final class SimilarTests: ServerTestCase {
    func testADraftOnTheSameProblemFindsTheMembersEarlierProposalAndNotItself() throws {
        let zhang = try loggedIn("zhangming")
        let earlier = try zhang.createDraft(content: ProposalContent(
            title: "关于破解肉牛养殖户贷款难题的提案",
            cause: "宾川县肉牛养殖户普遍反映贷款难、贷款贵，担保门槛高，贴息政策覆盖面窄，制约了养殖规模扩大。",
            suggestions: "建议扩大肉牛养殖贷款贴息范围，推广活体抵押贷款，设立政策性担保基金。",
            category: "经济建设"
        ))
        try zhang.takeAction(itemId: earlier.id, kind: .proposalSubmit, values: [])
        let unrelated = try zhang.createDraft(content: ProposalContent(
            title: "关于加强洱海流域农业面源污染治理的提案",
            cause: "洱海流域化肥农药使用量大。",
            suggestions: "建议推广绿色种植。",
            category: "生态环境"
        ))

        let similar = SimilarProposalsModel(app: zhang)
        similar.update(title: "", cause: "", suggestions: "", draftId: nil)
        XCTAssertEqual(similar.items.value, [])
        similar.update(title: " ", cause: "\n", suggestions: "", draftId: nil)
        XCTAssertEqual(similar.items.value, [])

        let cause = "养牛户贷款担保难，利息负担重，活体牛不能抵押。"
        let draft = try zhang.createDraft(content: ProposalContent(
            title: "关于支持养牛户融资的提案", cause: cause, suggestions: "", category: ""
        ))
        similar.update(title: "关于支持养牛户融资的提案", cause: cause, suggestions: "", draftId: draft.id)
        let found = similar.items.value
        XCTAssertEqual(found.first?.title, "关于破解肉牛养殖户贷款难题的提案", "\(found.map(\.title))")
        XCTAssertEqual(found.first?.id, earlier.id)
        XCTAssertFalse(found.contains { $0.id == draft.id }, "not the draft itself")
        XCTAssertFalse(found.contains { $0.id == unrelated.id }, "nor another draft")
        XCTAssertLessThanOrEqual(found.count, 3)
        XCTAssertFalse(found.first?.stateLabel.isEmpty ?? true)
        XCTAssertFalse(found.first?.orgName.isEmpty ?? true)

        // Emptied again when the member clears the draft.
        similar.update(title: "", cause: "", suggestions: "", draftId: draft.id)
        XCTAssertEqual(similar.items.value, [])
    }
}
