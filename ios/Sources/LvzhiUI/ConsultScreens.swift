#if canImport(SwiftUI)
import SwiftUI
import LvzhiKit

// 履职: 会议活动, 社情民意, 网络议政 and 基层协商 under one tab. Every decision is in LvzhiKit and
// the core; these views render the state holders and forward taps.

/// Navigation values of this tab (meetings use plain ids).
struct ReportRef: Hashable { let id: String }
struct TopicRef: Hashable { let id: String }

enum DutyPage: String, CaseIterable, Identifiable {
    case meetings = "会议活动", notices = "通知", reports = "社情民意", topics = "网络议政", grassroots = "基层协商"
    var id: String { rawValue }
}

public struct DutyHubView: View {
    let app: LvzhiApp
    @State private var page = DutyPage.meetings

    public init(app: LvzhiApp) { self.app = app }

    public var body: some View {
        VStack(spacing: 0) {
            Picker(Strings.meetings, selection: $page) {
                ForEach(DutyPage.allCases) { p in Text(p.rawValue).tag(p) }
            }
            .pickerStyle(.segmented)
            .padding(.horizontal)
            switch page {
            case .meetings: MeetingListView(app: app)
            case .notices: NoticesView(app: app)
            case .reports: ReportListView(app: app)
            case .topics: TopicListView(app: app)
            case .grassroots: GrassrootsView(app: app)
            }
        }
        .navigationDestination(for: ReportRef.self) { r in ReportDetailView(app: app, model: ReportDetailModel(app: app, id: r.id)) }
        .navigationDestination(for: TopicRef.self) { t in TopicDetailView(model: TopicDetailModel(app: app, id: t.id)) }
    }
}

// --- 社情民意 -----------------------------------------------------------------------------

public struct ReportListView: View {
    let app: LvzhiApp
    @StateObject private var reports: Watched<[ReportItem]>
    @State private var writing = false
    @State private var showStats = false

    private var isMember: Bool { app.me()?.roles.contains { $0.role == .member } ?? false }
    private var isStaff: Bool { app.me()?.roles.contains { $0.role == .proposalStaff || $0.role == .orgAdmin } ?? false }

    public init(app: LvzhiApp) {
        self.app = app
        _reports = StateObject(wrappedValue: Watched(ReportListModel(app: app).reports))
    }

    public var body: some View {
        List {
            if reports.value.isEmpty { Text("暂无社情民意信息") }
            ForEach(reports.value, id: \.id) { r in
                NavigationLink(value: ReportRef(id: r.id)) {
                    VStack(alignment: .leading) {
                        Text(r.title)
                        Text("\(r.stateLabel)　\(r.authors)　\(r.chars)字\(r.adoptedAbove ? "　上级采用" : "")")
                            .font(.caption).foregroundStyle(.secondary)
                    }
                }
                .accessibilityLabel("社情民意：\(r.title)，\(r.stateLabel)")
            }
        }
        .toolbar {
            if isMember { Button("写社情民意") { writing = true } }
            if isStaff { Button("统计") { showStats = true } }
        }
        .sheet(isPresented: $writing) {
            NavigationStack { ReportEditorView(model: ReportEditorModel(app: app)) { writing = false } }
        }
        .sheet(isPresented: $showStats) {
            NavigationStack { ReportStatsView(model: ReportStatsModel(app: app)) }
        }
    }
}

/// Writing a report, offline: four parts with a live count and the usual limit.
public struct ReportEditorView: View {
    let model: ReportEditorModel
    let done: () -> Void
    @StateObject private var error: Watched<String?>
    @State private var title = ""
    @State private var situation = ""
    @State private var analysis = ""
    @State private var suggestion = ""
    @State private var coAuthors: [String] = []
    @State private var group: String?

    public init(model: ReportEditorModel, done: @escaping () -> Void) {
        self.model = model
        self.done = done
        _error = StateObject(wrappedValue: Watched(model.error))
        _title = State(initialValue: model.title)
        _situation = State(initialValue: model.situation)
        _analysis = State(initialValue: model.analysis)
        _suggestion = State(initialValue: model.suggestion)
    }

    private func push() {
        model.title = title
        model.situation = situation
        model.analysis = analysis
        model.suggestion = suggestion
    }

