#if canImport(SwiftUI)
import SwiftUI
import Combine
import LvzhiKit
import UniformTypeIdentifiers
#if os(iOS)
import UIKit
#endif

// Screens render the state holders of LvzhiKit and forward taps; every decision is in the core
// or in those holders (tested with XCTest on Linux). Text uses Dynamic Type; every action has
// an accessibility label VoiceOver reads.

/// Republishes a `Live` value for SwiftUI (Apple platforms only; the holders stay plain Swift).
@MainActor
final class Watched<Value>: ObservableObject {
    @Published private(set) var value: Value
    init(_ live: Live<Value>) {
        value = live.value
        live.observe { [weak self] v in Task { @MainActor in self?.value = v } }
    }
}

/// The whole app: login, then 首页, 提案, 履职 (会议活动, 通知, 社情民意, 网络议政, 基层协商), 学习,
/// 学习交流群 and 我的 under the sync banner. `scheduler` hands 待办 reminders to the system.
public struct RootView: View {
    let app: LvzhiApp
    let login: LoginModel
    let scheduler: ReminderScheduling?
    @State private var reminders: ReminderSync?
    @StateObject private var state: Watched<LoginModel.State>
    /// The reminder tapped in the system's notifications, if the app reports taps.
    let taps: ReminderTaps?
    @StateObject private var tapped: Watched<ItemRef?>
    /// Called whenever the tabs appear after a login (or at launch, logged in): the app asks
    /// APNs for its token there and registers it again, as logging out made the core forget it.
    let onLogin: (() -> Void)?

    public init(app: LvzhiApp, scheduler: ReminderScheduling? = nil, taps: ReminderTaps? = nil, onLogin: (() -> Void)? = nil) {
        self.app = app
        self.scheduler = scheduler
        self.taps = taps
        self.onLogin = onLogin
        _tapped = StateObject(wrappedValue: Watched((taps ?? ReminderTaps()).item))
        let login = LoginModel(app: app)
        self.login = login
        _state = StateObject(wrappedValue: Watched(login.state))
    }

    public var body: some View {
        if case .loggedIn = state.value {
            VStack(spacing: 0) {
                SyncBannerView(model: SyncBannerModel(app: app))
                TabView {
                    NavigationStack { HomeView(app: app) }
                        .tabItem { Label("首页", systemImage: "house") }
                    NavigationStack { ProposalListView(app: app) }
                        .tabItem { Label(Strings.proposals, systemImage: "doc.text") }
                    NavigationStack { DutyHubView(app: app) }
                        .tabItem { Label(Strings.meetings, systemImage: "calendar") }
                    NavigationStack { StudyHubView(app: app) }
                        .tabItem { Label("学习", systemImage: "book") }
                    NavigationStack { GroupListView(app: app) }
                        .tabItem { Label(Strings.groups, systemImage: "bubble.left.and.bubble.right") }
                    NavigationStack { MineView(app: app, login: login, scheduler: scheduler) }
                        .tabItem { Label(Strings.mine, systemImage: "person") }
                }
                .onAppear {
                    if let scheduler { reminders = ReminderSync(app: app, scheduler: scheduler) }
                    onLogin?()
                }
                .onDisappear { reminders?.stop() }
                // A tapped reminder opens its item over the tabs.
                .sheet(item: Binding(get: { tapped.value }, set: { if $0 == nil { taps?.dismiss() } })) { item in
                    NavigationStack { ItemView(app: app, item: item) }
                }
            }
        } else {
            NavigationStack { LoginView(model: login) }
        }
    }
}

public struct SyncBannerView: View {
    @StateObject private var banner: Watched<SyncBanner>
    public init(model: SyncBannerModel) { _banner = StateObject(wrappedValue: Watched(model.banner)) }
    public var body: some View {
        Text(banner.value.text)
            .font(.footnote)
            .foregroundStyle(banner.value.offline ? .orange : .secondary)
            .frame(maxWidth: .infinity, alignment: .leading)
            .padding(.horizontal)
            .accessibilityLabel("同步状态：\(banner.value.text)")
    }
}

