import Foundation

/// The inputs one proposal command needs (a reason, a category, units, a person, a date...) and
/// the command they make. Screens bind their fields to it; every decision stays in the core.
public final class CommandForm: @unchecked Sendable {
    public let kind: CommandKind
    public var text = ""
    /// 年-月-日, for 延期办理.
    public var date = ""
    public var category: ReplyCategory = .a
    public var rating: Rating = .satisfied
    public var ground: NotRegisteredGround = .noConcreteSuggestion
    public var target: ConversionTarget = .socialConditionReport
    public var mode: AssignMode = .sole
    public var role: AssignmentRole = .supporting
    /// Units picked, in order (the first leads in 主办会办).
    public var units: [String] = []
    /// A person (联名) or another proposal (并案).
    public var picked: String?

    public init(kind: CommandKind) { self.kind = kind }

    /// Commands that need nothing but a tap.
    public static func direct(_ kind: CommandKind) -> ProposalCommand? {
        switch kind {
        case .openCoSigning: return .openCoSigning
        case .acceptInvitation: return .acceptInvitation
        case .declineInvitation: return .declineInvitation
        case .reopenDraft: return .reopenDraft
        case .submit: return .submit
        case .register: return .register
        case .acceptConversion: return .acceptConversion
        case .declineConversion: return .declineConversion
        case .unmarkKey: return .unmarkKey
        default: return nil
        }
    }

    /// What the free-text field is called, if the command carries text.
    public var textLabel: String? {
        switch kind {
        case .withdraw, .returnAssignment, .extendDeadline: return "理由"
        case .notRegister, .returnForRevision, .proposeConversion, .recordContact, .approveReplies, .close: return "说明"
        case .submitView, .reply: return "内容"
        case .evaluate: return "意见（可不填）"
        case .markKey: return "督办领导"
        default: return nil
        }
    }

    /// The command, or nil while something the command needs is not chosen.
    public func command() -> ProposalCommand? {
        switch kind {
        case .invite: return picked.map { .invite(personId: $0) }
        case .removeInvitee: return picked.map { .removeInvitee(personId: $0) }
        case .withdraw: return .withdraw(reason: text)
        case .notRegister: return .notRegister(ground: ground, text: text)
        case .returnForRevision: return .returnForRevision(note: text)
        case .merge: return picked.map { .merge(withId: $0) }
        case .proposeConversion: return .proposeConversion(to: target, note: text)
        case .assign: return units.isEmpty ? nil : .assign(mode: mode, unitIds: units)
        case .addUnit: return units.first.map { .addUnit(unitId: $0, role: role) }
        case .returnAssignment: return .returnAssignment(reason: text)
        case .extendDeadline: return Self.endOfDay(date).map { .extendDeadline(untilMs: $0, reason: text) }
        case .recordContact: return .recordContact(note: text)
        case .submitView: return .submitView(text: text)
        case .reply: return .reply(category: category, text: text)
        case .approveReplies: return .approveReplies(note: text)
        case .evaluate: return .evaluate(rating: rating, comment: text)
        case .close: return .close(note: text)
        case .markKey: return .markKey(leader: text)
        default: return Self.direct(kind)
        }
    }

    /// The end of a day in China, as milliseconds, for a deadline typed as 年-月-日.
    static func endOfDay(_ text: String) -> Int64? {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        guard let day = f.date(from: text.trimmingCharacters(in: .whitespaces)) else { return nil }
        return Int64(day.timeIntervalSince1970 * 1000) + 86_400_000 - 1
    }
}

extension ProposalDetailModel {
    /// Takes the form's command; a missing choice or a refusal lands in `error`.
    @discardableResult
    public func perform(_ form: CommandForm) -> Bool {
        guard let command = form.command() else {
            error.set("请先选择或填写")
            return false
        }
        return perform(command)
    }
}