    public var body: some View {
        Form {
            TextField(Strings.title, text: $title)
            Section("基本情况") { TextEditor(text: $situation).frame(minHeight: 100) }
            Section("问题分析") { TextEditor(text: $analysis).frame(minHeight: 80) }
            Section("意见建议") { TextEditor(text: $suggestion).frame(minHeight: 80) }
            if model.id == nil { authors }
            let chars = situation.count + analysis.count + suggestion.count
            Text("正文\(chars)字（一事一报，一般不超过\(ReportEditorModel.usualChars)字）").font(.caption)
                .foregroundStyle(chars > ReportEditorModel.usualChars ? Color.red : Color.secondary)
            if let e = error.value { Text(e).foregroundStyle(.red) }
            Button("保存草稿") { push(); model.save() }
            Button("报送") { push(); if model.submit() { done() } }
        }
        .navigationTitle("社情民意")
    }

    /// A new report's co-authors (联名) and, optionally, the 界别 or 专委会 it is written for.
    @ViewBuilder private var authors: some View {
        let people = (try? model.app.people()) ?? []
        let me = model.app.me()?.personId
        Section("联名与署名") {
            Menu(coAuthors.isEmpty ? "添加联名委员" : "联名：\(people.filter { coAuthors.contains($0.id) }.map(\.name).joined(separator: "、"))") {
                ForEach(people.filter { $0.id != me && $0.role == .member }, id: \.id) { p in
                    Button(p.name) { if !coAuthors.contains(p.id) { coAuthors.append(p.id); model.coAuthors = coAuthors } }
                }
            }
            .accessibilityLabel("添加联名委员")
            let mine = people.first { $0.id == me }?.groups ?? []
            if !mine.isEmpty {
                Picker("署名", selection: Binding(get: { group }, set: { group = $0; model.authorGroup = $0 })) {
                    Text("以个人名义").tag(String?.none)
                    ForEach(mine, id: \.self) { g in Text("以\(g)名义").tag(String?.some(g)) }
                }
            }
        }
    }
}

public struct ReportDetailView: View {
    let app: LvzhiApp
    let model: ReportDetailModel
    @StateObject private var detail: Watched<ReportDetail?>
    @StateObject private var error: Watched<String?>
    @State private var text = ""
    @State private var editing = false

    public init(app: LvzhiApp, model: ReportDetailModel) {
        self.app = app
        self.model = model
        _detail = StateObject(wrappedValue: Watched(model.detail))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        ScrollView {
            if let d = detail.value {
                let r = d.report
                VStack(alignment: .leading, spacing: 8) {
                    Text(r.content.title).font(.title2)
                    Text("\(d.item.stateLabel)　\(d.item.authors)　\(d.item.orgName)").foregroundStyle(.red)
                    if let w = d.lengthWarning { Text(w).foregroundStyle(.red) }
                    if let reason = r.reason { Text("理由：\(reason)").foregroundStyle(.red) }
                    Text("基本情况").font(.headline); Text(r.content.situation)
                    if !r.content.analysis.isEmpty { Text("问题分析").font(.headline); Text(r.content.analysis) }
                    Text("意见建议").font(.headline); Text(r.content.suggestion)
                    AttachmentRows(app: app, attachments: r.content.attachments)
                    if d.canEdit { Button("修改") { editing = true } }
                    ForEach(Array(d.editions.enumerated()), id: \.offset) { _, e in
                        Text("\(e.orgName)编发（\(e.issue)）").font(.headline)
                        if e.changes.isEmpty { Text("未改动原文") }
                        ForEach(Array(e.changes.enumerated()), id: \.offset) { _, c in
                            Text("\(c.field)：").bold()
                            Text("原文：\(c.original)").font(.caption)
                            Text("编发稿：\(c.edited)").font(.caption).foregroundStyle(.red)
                        }
                    }
                    ForEach(Array(r.instructions.enumerated()), id: \.offset) { _, i in Text("批示：\(i.leader)：\(i.text)") }
                    if let f = r.feedback { Text("反馈：\(f)") }
                    Text(d.historyIntact ? Strings.history : "\(Strings.history)（校验失败）").font(.headline)
                    ForEach(Array(d.history.enumerated()), id: \.offset) { _, h in
                        Text("\(h.actorName)　\(h.actionLabel)\(h.note.isEmpty ? "" : "：\(h.note)")").font(.caption)
                    }
                    if let e = error.value { Text(e).foregroundStyle(.red) }
                    // 提交, 受理, 退回, 不予采用, 报送上级, 记录批示, 反馈: whichever the core offers now.
                    if !d.actions.isEmpty { Text(Strings.actions).font(.headline) }
                    ItemActionsView(app: app, forms: d.actions) { model.take($0) }
                    if d.staffSteps.contains("edit") {
                        // 编发 is an editor of the text, not a form: the issue here, the text as written.
                        TextField("期号", text: $text)
                        Button("编发") { if model.edit(issue: text, content: r.content) { text = "" } }
                    }
                }
                .padding()
            }
        }
        .sheet(isPresented: $editing) {
            NavigationStack {
                ReportEditorView(model: ReportEditorModel(app: app, id: model.id)) { editing = false; model.refresh() }
            }
        }
    }
}