public struct LoginView: View {
    let model: LoginModel
    @StateObject private var state: Watched<LoginModel.State>
    @State private var account = ""
    @State private var password = ""
    public init(model: LoginModel) {
        self.model = model
        _state = StateObject(wrappedValue: Watched(model.state))
    }
    public var body: some View {
        Form {
            TextField(Strings.account, text: $account).textContentType(.username)
            SecureField(Strings.password, text: $password).textContentType(.password)
            if case .failed(let message) = state.value {
                Text(message).foregroundStyle(.red).accessibilityLabel("提示：\(message)")
            }
            Button(Strings.login) {
                Task { await model.login(account: account, password: password, deviceName: deviceName()) }
            }
            .disabled(state.value == .inProgress)
            .accessibilityLabel("登录履职")
        }
        .navigationTitle(Strings.appName)
    }

    private func deviceName() -> String {
        #if os(iOS)
        return UIDevice.current.name
        #else
        return Host.current().localizedName ?? "Mac"
        #endif
    }
}

public struct ProposalListView: View {
    let app: LvzhiApp
    @StateObject private var items: Watched<[ProposalSummary]>
    @State private var creating = false
    public init(app: LvzhiApp) {
        self.app = app
        _items = StateObject(wrappedValue: Watched(ProposalListModel(app: app).items))
    }
    public var body: some View {
        List(items.value, id: \.id) { p in
            NavigationLink(value: p.id) {
                VStack(alignment: .leading) {
                    Text(p.title).font(.body)
                    Text(Strings.proposalState(p.state)).font(.caption).foregroundStyle(.secondary)
                }
            }
            .accessibilityLabel("提案：\(p.title)，\(Strings.proposalState(p.state))")
        }
        .navigationTitle(Strings.proposals)
        .toolbar {
            // Members draft proposals; staff and handling units do not.
            if app.me()?.roles.contains(where: { $0.role == .member }) == true {
                Button(Strings.newProposal) { creating = true }.accessibilityLabel(Strings.newProposal)
            }
        }
        .navigationDestination(for: String.self) { id in ProposalDetailView(app: app, id: id) }
        .sheet(isPresented: $creating) {
            NavigationStack { ProposalEditorView(model: ProposalEditorModel(app: app)) { creating = false } }
        }
    }
}

/// 提案编辑: saved after a pause in typing and when done; nothing typed waits for the network.
public struct ProposalEditorView: View {
    let model: ProposalEditorModel
    let onDone: () -> Void
    @StateObject private var content: Watched<ProposalContent>
    @StateObject private var revision: Watched<UInt32?>
    @StateObject private var error: Watched<String?>
    // 相似提案: the holder and its list are both kept from the screen's first init (a later
    // init's new holder is dropped with it), so the list watched is the one updated.
    @State private var similarModel: SimilarProposalsModel
    @StateObject private var similar: Watched<[SimilarProposal]>
    public init(model: ProposalEditorModel, onDone: @escaping () -> Void) {
        self.model = model
        self.onDone = onDone
        _content = StateObject(wrappedValue: Watched(model.content))
        _revision = StateObject(wrappedValue: Watched(model.savedRevision))
        _error = StateObject(wrappedValue: Watched(model.error))
        let similarModel = SimilarProposalsModel(app: model.app)
        _similarModel = State(initialValue: similarModel)
        _similar = StateObject(wrappedValue: Watched(similarModel.items))
    }
    private func binding(_ key: WritableKeyPath<ProposalContent, String>) -> Binding<String> {
        Binding(get: { content.value[keyPath: key] }, set: { v in
            model.edit { $0[keyPath: key] = v }
            model.scheduleSave()
        })
    }
    public var body: some View {
        Form {
            TextField(Strings.title, text: binding(\.title), axis: .vertical)
            TextField(Strings.category, text: binding(\.category))
            TextField(Strings.cause, text: binding(\.cause), axis: .vertical).lineLimit(4...)
            TextField(Strings.suggestions, text: binding(\.suggestions), axis: .vertical).lineLimit(4...)
            Text(error.value ?? revision.value.map { "\(Strings.saved)第\($0)版" } ?? Strings.unsaved).font(.caption)
            if !similar.value.isEmpty {
                Section {
                    Text(Strings.similarNote).font(.caption).foregroundStyle(.secondary)
                    ForEach(similar.value, id: \.id) { p in SimilarProposalRow(proposal: p) }
                } header: {
                    Text(Strings.similar)
                }
            }
        }
        .navigationTitle(Strings.newProposal)
        .toolbar {
            Button("完成") { model.save(); onDone() }.accessibilityLabel("保存并返回")
        }
        // 相似提案: looked for again a moment after the member stops typing (each keystroke
        // cancels the wait before it).
        .task(id: [content.value.title, content.value.cause, content.value.suggestions]) {
            try? await Task.sleep(nanoseconds: 400_000_000)
            if Task.isCancelled { return }
            let c = content.value
            similarModel.update(title: c.title, cause: c.cause, suggestions: c.suggestions, draftId: model.proposalId.value)
        }
    }
}

