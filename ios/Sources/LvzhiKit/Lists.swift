import Foundation

/// Picks people (联名, @提醒) by name, 界别 or 专委会; members only unless told otherwise.
public final class PeoplePickerModel: @unchecked Sendable {
    public let people = Live<[Person]>([])
    private let app: LvzhiApp
    private let membersOnly: Bool
    private let exclude: Set<String>

    public init(app: LvzhiApp, membersOnly: Bool = true, exclude: Set<String> = []) {
        self.app = app
        self.membersOnly = membersOnly
        self.exclude = exclude
        query("")
    }

    public func query(_ text: String) {
        let found = (try? app.searchPeople(query: text.trimmingCharacters(in: .whitespaces))) ?? []
        people.set(found.filter { (!membersOnly || $0.role == .member) && !exclude.contains($0.id) })
    }
}

/// 搜索: proposals and study-group messages on this phone, found offline.
public final class SearchModel: @unchecked Sendable {
    public struct Results: Sendable {
        public var query = ""
        public var proposals: [ProposalSummary] = []
        public var messages: [TimelineItem] = []
        public var error: String?
    }

    public let results = Live(Results())
    private let app: LvzhiApp

    public init(app: LvzhiApp) { self.app = app }

    public func search(_ query: String) {
        let q = query.trimmingCharacters(in: .whitespaces)
        guard !q.isEmpty else { return results.set(Results(query: query)) }
        do {
            results.set(Results(query: query, proposals: try app.searchProposals(query: q), messages: try app.searchMessages(query: q)))
        } catch {
            results.set(Results(query: query, error: userMessage(error)))
        }
    }
}

/// 待发送: what the server has not accepted yet, refreshed whenever the sync state changes.
public final class OutboxModel: SyncStatusListener, @unchecked Sendable {
    public let items = Live<[OutboxItem]>([])
    public let error = Live<String?>(nil)
    private let app: LvzhiApp
    private var subscription: Subscription?

    public init(app: LvzhiApp) {
        self.app = app
        subscription = app.observeSyncStatus(listener: self)
    }

    public func onStatus(status: SyncStatus) { refresh() }

    public func refresh() {
        do { items.set(try app.outbox()) } catch { self.error.set(userMessage(error)) }
    }

    /// Sends a refused item again (after the user changed what made it fail).
    @discardableResult
    public func retry(_ id: UInt64) -> Bool { attempt { try app.retryOutbox(id: id) } }

    /// Gives a refused item up; what it changed shows the server's version again.
    @discardableResult
    public func discard(_ id: UInt64) -> Bool { attempt { try app.discardOutbox(id: id) } }

    private func attempt(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            error.set(nil)
            refresh()
            return true
        } catch {
            self.error.set(userMessage(error))
            return false
        }
    }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// 学习交流群 list with unread and @我 counts, kept current by the core.
public final class GroupListModel: LiveListModel<GroupSummary>, GroupListListener {
    public var groups: Live<[GroupSummary]> { items }

    public init(app: LvzhiApp) {
        super.init(initial: (try? app.groups()) ?? [])
        subscription = app.observeGroups(listener: self)
    }

    public func onGroups(groups: [GroupSummary]) { items.set(groups) }
}
