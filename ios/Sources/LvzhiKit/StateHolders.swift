import Foundation

/// 登录.
public final class LoginModel: @unchecked Sendable {
    public enum State: Equatable, Sendable {
        case loggedOut, inProgress, loggedIn(name: String), failed(String)
    }

    public let state: Live<State>
    private let app: LvzhiApp

    public init(app: LvzhiApp) {
        self.app = app
        state = Live(app.me().map { .loggedIn(name: $0.name) } ?? .loggedOut)
    }

    public func login(account: String, password: String, deviceName: String) async {
        guard !account.isEmpty, !password.isEmpty else {
            state.set(.failed("请输入账号和密码"))
            return
        }
        state.set(.inProgress)
        do {
            let me = try await app.login(login: account, password: password, deviceName: deviceName)
            state.set(.loggedIn(name: me.name))
        } catch {
            state.set(.failed(userMessage(error)))
        }
    }
}

/// The sync banner, fed by the core's status listener.
public final class SyncBannerModel: SyncStatusListener, @unchecked Sendable {
    public let banner: Live<SyncBanner>
    private var subscription: Subscription?

    public init(app: LvzhiApp) {
        banner = Live(SyncBanner(app.syncStatus()))
        subscription = app.observeSyncStatus(listener: self)
    }

    public func onStatus(status: SyncStatus) { banner.set(SyncBanner(status)) }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// 提案 list: a snapshot, then diffs.
public final class ProposalListModel: ProposalListListener, @unchecked Sendable {
    public let items = Live<[ProposalSummary]>([])
    private var subscription: Subscription?

    public init(app: LvzhiApp) {
        subscription = app.observeProposals(listener: self)
    }

    public func onUpdate(update: ProposalListUpdate) {
        items.update { current in
            switch update {
            case .snapshot(let all): return all
            case .diffs(let diffs):
                var list = current
                for d in diffs {
                    switch d {
                    case .insert(let i, let item): list.insert(item, at: Int(i))
                    case .update(let i, let item): list[Int(i)] = item
                    case .remove(let i): list.remove(at: Int(i))
                    }
                }
                return list
            }
        }
    }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// One proposal with its history and exactly the actions this user may take.
public final class ProposalDetailModel: ProposalListener, @unchecked Sendable {
    public let detail = Live<ProposalDetail?>(nil)
    public let error = Live<String?>(nil)
    public let id: String
    private let app: LvzhiApp
    private var subscription: Subscription?

    public init(app: LvzhiApp, id: String) {
        self.app = app
        self.id = id
        subscription = app.observeProposal(id: id, listener: self)
    }

    public func onProposal(detail: ProposalDetail) { self.detail.set(detail) }

    /// The actions offered now, as the core's forms (label, inputs, the proposal's options).
    public var actions: [ActionForm] { detail.value?.actions ?? [] }

    /// Takes the action with the form's values; a refusal lands in `error` and nothing changes.
    @discardableResult
    public func take(_ kind: ActionKind, _ values: [FormValue] = []) -> Bool {
        reporting(into: error) {
            try app.takeAction(itemId: id, kind: kind, values: values)
            detail.set(try app.proposal(id: id))
        }
    }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// 提案编辑: kept in memory at once, saved (a new revision) on `save()`; the screen calls it
/// after a pause in typing and when leaving.
public final class ProposalEditorModel: @unchecked Sendable {
    public let content: Live<ProposalContent>
    public let proposalId = Live<String?>(nil)
    public let savedRevision = Live<UInt32?>(nil)
    public let error = Live<String?>(nil)
    /// The core the draft is written in (the screen looks up 相似提案 in it too).
    public let app: LvzhiApp

    private var generation = 0
    private let lock = NSLock()

    /// A new draft, or the draft `existingId` to go on with.
    public init(app: LvzhiApp, existingId: String? = nil) {
        self.app = app
        let existing = existingId.flatMap { try? app.proposal(id: $0) }
        content = Live(existing?.content ?? ProposalContent(title: "", cause: "", suggestions: "", category: ""))
        proposalId.set(existing?.id)
        savedRevision.set(existing?.revision)
    }

    public func edit(_ change: (inout ProposalContent) -> Void) {
        content.update { var c = $0; change(&c); return c }
    }