/// One 相似提案 under the editor: its title, where it got to, and the start of its reply.
struct SimilarProposalRow: View {
    let proposal: SimilarProposal
    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(proposal.title).font(.subheadline).accessibilityLabel("相似提案：\(proposal.title)")
            Text("\(proposal.orgName)　\(proposal.stateLabel)").font(.caption).foregroundStyle(.secondary)
            if let reply = proposal.reply {
                Text("答复：\(reply)").font(.caption).lineLimit(3)
            }
        }
    }
}

/// One proposal: everything on it, and exactly the actions the core allows this user now.
public struct ProposalDetailView: View {
    let app: LvzhiApp
    let model: ProposalDetailModel
    @StateObject private var detail: Watched<ProposalDetail?>
    @StateObject private var error: Watched<String?>
    @State private var form: ActionFormModel?
    @State private var editing = false

    public init(app: LvzhiApp, id: String) {
        self.app = app
        let model = ProposalDetailModel(app: app, id: id)
        self.model = model
        _detail = StateObject(wrappedValue: Watched(model.detail))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        List {
            if let d = detail.value {
                Section {
                    Text(d.content.title).font(.headline)
                    Text([d.stateLabel, d.kindLabel, "提案人：\(d.firstProposerName)"].compactMap { $0 }.joined(separator: "　"))
                        .accessibilityLabel("状态：\(d.stateLabel)")
                    if let e = error.value { Text(e).foregroundStyle(.red).accessibilityLabel("提示：\(e)") }
                }
                Section(Strings.actions) {
                    if d.state == .draft && d.actions.contains(where: { $0.action == .proposalInvite }) {
                        Button("编辑草稿") { editing = true }
                    }
                    // Restoring a revision sits on each revision's line below.
                    ForEach(model.actions.filter { $0.action != .proposalRestoreRevision }, id: \.label) { f in
                        Button(f.label) {
                            let filling = ActionFormModel(form: f)
                            if filling.direct { model.take(filling) } else { form = filling }
                        }
                        .accessibilityLabel(f.label)
                    }
                }
                Section(Strings.cause) { Text(d.content.cause) }
                Section(Strings.suggestions) { Text(d.content.suggestions) }
                if !d.content.attachments.isEmpty { Section("附件") { AttachmentRows(app: app, attachments: d.content.attachments) } }
                if !d.coProposers.isEmpty {
                    Section(Strings.coProposers) {
                        ForEach(d.coProposers, id: \.personId) { c in Text("\(c.name)　\(answer(c.status))") }
                    }
                }
                if !d.assignments.isEmpty {
                    Section(Strings.assignments) {
                        ForEach(d.assignments, id: \.unitId) { a in
                            VStack(alignment: .leading, spacing: 4) {
                                Text("\(a.unitName)（\(a.roleLabel)）").font(.subheadline)
                                if let r = a.reply {
                                    Text("答复（\(r.categoryLabel)）").font(.caption)
                                    Text(r.text)
                                }
                            }
                            .accessibilityElement(children: .combine)
                        }
                    }
                }
                if !d.evaluations.isEmpty {
                    Section(Strings.evaluations) {
                        ForEach(Array(d.evaluations.enumerated()), id: \.offset) { _, e in
                            Text("\(e.name)：\(e.ratingLabel)　\(e.comment)")
                        }
                    }
                }
                if d.revisions.count > 1 {
                    Section(Strings.revisions) {
                        ForEach(d.revisions, id: \.number) { r in
                            HStack {
                                Text("第\(r.number)版　\(r.title)\(r.conflict ? "（另一台设备的版本）" : "")")
                                if d.actions.contains(where: { $0.action == .proposalRestoreRevision }) && r.number != d.revision {
                                    Button(Strings.restore) {
                                        model.take(.proposalRestoreRevision, [FormValue(key: "revision", value: String(r.number))])
                                    }
                                        .accessibilityLabel("\(Strings.restore)：第\(r.number)版")
                                }
                            }
                        }
                    }
                }
                Section(Strings.history) {
                    ForEach(d.history, id: \.seq) { h in
                        Text("\(h.label) · \(h.actorName)（\(h.roleLabel)）\(h.reason.map { "：\($0)" } ?? "")")
                    }
                }
            }
        }
        .sheet(item: $form) { filling in
            NavigationStack { ActionFormView(app: app, model: filling) { ok in
                if !ok || model.take(filling) { form = nil }
            } }
        }
        .sheet(isPresented: $editing) {
            NavigationStack { ProposalEditorView(model: ProposalEditorModel(app: app, existingId: model.id)) { editing = false } }
        }
    }

