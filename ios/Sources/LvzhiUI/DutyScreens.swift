#if canImport(SwiftUI)
import SwiftUI
import LvzhiKit

// 通知 (with 待办), 会议 and 我的 (履职档案, 搜索, 待发送). Every decision is in LvzhiKit and the
// core; these views render the state holders and forward taps.

/// 待办 on top, then every notice, newest first; staff also publish here.
public struct NoticesView: View {
    let app: LvzhiApp
    @StateObject private var notices: Watched<[NoticeItem]>
    @StateObject private var due: Watched<[Reminder]>
    @State private var publishing = false

    private var isStaff: Bool {
        app.me()?.roles.contains { $0.role == .proposalStaff || $0.role == .orgAdmin } ?? false
    }

    public init(app: LvzhiApp) {
        self.app = app
        _notices = StateObject(wrappedValue: Watched(NoticeListModel(app: app).notices))
        _due = StateObject(wrappedValue: Watched(ReminderListModel(app: app).reminders))
    }

    public var body: some View {
        List {
            Section(Strings.dueList) {
                if due.value.isEmpty { Text(Strings.nothingDue) }
                ForEach(due.value, id: \.id) { r in
                    VStack(alignment: .leading) {
                        Text(r.title)
                        Text(r.action).font(.caption).foregroundStyle(.red)
                    }
                    .accessibilityLabel("待办：\(r.action)，\(r.title)")
                }
            }
            Section(Strings.notices) {
                ForEach(notices.value, id: \.id) { n in
                    NavigationLink(value: n.id) {
                        VStack(alignment: .leading) {
                            Text(n.title)
                            Text([n.kindLabel, n.orgName, n.corrected ? Strings.corrected : nil, n.withdrawn ? Strings.withdrawn : nil,
                                  n.answerLabel.map { "已回执：\($0)" }].compactMap { $0 }.joined(separator: "　"))
                                .font(.caption).foregroundStyle(.secondary)
                        }
                    }
                    .accessibilityLabel("通知：\(n.title)")
                }
            }
        }
        .navigationTitle(Strings.notices)
        .navigationDestination(for: String.self) { id in NoticeDetailView(model: NoticeDetailModel(app: app, id: id)) }
        .toolbar {
            if isStaff { Button(Strings.publish) { publishing = true } }
        }
        .sheet(isPresented: $publishing) {
            NavigationStack { PublishNoticeView(model: PublishNoticeModel(app: app)) { publishing = false } }
        }
    }
}

/// Staff publish a notice.
public struct PublishNoticeView: View {
    let model: PublishNoticeModel
    let onDone: () -> Void
    @StateObject private var error: Watched<String?>
    @State private var title = ""
    @State private var text = ""
    @State private var kind = NoticeKind.work
    @State private var below = false
    @State private var days = ""

    public init(model: PublishNoticeModel, onDone: @escaping () -> Void) {
        self.model = model
        self.onDone = onDone
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        Form {
            TextField("通知标题", text: $title)
            TextField("通知正文", text: $text, axis: .vertical)
            Picker("类别", selection: $kind) {
                Text("会议通知").tag(NoticeKind.meeting)
                Text("工作通知").tag(NoticeKind.work)
                Text("学习通知").tag(NoticeKind.study)
                Text("公告").tag(NoticeKind.announcement)
            }
            Toggle("含下级组织委员", isOn: $below)
            TextField("回执期限（天，不填则不需回执）", text: $days)
            if let e = error.value { Text(e).foregroundStyle(.red) }
            Button("发布") {
                if model.publish(title: title, body: text, kind: kind, audience: .members(subordinates: below), replyDays: Int(days)) {
                    onDone()
                }
            }
        }
        .navigationTitle(Strings.publish)
    }
}

public struct NoticeDetailView: View {
    let model: NoticeDetailModel
    @StateObject private var detail: Watched<NoticeDetail?>
    @StateObject private var error: Watched<String?>

    public init(model: NoticeDetailModel) {
        self.model = model
        _detail = StateObject(wrappedValue: Watched(model.detail))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        ScrollView {
            if let d = detail.value {
                VStack(alignment: .leading, spacing: 8) {
                    Text(d.item.title).font(.title2)
                    Text([d.item.kindLabel, d.item.orgName, d.item.corrected ? Strings.corrected : nil].compactMap { $0 }.joined(separator: "　"))
                        .font(.caption)
                    if let reason = d.withdrawnReason { Text("\(Strings.withdrawn)：\(reason)").foregroundStyle(.red) }
                    Text(d.body)
                    AttachmentRows(app: model.app, attachments: d.attachments)
                    if let e = error.value { Text(e).foregroundStyle(.red) }
                    if let a = d.item.answerLabel { Text("我的回执：\(a)") }
                    // 回执, 撤回: whichever the core offers this user now.
                    ItemActionsView(app: model.app, forms: d.actions) { model.take($0) }
                    if d.canManage, let f = model.followUp() {
                        Text("应收\(f.recipients)人　已读\(f.read)人　已回执\(f.answered)人").font(.headline)
                        ForEach(f.lines, id: \.personId) { l in
                            Text("\(l.name)　\(l.answer.map(Strings.reply) ?? (l.read ? "已读未回执" : "未读"))")
                        }
                    }
                }
                .padding()
            }
        }
    }
}

