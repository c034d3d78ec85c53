import Foundation
import XCTest
@testable import LvzhiKit

/// Every action the core describes, filled through the one Swift form holder the way the
/// SwiftUI form fills it (a person found by name on the real core): each submits values the
/// core accepts. So no action of the core is missing from the iOS screens' form; the screens
/// only choose where each form sits.
final class ActionFormTests: ServerTestCase {
    func testEveryActionOfTheCoreIsFilledAndAcceptedThroughTheOneForm() throws {
        let zhang = try loggedIn("zhangming")
        let picker = PeoplePickerModel(app: zhang, exclude: [])
        var accepted: [ActionKind] = []
        for kind in allActions() {
            let filling = ActionFormModel(form: withItemOptions(describeAction(kind: kind)))
            for input in filling.form.inputs {
                switch input.kind {
                case .text: filling.set(input.key, "已与承办单位电话沟通")
                case .choice(let options, let many):
                    if many { filling.toggle(input.key, options[0].value) } else { filling.set(input.key, options[0].value) }
                case .person:
                    picker.query("李华")
                    filling.set(input.key, try XCTUnwrap(picker.people.value.first?.id))
                case .date: filling.set(input.key, "2026-12-31")
                case .number(let min, _): filling.set(input.key, String(min))
                }
            }
            XCTAssertNoThrow(try checkAction(form: filling.form, values: filling.formValues), filling.form.label)
            accepted.append(kind)
        }
        XCTAssertEqual(accepted, allActions())
        XCTAssertEqual(accepted.count, 62)
    }

    /// The options an item gives a choice the core leaves open (its units, revisions, roster…).
    private func withItemOptions(_ form: ActionForm) -> ActionForm {
        var form = form
        form.inputs = form.inputs.map { input in
            guard case .choice(let options, let many) = input.kind, options.isEmpty else { return input }
            var input = input
            let option: ChoiceOption
            switch input.key {
            case "revision": option = ChoiceOption(value: "1", label: "第1版")
            case "destinations": option = ChoiceOption(value: "cppcc/prefecture/yn-29", label: "大理白族自治州政协")
            default: option = ChoiceOption(value: "item-1", label: "宾川县农业农村局")
            }
            input.kind = .choice(options: [option], many: many)
            return input
        }
        return form
    }
}
