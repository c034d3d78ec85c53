import Foundation

// The two shapes every screen's state takes: a list the core keeps current, and one item
// reloaded after each action taken on it. Feature holders name their list or add what is
// theirs (a filter, a code to fetch); the mechanics are written once, here.

/// A list the core keeps current: read at once from the device's database, then replaced by
/// every update its listener sends (each feature's holder conforms to its listener type).
open class LiveListModel<T>: @unchecked Sendable {
    public let items: Live<[T]>
    var subscription: Subscription?

    init(initial: [T]) { items = Live(initial) }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// One item (a meeting, a notice, a report…) as its screen shows it: loaded through `load`,
/// reloaded after each action on it, the last refusal in Chinese in `error`. Its actions are
/// the core's forms in the item itself, taken with `take`.
open class DetailModel<T>: @unchecked Sendable {
    public let detail = Live<T?>(nil)
    public let error = Live<String?>(nil)
    public let id: String
    public let app: LvzhiApp
    private let load: (LvzhiApp, String) throws -> T

    init(app: LvzhiApp, id: String, load: @escaping (LvzhiApp, String) throws -> T) {
        self.app = app
        self.id = id
        self.load = load
        refresh()
    }

    public func refresh() { act {} }

    /// Runs `body` (an action of the core), then shows the item as it is now.
    @discardableResult
    func act(_ body: () throws -> Void) -> Bool {
        reporting(into: error) {
            try body()
            detail.set(try load(app, id))
        }
    }

    /// Takes one of the core's actions on this item (or `on` one of its parts: a post of a
    /// topic) with its form's values (none for a tap).
    @discardableResult
    public func take(_ kind: ActionKind, _ values: [FormValue] = [], on part: String? = nil) -> Bool {
        act { try app.takeAction(itemId: part ?? id, kind: kind, values: values) }
    }

    @discardableResult
    public func take(_ form: ActionFormModel, on part: String? = nil) -> Bool {
        take(form.form.action, form.formValues, on: part)
    }
}
