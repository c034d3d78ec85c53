#if canImport(SwiftUI)
import SwiftUI
import LvzhiKit

// 我的 → 我的档案, 联络联系, 工作室值班 and 委员名录 (issue 30). Every decision is in LvzhiKit and
// the core; these views render the state holders and forward taps. Contacts are facts against
// the organisation's yearly expectation, never a ranking; the directory shows no phone.

/// A draft just made (a 社情民意 report), opened in a sheet.
private struct DraftSheet: Identifiable { let id: String }

/// A contact of the register being corrected.
private struct ContactSheet: Identifiable { let id: String }

// --- 我的档案 --------------------------------------------------------------------------------

/// 我的档案: the file's fields and version, its history, the corrections asked with their state
/// and reason, and a form to ask one.
public struct MyFileView: View {
    let model: MyFileModel
    @StateObject private var mine: Watched<MyFile?>
    @StateObject private var error: Watched<String?>
    @State private var correcting = false

    public init(model: MyFileModel) {
        self.model = model
        _mine = StateObject(wrappedValue: Watched(model.mine))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        List {
            if let e = error.value, !correcting { Text(e).foregroundStyle(.red).accessibilityLabel("提示：\(e)") }
            if let m = mine.value {
                if let f = m.file {
                    Section("委员档案（第\(f.version)版）") {
                        ForEach(MyFileModel.fieldLabels, id: \.self) { label in
                            let v = MyFileModel.value(f.fields, label)
                            LabeledContent(label, value: v.isEmpty ? "未填写" : v)
                                .accessibilityElement(children: .combine)
                        }
                        Text("更新于 \(LiaisonDay.of(ms: f.updatedAtMs))").font(.caption).foregroundStyle(.secondary)
                        if m.pending {
                            Text("有更正申请正在等待工作人员审核").font(.footnote).foregroundStyle(.orange)
                        }
                        Button(Strings.askCorrection) { correcting = true }
                            .accessibilityLabel("申请更正我的档案")
                    }
                    if !f.history.isEmpty {
                        Section("变更记录") {
                            ForEach(f.history.reversed(), id: \.version) { c in
                                Text(MyFileModel.changeLabel(c)).font(.callout)
                            }
                        }
                    }
                } else {
                    Section { Text(Strings.noFileYet).foregroundStyle(.secondary) }
                }
                if !m.corrections.isEmpty {
                    Section("更正申请") {
                        ForEach(m.corrections, id: \.id) { c in
                            VStack(alignment: .leading, spacing: 4) {
                                Text(MyFileModel.askedLabel(c, in: m))
                                if !c.note.isEmpty { Text("说明：\(c.note)").font(.caption) }
                                Text("\(LiaisonDay.of(ms: c.askedAtMs))申请　\(MyFileModel.correctionLabel(c))")
                                    .font(.caption)
                                    .foregroundStyle(c.state == .returned ? Color.red : (c.state == .pending ? Color.orange : Color.secondary))
                            }
                            .accessibilityElement(children: .combine)
                        }
                    }
                }
            }
        }
        .navigationTitle(Strings.myFile)
        .onAppear { model.refresh() }
        .refreshable { model.refresh() }
        .sheet(isPresented: $correcting) {
            NavigationStack { CorrectionFormView(model: model) { correcting = false } }
        }
    }
}

/// 申请更正: the file's fields to change, and a note for staff; staff approve or return it.
struct CorrectionFormView: View {
    let model: MyFileModel
    let done: () -> Void
    @StateObject private var error: Watched<String?>
    @State private var fields: FileFields
    @State private var note = ""

    init(model: MyFileModel, done: @escaping () -> Void) {
        self.model = model
        self.done = done
        _error = StateObject(wrappedValue: Watched(model.error))
        _fields = State(initialValue: model.currentFields)
    }