public struct MeetingListView: View {
    let app: LvzhiApp
    @StateObject private var meetings: Watched<[MeetingItem]>

    public init(app: LvzhiApp) {
        self.app = app
        _meetings = StateObject(wrappedValue: Watched(MeetingListModel(app: app).meetings))
    }

    public var body: some View {
        List(meetings.value, id: \.id) { m in
            NavigationLink(value: m.id) {
                VStack(alignment: .leading) {
                    Text(m.title)
                    Text("\(m.kindLabel)　\(m.place)").font(.caption)
                    if let mine = m.myReplyLabel { Text(mine + (m.checkedIn ? "　已签到" : "")).font(.caption).foregroundStyle(.red) }
                }
            }
            .accessibilityLabel("会议：\(m.title)")
        }
        .navigationTitle(Strings.meetings)
        .navigationDestination(for: String.self) { id in MeetingDetailView(model: MeetingDetailModel(app: app, id: id)) }
    }
}

public struct MeetingDetailView: View {
    let model: MeetingDetailModel
    @StateObject private var detail: Watched<MeetingDetail?>
    @StateObject private var error: Watched<String?>
    @StateObject private var code: Watched<String?>

    public init(model: MeetingDetailModel) {
        self.model = model
        _detail = StateObject(wrappedValue: Watched(model.detail))
        _error = StateObject(wrappedValue: Watched(model.error))
        _code = StateObject(wrappedValue: Watched(model.code))
    }

    public var body: some View {
        ScrollView {
            if let d = detail.value {
                VStack(alignment: .leading, spacing: 8) {
                    Text(d.meeting.title).font(.title2)
                    Text("\(d.item.kindLabel)　地点：\(d.meeting.place)")
                    if let reason = d.meeting.cancelReason { Text("会议已取消：\(reason)").foregroundStyle(.red) }
                    if let mine = d.item.myReplyLabel { Text("我的状态：\(mine)\(d.item.checkedIn ? "　已签到" : "")").foregroundStyle(.red) }
                    if let e = error.value { Text(e).foregroundStyle(.red) }
                    // 参加/请假, 报名, 签到, speaking, and for staff the roster's leaves, check-ins and
                    // absences: whichever the core offers this user now, each as its form.
                    ItemActionsView(app: model.app, forms: d.actions) { model.take($0) }
                    if let remote = d.meeting.remote { SpeakersSection(remote: remote, speakers: d.speakers) }
                    if !d.meeting.agenda.isEmpty { Text("议程").font(.headline); Text(d.meeting.agenda) }
                    ForEach(d.meeting.documents, id: \.id) { doc in
                        Text("\(doc.title)（第\(doc.version)版）").font(.headline)
                        Text(doc.body)
                        AttachmentRows(app: model.app, attachments: doc.attachments)
                    }
                    if d.canManage && !d.item.cancelled {
                        Text("签到码").font(.headline)
                        if let c = code.value {
                            Text("请委员扫描此二维码签到（会前1小时至会议结束有效，无需网络）").font(.footnote)
                            QRCodeView(text: c).frame(maxWidth: 280)
                            Text(c).font(.caption).textSelection(.enabled)
                        } else {
                            Button("取得签到码") { Task { await model.fetchCode() } }
                        }
                    }
                    if d.canManage {
                        Text("参会名单").font(.headline)
                        ForEach(d.roster, id: \.personId) { l in
                            Text("\(l.name)　\(l.replyLabel)\(l.leaveLabel.map { "　请假\($0)" } ?? "")\(l.checkedIn ? "　已签到" : "")\(l.absenceLabel.map { "　\($0)" } ?? "")")
                        }
                    }
                }
                .padding()
            }
        }
    }
}

public struct DutyRecordView: View {
    @StateObject private var record: Watched<DutyRecord?>

    public init(model: DutyRecordModel) {
        _record = StateObject(wrappedValue: Watched(model.record))
    }

    public var body: some View {
        List {
            if let r = record.value {
                Section("\(r.year)年度履职积分 \(r.total) 分（\(r.ruleVersion == 0 ? "默认积分规则" : "积分规则第\(r.ruleVersion)版")）") {
                    ForEach(r.byKind, id: \.key) { k in Text("\(k.label)　\(k.count)次　\(k.points)分") }
                }
                Section("履职明细") {
                    ForEach(Array(r.lines.enumerated()), id: \.offset) { _, l in
                        VStack(alignment: .leading) {
                            Text(l.fact.title)
                            Text("\(l.label)　\(l.points)分").font(.caption)
                        }
                    }
                }
            }
        }
        .navigationTitle(Strings.record)
    }
}