    /// Saves once typing has paused for `delay` seconds (each edit restarts the wait); nothing
    /// typed waits for the network.
    public func scheduleSave(after delay: TimeInterval = 0.8) {
        lock.lock(); generation += 1; let mine = generation; lock.unlock()
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak self] in
            guard let self else { return }
            self.lock.lock(); let current = self.generation; self.lock.unlock()
            if current == mine { self.save() }
        }
    }

    private let saving = NSLock()

    /// Saves now (leaving the screen, submitting); one save at a time, so a draft is created once.
    public func save() {
        saving.lock()
        defer { saving.unlock() }
        do {
            let detail = try proposalId.value.map { try app.saveDraft(id: $0, content: content.value) }
                ?? app.createDraft(content: content.value)
            proposalId.set(detail.id)
            savedRevision.set(detail.revision)
            error.set(nil)
        } catch {
            self.error.set(userMessage(error))
        }
    }
}

/// 学习交流群 messages, live, with 发送中/已发送/发送失败 and retry.
public final class ChatTimelineModel: TimelineListener, @unchecked Sendable {
    public let items = Live<[TimelineItem]>([])
    public let error = Live<String?>(nil)
    public let groupId: String
    private let app: LvzhiApp
    private var handle: Subscription?

    public init(app: LvzhiApp, groupId: String, limit: UInt32 = 100) {
        self.app = app
        self.groupId = groupId
        handle = app.observeTimeline(groupId: groupId, limit: limit, listener: self)
    }

    public func onUpdate(update: TimelineUpdate) {
        items.update { current in
            switch update {
            case .snapshot(let all): return all
            case .diffs(let diffs):
                var list = current
                for d in diffs {
                    switch d {
                    case .insert(let i, let item): list.insert(item, at: Int(i))
                    case .update(let i, let item): list[Int(i)] = item
                    case .remove(let i): list.remove(at: Int(i))
                    }
                }
                return list
            }
        }
    }

    @discardableResult
    public func send(_ text: String, replyTo: String? = nil, mentions: [String] = []) -> Bool {
        attempt { _ = try app.sendMessage(groupId: groupId, text: text, replyTo: replyTo, mentions: mentions) }
    }

    /// Sends a picked file or photo (a photo is shrunk unless `keepOriginal`) with `text`: the
    /// message shows at once and goes when the file is uploaded; the upload resumes after a drop.
    @discardableResult
    public func sendFile(name: String, contentType: String, data: Data, text: String = "", keepOriginal: Bool = false) -> Bool {
        attempt {
            let attachment = try app.attachFile(name: name, contentType: contentType, data: data, keepOriginal: keepOriginal)
            _ = try app.sendMessageWithFiles(groupId: groupId, text: text, attachments: [attachment])
        }
    }

    /// Messages older than the live timeline, fetched on request (oldest first) and kept on the
    /// phone from then on; `noMore` once the group has nothing older.
    public let older = Live<[TimelineItem]>([])
    public let noMore = Live<Bool>(false)

    /// Fetches the page before the oldest message shown; false (the reason in `error`) offline.
    @discardableResult
    public func loadOlder(page: UInt32 = 50) async -> Bool {
        guard let oldest = (older.value + items.value).compactMap(\.seq).min() else {
            noMore.set(true)
            return true
        }
        do {
            let got = try await app.loadOlderMessages(groupId: groupId, beforeSeq: oldest, limit: page)
            older.set(got.sorted { ($0.seq ?? 0) < ($1.seq ?? 0) } + older.value)
            if got.count < Int(page) { noMore.set(true) }
            error.set(nil)
            return true
        } catch {
            self.error.set(userMessage(error))
            return false
        }
    }

    /// 撤回: one's own message, within two minutes of sending (the core decides).
    @discardableResult
    public func recall(_ messageId: String) -> Bool { attempt { try app.recallMessage(messageId: messageId) } }

    /// Staff delete a message of their organisation's group.
    @discardableResult
    public func delete(_ messageId: String) -> Bool { attempt { try app.deleteMessage(messageId: messageId) } }

    /// Marks everything shown as read.
    @discardableResult
    public func markAllRead() -> Bool {
        attempt {
            if let last = items.value.compactMap(\.seq).max() { try app.markRead(groupId: groupId, seq: last) }
        }
    }

    @discardableResult
    public func retryAll() -> Bool { attempt { _ = try app.retryFailed(groupId: groupId) } }

    private func attempt(_ body: () throws -> Void) -> Bool { reporting(into: error, body) }

    public func stop() { handle?.cancel(); handle = nil }
}