    var body: some View {
        Form {
            Section {
                Picker("性别", selection: $fields.gender) {
                    Text("未填写").tag(Gender?.none)
                    Text(MyFileModel.genderLabel(.male)).tag(Gender?.some(.male))
                    Text(MyFileModel.genderLabel(.female)).tag(Gender?.some(.female))
                }
                TextField("民族", text: $fields.ethnicity)
                TextField("党派", text: $fields.party)
                TextField("工作单位及职务", text: $fields.employerTitle, axis: .vertical)
                TextField("届次", text: $fields.term)
                TextField("联系电话", text: $fields.phone)
                    #if os(iOS)
                    .textContentType(.telephoneNumber)
                    .keyboardType(.phonePad)
                    #endif
            } header: { Text("更正后的内容") } footer: { Text("只需修改有误的项目，提交后由本组织工作人员审核。") }
            Section("说明（可不填）") {
                TextField("如：2026年12月调任", text: $note, axis: .vertical)
            }
            let changed = MyFileModel.changes(from: model.file?.fields, to: fields)
            if !changed.isEmpty { Text("将更正：\(changed.joined(separator: "、"))").font(.caption) }
            if let e = error.value { Text(e).foregroundStyle(.red).accessibilityLabel("提示：\(e)") }
        }
        .navigationTitle(Strings.askCorrection)
        .toolbar {
            ToolbarItem(placement: .confirmationAction) {
                Button("提交") { if model.requestCorrection(fields, note: note) { done() } }
                    .accessibilityLabel("提交更正申请")
            }
            ToolbarItem(placement: .cancellationAction) { Button(Strings.cancel) { done() } }
        }
    }
}

// --- 联络联系 --------------------------------------------------------------------------------

/// 联络联系: this year's facts against the expectation, the log (each entry with what was
/// raised and 「形成社情民意」), and the register with its form.
public struct ContactsView: View {
    let app: LvzhiApp
    let model: ContactsModel
    @StateObject private var register: Watched<[Contact]>
    @StateObject private var log: Watched<[ContactLogLine]>
    @StateObject private var summary: Watched<ContactSummary?>
    @StateObject private var error: Watched<String?>
    @State private var adding = false
    @State private var logging = false
    @State private var editing: ContactSheet?
    @State private var draft: DraftSheet?

    public init(app: LvzhiApp, model: ContactsModel) {
        self.app = app
        self.model = model
        _register = StateObject(wrappedValue: Watched(model.register))
        _log = StateObject(wrappedValue: Watched(model.log))
        _summary = StateObject(wrappedValue: Watched(model.summary))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    private var current: [Contact] { register.value.filter { !$0.removed } }

    public var body: some View {
        List {
            Section {
                if let s = summary.value {
                    Text(ContactsModel.summaryLabel(s)).font(.headline)
                    Text(ContactsModel.loggedLabel(s)).font(.subheadline).foregroundStyle(.secondary)
                }
            } footer: { Text(Strings.contactsFactsOnly) }
            if let e = error.value, !adding, !logging, editing == nil {
                Text(e).foregroundStyle(.red).accessibilityLabel("提示：\(e)")
            }
            Section(Strings.contactLog) {
                Button { logging = true } label: { Label(Strings.logContact, systemImage: "plus.bubble") }
                    .disabled(current.isEmpty)
                    .accessibilityLabel(Strings.logContact)
                if current.isEmpty { Text("请先在联系名册中添加联系的群众").font(.footnote).foregroundStyle(.secondary) }
                if log.value.isEmpty { Text("还没有联系记录").foregroundStyle(.secondary) }
                ForEach(log.value, id: \.log.id) { line in logRow(line) }
            }
            Section(Strings.contactRegister) {
                Button { adding = true } label: { Label(Strings.addContact, systemImage: "person.badge.plus") }
                    .accessibilityLabel(Strings.addContact)
                ForEach(current, id: \.id) { c in
                    VStack(alignment: .leading, spacing: 2) {
                        Text(c.name)
                        let detail = [c.sector, c.phone, c.note].filter { !$0.isEmpty }.joined(separator: "　")
                        if !detail.isEmpty { Text(detail).font(.caption).foregroundStyle(.secondary) }
                    }
                    .accessibilityElement(children: .combine)
                    .swipeActions {
                        Button("移出名册", role: .destructive) { model.remove(id: c.id) }
                            .accessibilityLabel("将\(c.name)移出联系名册")
                        Button("修改") { editing = ContactSheet(id: c.id) }
                            .accessibilityLabel("修改\(c.name)的信息")
                    }
                }
            }
        }
        .navigationTitle(Strings.contacts)
        .onAppear { model.refresh() }
        .refreshable { model.refresh() }
        .sheet(isPresented: $adding) {
            NavigationStack { ContactFormView(model: model, contact: nil) { adding = false } }
        }
        .sheet(item: $editing) { e in
            NavigationStack { ContactFormView(model: model, contact: register.value.first { $0.id == e.id }) { editing = nil } }
        }
        .sheet(isPresented: $logging) {
            NavigationStack { ContactLogFormView(model: model, people: current) { logging = false } }
        }
        // The draft just made, to finish and 报送 (or keep as a draft under 社情民意).
        .sheet(item: $draft) { d in
            NavigationStack { ReportEditorView(model: ReportEditorModel(app: app, id: d.id)) { draft = nil } }
        }
    }

    @ViewBuilder private func logRow(_ line: ContactLogLine) -> some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(ContactsModel.lineLabel(line))
            if ContactsModel.canRaise(line) { Text("反映的问题：\(line.log.raised)").font(.callout) }
            if let made = ContactsModel.draftsLabel(line.drafts) { Text(made).font(.caption).foregroundStyle(.green) }
            if ContactsModel.canRaise(line) && !line.drafts.contains(where: { $0.kind == "report" }) {
                Button(Strings.raiseReport) {
                    if let id = model.reportFromContact(logId: line.log.id) { draft = DraftSheet(id: id) }
                }
                .buttonStyle(.bordered)
                .accessibilityLabel("将\(line.log.date)的联系\(Strings.raiseReport)信息草稿")
            }
            ForEach(line.drafts.filter { $0.kind == "report" }, id: \.id) { d in
                NavigationLink("查看社情民意草稿") { ReportDetailView(app: app, model: ReportDetailModel(app: app, id: d.id)) }
                    .font(.caption)
            }
        }
    }
}

