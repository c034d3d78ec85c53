#if canImport(SwiftUI)
import SwiftUI
import LvzhiKit
#if canImport(UIKit)
import UIKit
#endif

// 学习 (学习资料, 读书, 信息), files in messages, and 存储空间. Every decision is in LvzhiKit and the
// core; these views render the state holders and forward taps.

struct MaterialRef: Hashable { let id: String }
struct NewsRef: Hashable { let id: String }
struct ReadingRef: Hashable { let groupId: String }

enum StudyPage: String, CaseIterable, Identifiable {
    case materials = "学习资料", reading = "读书", news = "信息"
    var id: String { rawValue }
}

public struct StudyHubView: View {
    let app: LvzhiApp
    @State private var page = StudyPage.materials

    public init(app: LvzhiApp) { self.app = app }

    public var body: some View {
        VStack(spacing: 0) {
            Picker("学习", selection: $page) {
                ForEach(StudyPage.allCases) { p in Text(p.rawValue).tag(p) }
            }
            .pickerStyle(.segmented)
            .padding(.horizontal)
            switch page {
            case .materials: MaterialListView(app: app)
            case .reading: ReadingGroupsView(app: app)
            case .news: NewsFeedView(app: app)
            }
        }
        .navigationDestination(for: MaterialRef.self) { m in MaterialView(app: app, model: MaterialModel(app: app, id: m.id)) }
        .navigationDestination(for: NewsRef.self) { n in NewsView(app: app, id: n.id) }
        .navigationDestination(for: ReadingRef.self) { r in ReadingView(model: ReadingModel(app: app, groupId: r.groupId)) }
        .navigationTitle("学习")
    }
}

struct MaterialListView: View {
    let app: LvzhiApp
    @StateObject private var items: Watched<[MaterialItem]>

    init(app: LvzhiApp) {
        self.app = app
        _items = StateObject(wrappedValue: Watched(MaterialListModel(app: app).items))
    }

    private var bySeries: [(String, [MaterialItem])] {
        var order: [String] = []
        var groups: [String: [MaterialItem]] = [:]
        for i in items.value {
            let key = i.material.series ?? "其他学习资料"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        return order.map { ($0, groups[$0]!) }
    }

    var body: some View {
        List {
            if items.value.isEmpty { Text("暂无学习资料") }
            ForEach(bySeries, id: \.0) { series, list in
                Section(series) {
                    ForEach(list, id: \.material.id) { i in
                        NavigationLink(value: MaterialRef(id: i.material.id)) {
                            VStack(alignment: .leading) {
                                Text(i.material.title)
                                let marks = [i.studied ? "已学习" : nil, i.notes > 0 ? "笔记\(i.notes)条" : nil,
                                             i.material.withdrawn != nil ? "已撤回" : nil].compactMap { $0 }
                                if !marks.isEmpty { Text(marks.joined(separator: "　")).font(.caption).foregroundStyle(.tint) }
                            }
                        }
                        .accessibilityLabel("资料：\(i.material.title)")
                    }
                }
            }
        }
    }
}

struct MaterialView: View {
    let app: LvzhiApp
    let model: MaterialModel
    @StateObject private var detail: Watched<MaterialDetail?>
    @StateObject private var error: Watched<String?>
    @State private var note = ""
    @State private var quote = ""

    init(app: LvzhiApp, model: MaterialModel) {
        self.app = app
        self.model = model
        _detail = StateObject(wrappedValue: Watched(model.detail))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    var body: some View {
        Form {
            if let d = detail.value {
                Section {
                    Text(d.material.title).font(.title3)
                    Text("\(d.publisherName)　\(d.material.series ?? "")").font(.caption)
                    if let w = d.material.withdrawn { Text("已撤回：\(w)").foregroundStyle(.red) }
                    Text(d.material.body)
                    if let v = d.material.video, let url = URL(string: v.url) {
                        Link("视频：\(v.title)（\(v.minutes)分钟）", destination: url)
                    }
                    AttachmentRows(app: app, attachments: d.material.attachments)
                }
                Section {
                    if d.study?.studiedAtMs != nil {
                        Text("已学习").foregroundStyle(.tint)
                    }
                    // 标记已学习 (the member's own mark) and 撤回资料 (its staff), as the core offers them.
                    ItemActionsView(app: app, forms: d.actions) { model.take($0) }
                }
                Section("我的笔记") {
                    ForEach(d.study?.notes ?? [], id: \.id) { n in
                        VStack(alignment: .leading) {
                            if let q = n.quote { Text("“\(q)”").font(.caption).foregroundStyle(.secondary) }
                            Text(n.text)
                            // A note is the member's own; sharing posts a copy into a group they choose.
                            let groups = (try? app.groups()) ?? []
                            if !groups.isEmpty {
                                Menu("分享到群") {
                                    ForEach(groups, id: \.group.id) { g in Button(g.group.name) { model.share(noteId: n.id, groupId: g.group.id) } }
                                }
                                .accessibilityLabel("分享笔记到群")
                            }
                        }
                    }
                    TextField("标注原文（可选）", text: $quote)
                    TextField("写下学习体会（仅自己可见）", text: $note, axis: .vertical)
                    if let e = error.value { Text(e).foregroundStyle(.red) }
                    Button("保存笔记") {
                        if model.writeNote(note, quote: quote) { note = ""; quote = "" }
                    }
                }
            }
        }
    }
}

struct ReadingGroupsView: View {
    let app: LvzhiApp