    private func answer(_ s: InvitationStatus) -> String {
        switch s {
        case .pending: return "待答复"
        case .accepted: return "已同意"
        case .declined: return "不同意"
        }
    }
}

/// One of the core's action forms, rendered from its description: a field per input (text,
/// choice, person, date, number) with the core's labels and options. Nothing here knows which
/// action it is; the core reads the values and decides.
public struct ActionFormView: View {
    let app: LvzhiApp
    let model: ActionFormModel
    let done: (Bool) -> Void
    /// Bumped on every change so the view redraws from the model's values.
    @State private var revision = 0
    @State private var query = ""

    public init(app: LvzhiApp, model: ActionFormModel, done: @escaping (Bool) -> Void) {
        self.app = app
        self.model = model
        self.done = done
    }

    public var body: some View {
        Form {
            ForEach(model.form.inputs, id: \.key) { input in field(input) }
        }
        .id(revision)
        .navigationTitle(model.form.label)
        .toolbar {
            ToolbarItem(placement: .confirmationAction) {
                Button(Strings.confirm) { done(true) }.accessibilityLabel("确定\(model.form.label)")
            }
            ToolbarItem(placement: .cancellationAction) { Button(Strings.cancel) { done(false) } }
        }
    }

    @ViewBuilder private func field(_ input: Input) -> some View {
        let label = input.required ? input.label : "\(input.label)（可不填）"
        switch input.kind {
        case .text(_, let multiline):
            TextField(label, text: binding(input.key), axis: multiline ? .vertical : .horizontal)
        case .choice(let options, let many):
            Section(label) {
                ForEach(options, id: \.value) { o in
                    let picked = model.picks(input.key).contains(o.value)
                    Button((picked ? "✓ " : "") + o.label) {
                        if many { model.toggle(input.key, o.value) } else { model.set(input.key, o.value) }
                        revision += 1
                    }
                    .accessibilityLabel(many ? "选择\(o.label)" : o.label)
                }
            }
        case .person(let exclude):
            let picker = PeoplePickerModel(app: app, exclude: Set(exclude))
            TextField(Strings.peopleHint, text: $query)
            ForEach({ picker.query(query); return picker.people.value }(), id: \.id) { p in
                Button((model.value(input.key) == p.id ? "✓ " : "") + "\(p.name)　\(p.groups.joined(separator: "、"))") {
                    model.set(input.key, p.id)
                    revision += 1
                }
                .accessibilityLabel("选择\(p.name)")
            }
        case .date:
            TextField("\(label)（年-月-日）", text: binding(input.key))
        case .number(let min, let max):
            TextField("\(label)（\(min)—\(max)）", text: binding(input.key))
        }
    }