/// 添加联系群众 or correcting one: name, 界别或单位, phone, note.
struct ContactFormView: View {
    let model: ContactsModel
    let contact: Contact?
    let done: () -> Void
    @StateObject private var error: Watched<String?>
    @State private var name: String
    @State private var sector: String
    @State private var phone: String
    @State private var note: String

    init(model: ContactsModel, contact: Contact?, done: @escaping () -> Void) {
        self.model = model
        self.contact = contact
        self.done = done
        _error = StateObject(wrappedValue: Watched(model.error))
        _name = State(initialValue: contact?.name ?? "")
        _sector = State(initialValue: contact?.sector ?? "")
        _phone = State(initialValue: contact?.phone ?? "")
        _note = State(initialValue: contact?.note ?? "")
    }

    var body: some View {
        Form {
            TextField("姓名", text: $name)
            TextField("界别或单位（如：金牛镇肉牛养殖户）", text: $sector)
            TextField("联系电话（可不填，仅自己可见）", text: $phone)
                #if os(iOS)
                .textContentType(.telephoneNumber)
                .keyboardType(.phonePad)
                #endif
            TextField("备注（可不填）", text: $note, axis: .vertical)
            if let e = error.value { Text(e).foregroundStyle(.red).accessibilityLabel("提示：\(e)") }
        }
        .navigationTitle(contact == nil ? Strings.addContact : "修改联系群众")
        .toolbar {
            ToolbarItem(placement: .confirmationAction) {
                Button("保存") {
                    if model.save(id: contact?.id, name: name, sector: sector, phone: phone, note: note) != nil { done() }
                }
                .accessibilityLabel("保存联系群众")
            }
            ToolbarItem(placement: .cancellationAction) { Button(Strings.cancel) { done() } }
        }
    }
}

/// 记录一次联系: the people met (from the register), the day, the way, and what they raised.
struct ContactLogFormView: View {
    let model: ContactsModel
    let people: [Contact]
    let done: () -> Void
    @StateObject private var error: Watched<String?>
    @State private var picked: [String] = []
    @State private var day = Date()
    @State private var way: ContactWay = ContactsModel.ways.first?.0 ?? .visit
    @State private var raised = ""