    var body: some View {
        let groups = ((try? app.groups()) ?? []).filter { $0.group.kind == .readingGroup }
        List {
            if groups.isEmpty { Text("您还没有加入读书群") }
            ForEach(groups, id: \.group.id) { g in
                NavigationLink(g.group.name, value: ReadingRef(groupId: g.group.id))
            }
        }
    }
}

struct ReadingView: View {
    let model: ReadingModel
    @StateObject private var view: Watched<LvzhiKit.ReadingView?>
    @StateObject private var error: Watched<String?>
    @State private var text = ""

    init(model: ReadingModel) {
        self.model = model
        _view = StateObject(wrappedValue: Watched(model.view))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    private static let day: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f
    }()

    var body: some View {
        Form {
            if let plan = view.value?.plan {
                Section("读书计划") {
                    ForEach(plan.items, id: \.title) { i in Text("\(i.title)（\(i.author)）") }
                    Text("领读人：\((view.value?.leadNames ?? []).joined(separator: "、"))")
                }
                if !plan.guides.isEmpty {
                    Section("导读") {
                        ForEach(plan.guides, id: \.id) { g in
                            VStack(alignment: .leading) { Text(g.title).font(.headline); Text(g.text) }
                        }
                    }
                }
                Section("读书心得") {
                    ForEach(view.value?.notes ?? [], id: \.note.id) { n in Text("\(n.note.day)　\(n.authorName)：\(n.note.text)") }
                    TextField("今天读了什么、有什么体会（自愿填写）", text: $text, axis: .vertical)
                    if let e = error.value { Text(e).foregroundStyle(.red) }
                    Button("保存今天的心得") {
                        if model.writeNote(day: Self.day.string(from: Date()), text) { text = "" }
                    }
                }
            } else {
                Text("本群还没有读书计划")
            }
        }
    }
}

struct NewsFeedView: View {
    let app: LvzhiApp
    @StateObject private var items: Watched<[News]>

    init(app: LvzhiApp) {
        self.app = app
        _items = StateObject(wrappedValue: Watched(NewsFeedModel(app: app).items))
    }

    var body: some View {
        List {
            if items.value.isEmpty { Text("暂无信息") }
            ForEach(items.value, id: \.id) { n in
                NavigationLink(value: NewsRef(id: n.id)) {
                    VStack(alignment: .leading) {
                        Text(n.title)
                        Text(n.summary).font(.caption).foregroundStyle(.secondary).lineLimit(2)
                    }
                }
                .accessibilityLabel("信息：\(n.title)")
            }
        }
    }
}

struct NewsView: View {
    let app: LvzhiApp
    let id: String

    var body: some View {
        ScrollView {
            if let n = try? app.newsItem(id: id) {
                VStack(alignment: .leading, spacing: 8) {
                    Text(n.title).font(.title3)
                    if let cover = n.cover { AttachmentRows(app: app, attachments: [cover]) }
                    Text(n.body)
                }
                .padding()
            }
        }
    }
}

/// The files of a message, material or news item: a photo's thumbnail (it travelled with the
/// message), name, kind and size, where the file stands; a tap downloads it (resumed).
struct AttachmentRows: View {
    let app: LvzhiApp
    let attachments: [Attachment]
    @State private var transfers: TransfersModel?
    @State private var views: [AttachmentView] = []

    var body: some View {
        ForEach(views, id: \.attachment.hash) { v in
            Button {
                Task {
                    let t = transfers ?? TransfersModel(app: app)
                    transfers = t
                    await t.download(v.attachment)
                    views = t.views(attachments)
                }
            } label: {
                HStack {
                    #if canImport(UIKit)
                    if let b64 = v.attachment.thumbnail, let data = Data(base64Encoded: b64), let image = UIImage(data: data) {
                        Image(uiImage: image).resizable().scaledToFill().frame(width: 56, height: 56).clipped()
                    }
                    #endif
                    VStack(alignment: .leading) {
                        Text(v.attachment.name)
                        Text("\(v.caption)　\(Self.label(v.state, size: v.attachment.size))").font(.caption).foregroundStyle(.secondary)
                    }
                }
            }
            .accessibilityLabel("附件：\(v.attachment.name)，\(v.caption)")
        }
        .onAppear { views = (transfers ?? TransfersModel(app: app)).views(attachments) }
    }

    static func label(_ state: FileState, size: UInt64) -> String {
        switch state {
        case .here: return "已下载"
        case .notHere: return "下载"
        case .partial(let done): return "已下载 \(done * 100 / max(size, 1))%，点按继续"
        case .uploading(let done): return "等待上传 \(done * 100 / max(size, 1))%"
        case .uploadFailed(let reason): return "上传失败：\(reason)"
        }
    }
}

/// 存储空间: what files take on this phone, and 清理缓存.
public struct StorageView: View {
    let model: CacheModel
    @StateObject private var message: Watched<String?>
    @State private var label = ""

    public init(model: CacheModel) {
        self.model = model
        _message = StateObject(wrappedValue: Watched(model.message))
    }

    public var body: some View {
        Form {
            Text(label)
            Text("清理后，保留的文件和尚未上传的文件不受影响；其他文件需要时可重新下载。").font(.caption)
            Button("清理缓存") { model.clear(); label = model.label }
            if let m = message.value { Text(m) }
        }
        .onAppear { label = model.label }
        .navigationTitle("存储空间")
    }
}
#endif
