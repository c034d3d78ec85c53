import Foundation

/// What a person has filled into one of the core's action forms. The form — its label, its
/// inputs, their options and limits — comes from the core, which also reads what is sent (a
/// missing value comes back as 「请填写「…」」); this only keeps the values until then.
public final class ActionFormModel: Identifiable, @unchecked Sendable {
    public let form: ActionForm
    public private(set) var values: [String: [String]] = [:]

    public init(form: ActionForm) { self.form = form }

    public var id: ObjectIdentifier { ObjectIdentifier(self) }

    /// Whether the action is taken with one tap (it asks for nothing).
    public var direct: Bool { form.inputs.isEmpty }

    /// Sets the one value of a text, a single choice, a person, a date or a number.
    public func set(_ key: String, _ value: String) { values[key] = [value] }

    /// Adds or removes one pick of a many-choice, keeping the order picked (the first unit leads).
    public func toggle(_ key: String, _ value: String) {
        var now = values[key] ?? []
        if let i = now.firstIndex(of: value) { now.remove(at: i) } else { now.append(value) }
        values[key] = now
    }

    public func value(_ key: String) -> String { values[key]?.first ?? "" }

    public func picks(_ key: String) -> [String] { values[key] ?? [] }

    /// What is sent: every value under its input's key, in the form's order.
    public var formValues: [FormValue] {
        form.inputs.flatMap { input in (values[input.key] ?? []).map { FormValue(key: input.key, value: $0) } }
    }
}

extension ProposalDetailModel {
    /// The form of an action offered now, to fill in.
    public func form(_ kind: ActionKind) -> ActionFormModel? {
        actions.first { $0.action == kind }.map(ActionFormModel.init)
    }

    /// Takes the form's action with what was filled in; a refusal lands in `error`.
    @discardableResult
    public func take(_ form: ActionFormModel) -> Bool { take(form.form.action, form.formValues) }
}