    init(model: ContactsModel, people: [Contact], done: @escaping () -> Void) {
        self.model = model
        self.people = people
        self.done = done
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    var body: some View {
        Form {
            Section("联系的群众") {
                ForEach(people, id: \.id) { c in
                    let on = picked.contains(c.id)
                    Button {
                        if on { picked.removeAll { $0 == c.id } } else { picked.append(c.id) }
                    } label: {
                        HStack {
                            Image(systemName: on ? "checkmark.circle.fill" : "circle")
                            VStack(alignment: .leading) {
                                Text(c.name)
                                if !c.sector.isEmpty { Text(c.sector).font(.caption).foregroundStyle(.secondary) }
                            }
                        }
                    }
                    .accessibilityLabel((on ? "已选择" : "选择") + c.name)
                }
            }
            Section {
                DatePicker("联系日期", selection: $day, in: ...Date(), displayedComponents: .date)
                Picker("联系方式", selection: $way) {
                    ForEach(ContactsModel.ways, id: \.1) { w, label in Text(label).tag(w) }
                }
            }
            Section("群众反映的问题（可不填）") {
                TextField("一事一条，可据此形成社情民意信息", text: $raised, axis: .vertical).lineLimit(3...)
            }
            if let e = error.value { Text(e).foregroundStyle(.red).accessibilityLabel("提示：\(e)") }
        }
        .navigationTitle(Strings.logContact)
        .toolbar {
            ToolbarItem(placement: .confirmationAction) {
                Button("保存") {
                    if model.logContact(contactIds: picked, date: LiaisonDay.of(day), way: way, raised: raised) != nil { done() }
                }
                .accessibilityLabel("保存联系记录")
            }
            ToolbarItem(placement: .cancellationAction) { Button(Strings.cancel) { done() } }
        }
    }
}

// --- 工作室值班 ------------------------------------------------------------------------------

/// 工作室值班: the member's studios with their duty days, the residents' messages (the phone as a
/// link to call back), answering, and 「形成社情民意」; then the organisation's other studios.
public struct StudioDutyView: View {
    let app: LvzhiApp
    let model: StudioDutyModel
    @StateObject private var studios: Watched<[StudioLine]>
    @StateObject private var messages: Watched<[StudioMessageLine]>
    @StateObject private var error: Watched<String?>
    @State private var answers: [String: String] = [:]
    @State private var draft: DraftSheet?

    public init(app: LvzhiApp, model: StudioDutyModel) {
        self.app = app
        self.model = model
        _studios = StateObject(wrappedValue: Watched(model.studios))
        _messages = StateObject(wrappedValue: Watched(model.messages))
        _error = StateObject(wrappedValue: Watched(model.error))
    }

    public var body: some View {
        List {
            if let e = error.value { Text(e).foregroundStyle(.red).accessibilityLabel("提示：\(e)") }
            let mine = model.mine(in: studios.value)
            Section("我进驻的工作室") {
                if mine.isEmpty { Text("您尚未进驻委员工作室").foregroundStyle(.secondary) }
                ForEach(mine, id: \.studio.id) { s in studioRow(s, duty: true) }
            }
            Section(Strings.studioMessages) {
                if messages.value.isEmpty { Text("暂无群众留言").foregroundStyle(.secondary) }
                ForEach(messages.value, id: \.message.id) { l in messageRow(l) }
            }
            let others = model.others(in: studios.value)
            if !others.isEmpty {
                Section("本组织其他工作室") {
                    ForEach(others, id: \.studio.id) { s in studioRow(s, duty: false) }
                }
            }
        }
        .navigationTitle(Strings.studioDuty)
        .onAppear { model.refresh() }
        .refreshable { model.refresh() }
        .sheet(item: $draft) { d in
            NavigationStack { ReportEditorView(model: ReportEditorModel(app: app, id: d.id)) { draft = nil } }
        }
    }

