import Foundation

/// 相似提案 while a member drafts: the three proposals most like the draft that the member may
/// read, with where they got to and their replies, from the phone's own index (offline, a few
/// milliseconds), so that a member builds on earlier work instead of filing it again. Plain
/// Swift, as Android's SimilarProposalsState.
public final class SimilarProposalsModel: @unchecked Sendable {
    public let items = Live<[SimilarProposal]>([])
    private let app: LvzhiApp

    public init(app: LvzhiApp) { self.app = app }

    /// Looks again for the draft as it now reads; `draftId` (the draft itself) is left out.
    /// Nothing is looked for while all three are blank; a failure shows nothing.
    public func update(title: String, cause: String, suggestions: String, draftId: String?) {
        let blank = [title, cause, suggestions].allSatisfy { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if blank {
            items.set([])
        } else {
            items.set((try? app.similarProposals(title: title, text: "\(cause)\n\(suggestions)", exclude: draftId)) ?? [])
        }
    }
}