public struct ReportStatsView: View {
    let model: ReportStatsModel
    @StateObject private var rows: Watched<[StatsRow]>
    @StateObject private var error: Watched<String?>

    public init(model: ReportStatsModel) {
        self.model = model
        _rows = StateObject(wrappedValue: Watched(model.rows))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        List {
            if let e = error.value { Text(e).foregroundStyle(.red) }
            ForEach(Array(rows.value.enumerated()), id: \.offset) { _, r in
                VStack(alignment: .leading) {
                    Text("\(r.orgName)　\(r.month)")
                    Text("报送\(r.submitted) 受理\(r.accepted) 编发\(r.edited) 报送上级\(r.sentUp) 批示\(r.instructed) 被上级采用\(r.adoptedAbove) 采用下级\(r.adoptedFromBelow)")
                        .font(.caption)
                }
            }
        }
        .navigationTitle("社情民意统计")
        .task { await model.load() }
    }
}

// --- 网络议政 -----------------------------------------------------------------------------

public struct TopicListView: View {
    let app: LvzhiApp
    @StateObject private var topics: Watched<[TopicItem]>

    public init(app: LvzhiApp) {
        self.app = app
        _topics = StateObject(wrappedValue: Watched(TopicListModel(app: app).topics))
    }

    public var body: some View {
        List {
            if topics.value.isEmpty { Text("暂无网络议政议题") }
            ForEach(topics.value, id: \.id) { t in
                NavigationLink(value: TopicRef(id: t.id)) {
                    VStack(alignment: .leading) {
                        Text(t.title)
                        Text("\(t.statusLabel)　意见\(t.posts)条（我\(t.myPosts)条）").font(.caption).foregroundStyle(.secondary)
                    }
                }
                .accessibilityLabel("议题：\(t.title)，\(t.statusLabel)")
            }
        }
    }
}

public struct TopicDetailView: View {
    let model: TopicDetailModel
    @StateObject private var detail: Watched<TopicDetail?>
    @StateObject private var error: Watched<String?>
    @State private var text = ""
    @State private var replyTo: String?
    @State private var editing: String?

    public init(model: TopicDetailModel) {
        self.model = model
        _detail = StateObject(wrappedValue: Watched(model.detail))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        ScrollView {
            if let d = detail.value {
                VStack(alignment: .leading, spacing: 8) {
                    Text(d.topic.title).font(.title2)
                    Text(d.item.statusLabel).foregroundStyle(.red)
                    Text(d.topic.background)
                    if let s = d.topic.summary { Text("综述").font(.headline); Text(s.text) }
                    Text("委员意见").font(.headline)
                    ForEach(d.posts, id: \.id) { p in
                        VStack(alignment: .leading) {
                            Text("\(p.authorName)\(p.replyTo == nil ? "" : " 回复")：\(p.hiddenReason.map { "（该意见已被隐藏：\($0)）" } ?? p.text)")
                            Text([p.seconds > 0 ? "附议\(p.seconds)" : nil, p.used ? "综述采用" : nil].compactMap { $0 }.joined(separator: "　"))
                                .font(.caption).foregroundStyle(.red)
                            HStack {
                                // 附议 and 隐藏 as the core offers them on this post.
                                ItemActionsView(app: model.app, forms: p.actions) { model.take($0, on: p.id) }
                                if d.canPost && p.hiddenReason == nil { Button("回复") { replyTo = p.id; editing = nil } }
                                if d.canPost && p.hiddenReason == nil && p.authorId == model.app.me()?.personId {
                                    Button("修改") { editing = p.id; replyTo = nil; text = p.text }.accessibilityLabel("修改我的意见")
                                }
                            }
                        }
                        .accessibilityElement(children: .combine)
                    }
                    if let e = error.value { Text(e).foregroundStyle(.red) }
                    if d.canPost {
                        TextField(editing != nil ? "修改意见" : replyTo == nil ? "发表意见" : "回复内容", text: $text, axis: .vertical)
                        Button(editing != nil ? "保存修改" : "提交意见") {
                            let done = editing.map { model.edit(postId: $0, text: text) } ?? model.post(text, replyTo: replyTo)
                            if done { text = ""; replyTo = nil; editing = nil }
                        }
                    }
                    // 结束议题, 发布综述 (with the posts it may quote): the core's forms.
                    ItemActionsView(app: model.app, forms: d.actions) { model.take($0) }
                }
                .padding()
            }
        }
    }
}