    private func binding(_ key: String) -> Binding<String> {
        Binding(get: { model.value(key) }, set: { model.set(key, $0) })
    }
}

/// The actions offered on an item, each a button: taken at once when it asks for nothing, its
/// form opened in a sheet otherwise. `take` returns whether the core accepted it.
public struct ItemActionsView: View {
    let app: LvzhiApp
    let forms: [ActionForm]
    let take: (ActionFormModel) -> Bool
    @State private var open: ActionFormModel?

    public init(app: LvzhiApp, forms: [ActionForm], take: @escaping (ActionFormModel) -> Bool) {
        self.app = app
        self.forms = forms
        self.take = take
    }

    public var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            ForEach(forms, id: \.label) { f in
                Button(f.label) {
                    let filling = ActionFormModel(form: f)
                    if filling.direct { _ = take(filling) } else { open = filling }
                }
                .accessibilityLabel(f.label)
            }
        }
        .sheet(item: $open) { filling in
            NavigationStack { ActionFormView(app: app, model: filling) { ok in
                if !ok || take(filling) { open = nil }
            } }
        }
    }
}

public struct SearchView: View {
    let app: LvzhiApp
    let model: SearchModel
    @StateObject private var results: Watched<SearchModel.Results>
    @State private var query = ""
    public init(app: LvzhiApp) {
        self.app = app
        let model = SearchModel(app: app)
        self.model = model
        _results = StateObject(wrappedValue: Watched(model.results))
    }
    public var body: some View {
        List {
            Section(Strings.proposals) {
                ForEach(results.value.proposals, id: \.id) { p in
                    NavigationLink(value: p.id) { Text(p.title) }.accessibilityLabel("提案：\(p.title)")
                }
            }
            Section("群消息") {
                ForEach(results.value.messages, id: \.id) { m in Text("\(m.senderName)：\(m.text)") }
            }
        }
        .searchable(text: $query, prompt: Strings.searchHint)
        .onChange(of: query) { model.search($0) }
        .navigationTitle(Strings.search)
        .navigationDestination(for: String.self) { id in ProposalDetailView(app: app, id: id) }
    }
}

public struct GroupListView: View {
    let app: LvzhiApp
    @StateObject private var groups: Watched<[GroupSummary]>
    public init(app: LvzhiApp) {
        self.app = app
        _groups = StateObject(wrappedValue: Watched(GroupListModel(app: app).groups))
    }
    public var body: some View {
        List(groups.value, id: \.group.id) { g in
            NavigationLink(value: g.group.id) {
                VStack(alignment: .leading) {
                    Text(g.group.name)
                    if g.unread > 0 { Text("\(g.unread)条未读　\(g.unreadMentions)条@我").font(.caption).foregroundStyle(.red) }
                }
            }
            .accessibilityLabel("群：\(g.group.name)，\(g.unread)条未读")
        }
        .navigationTitle(Strings.groups)
        .navigationDestination(for: String.self) { id in ChatView(app: app, model: ChatTimelineModel(app: app, groupId: id)) }
    }
}