    @ViewBuilder private func studioRow(_ s: StudioLine, duty: Bool) -> some View {
        VStack(alignment: .leading, spacing: 2) {
            Text(s.studio.name + (s.studio.open ? "" : "（暂停接待）")).font(.headline)
            Text("地址：\(s.studio.place)").font(.caption)
            if !s.studio.openingHours.isEmpty { Text("接待时间：\(s.studio.openingHours)").font(.caption) }
            Text("进驻委员：\(s.memberNames.joined(separator: "、"))").font(.caption).foregroundStyle(.secondary)
            if duty {
                Text(StudioDutyModel.dutyLabel(s)).font(.callout).foregroundStyle(s.onDutyToday ? Color.red : Color.primary)
                if s.unanswered > 0 { Text("\(s.unanswered)条留言待答复").font(.caption).foregroundStyle(.orange) }
            }
        }
        .accessibilityElement(children: .combine)
    }

    private func answerBinding(_ id: String) -> Binding<String> {
        Binding(get: { answers[id] ?? "" }, set: { answers[id] = $0 })
    }

    @ViewBuilder private func messageRow(_ l: StudioMessageLine) -> some View {
        let m = l.message
        VStack(alignment: .leading, spacing: 6) {
            Text(StudioDutyModel.messageLabel(l)).font(.caption).foregroundStyle(.secondary)
            Text(m.text)
            if let photo = m.photo { AttachmentRows(app: app, attachments: [photo]) }
            if let url = StudioDutyModel.telURL(m.phone) {
                Link(destination: url) { Label("回访电话：\(m.phone)", systemImage: "phone") }
                    .accessibilityLabel("拨打留言群众的电话 \(m.phone)")
            } else {
                Text("未留联系电话").font(.caption).foregroundStyle(.secondary)
            }
            if let a = m.answer {
                Text("\(StudioDutyModel.answerLabel(l))：\(a.text)").font(.callout).foregroundStyle(.green)
            } else {
                TextField("答复内容（群众凭查询码查看）", text: answerBinding(m.id), axis: .vertical)
                    .accessibilityLabel("答复这条留言")
                Button("答复") {
                    if model.answer(messageId: m.id, answers[m.id] ?? "") { answers[m.id] = nil }
                }
                .buttonStyle(.bordered)
                .accessibilityLabel("提交答复")
            }
            if let made = ContactsModel.draftsLabel(l.drafts) {
                Text(made).font(.caption).foregroundStyle(.green)
            } else {
                Button(Strings.raiseReport) {
                    if let id = model.reportFromMessage(messageId: m.id) { draft = DraftSheet(id: id) }
                }
                .buttonStyle(.bordered)
                .accessibilityLabel("将这条留言\(Strings.raiseReport)信息草稿（不含群众姓名和电话）")
            }
        }
    }
}

// --- 委员名录 --------------------------------------------------------------------------------

/// 委员名录: the organisation's members by name, with their 界别, 专委会 and 单位职务 — no phone.
public struct DirectoryView: View {
    let model: DirectoryModel
    @StateObject private var lines: Watched<[DirectoryLine]>
    @State private var query = ""

    public init(model: DirectoryModel) {
        self.model = model
        _lines = StateObject(wrappedValue: Watched(model.lines))
    }

    public var body: some View {
        List {
            Section {
                if lines.value.isEmpty { Text(query.isEmpty ? "名录中暂无委员" : "没有找到符合条件的委员").foregroundStyle(.secondary) }
                ForEach(lines.value, id: \.personId) { l in
                    VStack(alignment: .leading, spacing: 2) {
                        Text(l.name).font(.headline)
                        let groups = DirectoryModel.groupsLabel(l)
                        if !groups.isEmpty { Text(groups).font(.caption) }
                        if !l.employerTitle.isEmpty { Text(l.employerTitle).font(.caption).foregroundStyle(.secondary) }
                    }
                    .accessibilityElement(children: .combine)
                }
            } footer: { Text(Strings.directoryNoPhone) }
        }
        .searchable(text: $query, prompt: Strings.directoryHint)
        .onChange(of: query) { model.search($0) }
        .navigationTitle(Strings.directory)
    }
}
#endif