public struct SelfReportView: View {
    let model: SelfReportModel
    @StateObject private var entries: Watched<[DutyEntryLine]>
    @StateObject private var error: Watched<String?>
    @State private var title = ""
    @State private var text = ""
    @State private var day = Date()

    public init(model: SelfReportModel) {
        self.model = model
        _entries = StateObject(wrappedValue: Watched(model.entries))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        Form {
            // Members report their duties; staff review them below.
            if model.app.me()?.roles.contains(where: { $0.role == .member }) == true {
                Section(Strings.selfReports) {
                    TextField("事项", text: $title)
                    TextField("履职内容", text: $text, axis: .vertical)
                    DatePicker("日期", selection: $day, displayedComponents: .date)
                    if let e = error.value { Text(e).foregroundStyle(.red) }
                    Button("提交") {
                        if model.submit(title: title, description: text, dateMs: Int64(day.timeIntervalSince1970 * 1000)) { title = ""; text = "" }
                    }
                }
            }
            ForEach(entries.value, id: \.entry.id) { line in
                VStack(alignment: .leading) {
                    Text(line.entry.title)
                    Text(line.entry.description).font(.caption)
                    // 认定 and 退回 only where the core offers them (staff, a self-report waiting).
                    ItemActionsView(app: model.app, forms: line.actions) { model.take(entryId: line.entry.id, $0) }
                }
            }
        }
        .navigationTitle(Strings.selfReports)
    }
}

public struct FeedbackView: View {
    let model: FeedbackModel
    @StateObject private var items: Watched<[FeedbackLine]>
    @StateObject private var error: Watched<String?>
    @State private var text = ""

    public init(model: FeedbackModel) {
        self.model = model
        _items = StateObject(wrappedValue: Watched(model.items))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        Form {
            Section("对应用或工作的意见建议，将送达本组织管理员并得到答复。") {
                TextField("意见建议", text: $text, axis: .vertical)
                if let e = error.value { Text(e).foregroundStyle(.red) }
                Button("提交") { if model.send(text) { text = "" } }
            }
            ForEach(items.value, id: \.feedback.id) { line in
                VStack(alignment: .leading) {
                    Text(line.feedback.text)
                    Text("答复：\(line.feedback.answer ?? "待答复")").font(.caption)
                    // 答复, for the organisation's administrators while unanswered.
                    ItemActionsView(app: model.app, forms: line.actions) { model.take(feedbackId: line.feedback.id, $0) }
                }
            }
        }
        .navigationTitle(Strings.feedback)
    }
}

/// 我的: 履职档案, 我的档案, 联络联系, 工作室值班 (a member's), 委员名录, 自主履职, 意见建议, 搜索,
/// 待发送.
public struct MineView: View {
    let app: LvzhiApp
    let login: LoginModel
    let scheduler: ReminderScheduling?

    private var isMember: Bool { app.me()?.roles.contains { $0.role == .member } ?? false }

    public init(app: LvzhiApp, login: LoginModel, scheduler: ReminderScheduling?) {
        self.app = app
        self.login = login
        self.scheduler = scheduler
    }

    public var body: some View {
        List {
            NavigationLink { DutyRecordView(model: DutyRecordModel(app: app, year: Int32(Calendar.current.component(.year, from: Date())))) } label: {
                Label(Strings.record, systemImage: "list.clipboard")
            }
            if isMember {
                NavigationLink { MyFileView(model: MyFileModel(app: app)) } label: { Label(Strings.myFile, systemImage: "person.text.rectangle") }
                NavigationLink { ContactsView(app: app, model: ContactsModel(app: app)) } label: { Label(Strings.contacts, systemImage: "person.2") }
                NavigationLink { StudioDutyView(app: app, model: StudioDutyModel(app: app)) } label: { Label(Strings.studioDuty, systemImage: "building.2") }
            }
            NavigationLink { DirectoryView(model: DirectoryModel(app: app)) } label: { Label(Strings.directory, systemImage: "person.3") }
            NavigationLink { SelfReportView(model: SelfReportModel(app: app)) } label: { Label(Strings.selfReports, systemImage: "square.and.pencil") }
            NavigationLink { FeedbackView(model: FeedbackModel(app: app)) } label: { Label(Strings.feedback, systemImage: "exclamationmark.bubble") }
            NavigationLink { SearchView(app: app) } label: { Label(Strings.search, systemImage: "magnifyingglass") }
            NavigationLink { OutboxView(model: OutboxModel(app: app)) } label: { Label(Strings.outbox, systemImage: "icloud.and.arrow.up") }
            NavigationLink { StorageView(model: CacheModel(app: app)) } label: { Label("存储空间", systemImage: "internaldrive") }
            NavigationLink { SettingsView(app: app, login: login, scheduler: scheduler) } label: { Label("设置", systemImage: "gearshape") }
        }
        .navigationTitle(Strings.mine)
    }
}
#endif