// --- 远程协商, 协商在基层 --------------------------------------------------------------------

/// A remote consultation's venues and speakers, shown inside the meeting. Asking to speak,
/// ordering and marking speakers are the meeting's actions, with the others.
public struct SpeakersSection: View {
    let remote: RemoteInfo
    let speakers: [SpeakerLine]

    public init(remote: RemoteInfo, speakers: [SpeakerLine]) {
        self.remote = remote
        self.speakers = speakers
    }

    public var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            Text("远程协商").font(.headline)
            Text("议题：\(remote.topic)")
            Text("主会场：\(remote.mainVenue)")
            ForEach(remote.branchVenues, id: \.orgId) { v in Text("分会场：\(v.place)") }
            if !remote.videoLink.isEmpty { Text("视频链接：\(remote.videoLink)").font(.caption).textSelection(.enabled) }
            ForEach(speakers, id: \.personId) { s in
                Text("\(s.order.map { "\($0). " } ?? "")\(s.name)\(s.spoke ? "（已发言）" : "")")
            }
        }
    }
}

public struct GrassrootsView: View {
    let model: ConsultationModel
    let app: LvzhiApp
    @StateObject private var items: Watched<[ConsultationItem]>
    @StateObject private var error: Watched<String?>
    @State private var township = ""
    @State private var topic = ""
    @State private var residents = ""
    /// 协商共识 with the unit responsible for each, as many as were agreed.
    @State private var points: [(String, String)] = [("", "")]
    @State private var note = ""

    public init(app: LvzhiApp) {
        self.app = app
        let model = ConsultationModel(app: app)
        self.model = model
        _items = StateObject(wrappedValue: Watched(model.items))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        List {
            Section("记录基层协商") {
                TextField("乡镇（街道）或社区", text: $township)
                TextField("协商议题", text: $topic)
                TextField("参与群众人数", text: $residents)
                ForEach(points.indices, id: \.self) { i in
                    TextField(i == 0 ? "协商共识" : "协商共识\(i + 1)", text: Binding(get: { points[i].0 }, set: { points[i].0 = $0 }))
                    TextField(i == 0 ? "责任单位" : "责任单位\(i + 1)", text: Binding(get: { points[i].1 }, set: { points[i].1 = $0 }))
                }
                Button("再添一条共识") { points.append(("", "")) }
                Button("保存记录") {
                    let kept = points.filter { !$0.0.isEmpty }
                    if model.record(township: township, topic: topic, residents: UInt32(residents) ?? 0, points: kept) != nil {
                        township = ""; topic = ""; residents = ""; points = [("", "")]
                    }
                }
                if let e = error.value { Text(e).foregroundStyle(.red) }
            }
            Section("基层协商") {
                TextField("落实情况说明", text: $note)
                ForEach(items.value, id: \.id) { c in
                    VStack(alignment: .leading) {
                        Text("\(c.township)：\(c.topic)")
                        Text("群众\(c.residents)人　共识\(c.points)项（已落实\(c.pointsDone)项）").font(.caption)
                        if let full = try? app.consultation(id: c.id) {
                            ForEach(full.points, id: \.id) { p in
                                HStack {
                                    Text("\(p.id). \(p.text)　\(p.unit)")
                                    Button("已落实") { if model.followUp(id: c.id, pointId: p.id, status: .done, note: note) { note = "" } }
                                    Button("未落实") { if model.followUp(id: c.id, pointId: p.id, status: .notDone, note: note) { note = "" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
#endif