public struct ChatView: View {
    let app: LvzhiApp
    let model: ChatTimelineModel
    @StateObject private var items: Watched<[TimelineItem]>
    @State private var draft = ""
    @State private var replyTo: TimelineItem?
    @State private var mentions: [String] = []
    @State private var importing = false
    @StateObject private var older: Watched<[TimelineItem]>
    @StateObject private var noMore: Watched<Bool>
    public init(app: LvzhiApp, model: ChatTimelineModel) {
        self.app = app
        self.model = model
        _items = StateObject(wrappedValue: Watched(model.items))
        _older = StateObject(wrappedValue: Watched(model.older))
        _noMore = StateObject(wrappedValue: Watched(model.noMore))
    }
    public var body: some View {
        VStack {
            // Older history, a page at a time from the server, kept on the phone from then on.
            if noMore.value {
                Text("没有更早的消息了").font(.footnote).foregroundStyle(.secondary)
            } else {
                Button("加载更早的消息") { Task { await model.loadOlder() } }.font(.footnote)
            }
            List(older.value + items.value, id: \.id) { m in
                VStack(alignment: .leading) {
                    Text(m.senderName).font(.caption)
                    if !m.text.isEmpty { Text(m.text) }
                    AttachmentRows(app: app, attachments: m.attachments)
                    if m.state != .sent { Text(Strings.state(m.state)).font(.caption2).foregroundStyle(.orange) }
                }
                .accessibilityElement(children: .combine)
                .swipeActions {
                    if m.seq != nil && !m.recalled && !m.deleted {
                        Button(Strings.reply) { replyTo = m }
                        if m.senderId == app.me()?.personId { Button(Strings.recall) { model.recall(m.id) } }
                    }
                }
            }
            if let r = replyTo {
                HStack {
                    Text("回复 \(r.senderName)：\(String(r.text.prefix(20)))").font(.caption)
                    Button(Strings.cancel) { replyTo = nil }
                }
            }
            HStack {
                Menu("@") {
                    ForEach((try? app.people()) ?? [], id: \.id) { p in
                        Button(p.name) { mentions.append(p.id); draft += "@\(p.name) " }
                    }
                }
                .accessibilityLabel("@提醒")
                Button { importing = true } label: { Image(systemName: "paperclip") }
                    .accessibilityLabel("添加附件")
                TextField(Strings.messageHint, text: $draft)
                Button(Strings.send) {
                    if model.send(draft, replyTo: replyTo?.id, mentions: mentions) { draft = ""; replyTo = nil; mentions = [] }
                }
                .accessibilityLabel("发送消息")
            }
            .padding()
            if items.value.contains(where: { if case .failed = $0.state { return true } else { return false } }) {
                Button(Strings.retryAll) { model.retryAll() }.accessibilityLabel(Strings.retryAll)
            }
        }
        .navigationTitle(Strings.groups)
        .onDisappear { model.markAllRead() }
        // A file or photo from the system's picker: shown at once, sent when uploaded.
        .fileImporter(isPresented: $importing, allowedContentTypes: [.item]) { result in
            guard case .success(let url) = result else { return }
            let scoped = url.startAccessingSecurityScopedResource()
            defer { if scoped { url.stopAccessingSecurityScopedResource() } }
            guard let data = try? Data(contentsOf: url) else { return }
            let type = UTType(filenameExtension: url.pathExtension)?.preferredMIMEType ?? "application/octet-stream"
            model.sendFile(name: url.lastPathComponent, contentType: type, data: data, text: draft)
            draft = ""
        }
    }
}

public struct OutboxView: View {
    let model: OutboxModel
    @StateObject private var items: Watched<[OutboxItem]>
    public init(model: OutboxModel) {
        self.model = model
        _items = StateObject(wrappedValue: Watched(model.items))
        model.refresh()
    }
    public var body: some View {
        List {
            if items.value.isEmpty { Text(Strings.outboxEmpty) }
            ForEach(items.value, id: \.id) { item in
                VStack(alignment: .leading) {
                    Text(item.label)
                    Text(Strings.outboxState(item.state)).font(.caption)
                    if case .refused = item.state {
                        HStack {
                            Button(Strings.retry) { model.retry(item.id) }.accessibilityLabel("\(Strings.retry)：\(item.label)")
                            Button(Strings.discard) { model.discard(item.id) }.accessibilityLabel("\(Strings.discard)：\(item.label)")
                        }
                    }
                }
            }
        }
        .navigationTitle(Strings.outbox)
    }
}
#endif
