import Foundation

// 委员档案, 委员名录, 联络联系 and 委员工作室: plain Swift state holders over the core (no Combine or
// Observation, so they are tested on Linux too). Every write is applied by the core at once,
// offline, and sent with the next sync; a refusal lands in `error`, in Chinese. Contacts are the
// member's own and shown only as facts against the organisation's yearly expectation — nobody
// is ranked or scored here.

/// Days as the core writes them (`2027-01-15`), in China's time zone whatever the phone's.
public enum LiaisonDay {
    private static let formatter: DateFormatter = {
        let f = DateFormatter()
        f.calendar = Calendar(identifier: .gregorian)
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyy-MM-dd"
        return f
    }()
    private static let lock = NSLock()

    /// Today in China, what a new contact's date starts as.
    public static func today() -> String { chinaToday() }

    /// The day of `date` in China (`2027-01-15`).
    public static func of(_ date: Date) -> String {
        lock.lock(); defer { lock.unlock() }
        return formatter.string(from: date)
    }

    /// The day of a moment in milliseconds.
    public static func of(ms: Int64) -> String { of(Date(timeIntervalSince1970: Double(ms) / 1000)) }
}

// --- 委员档案 ---------------------------------------------------------------------------------

/// 我的档案: the member's file as staff keep it (nil until they do), the corrections the member
/// asked with their state and reason, and asking one.
public final class MyFileModel: @unchecked Sendable {
    public let mine = Live<MyFile?>(nil)
    public let error = Live<String?>(nil)
    private let app: LvzhiApp

    /// The fields in the order the file shows them, with their labels (as the core names them
    /// in a file's history).
    public static let fieldLabels = ["性别", "民族", "党派", "工作单位及职务", "届次", "联系电话"]

    public init(app: LvzhiApp) {
        self.app = app
        refresh()
    }

    /// Reads the file again (a sync may have brought staff's decision).
    public func refresh() { reporting(into: error) { mine.set(try app.myFile()) } }

    public var file: MemberFile? { mine.value?.file }

    /// What a correction form starts from: the file's fields, or blanks before staff keep one.
    public var currentFields: FileFields {
        file?.fields ?? FileFields(gender: nil, ethnicity: "", party: "", employerTitle: "", term: "", phone: "")
    }

    /// Asks staff to correct the file to `fields`; false (the reason in `error`) when refused —
    /// before staff keep a file, or when nothing would change.
    @discardableResult
    public func requestCorrection(_ fields: FileFields, note: String) -> Bool {
        let ok = reporting(into: error) { _ = try app.requestFileCorrection(proposed: fields, note: note) }
        if let now = try? app.myFile() { mine.set(now) }
        return ok
    }

    /// The labels of the fields `proposed` changes from `current` (「工作单位及职务」).
    public static func changes(from current: FileFields?, to proposed: FileFields) -> [String] {
        guard let c = current else { return fieldLabels.filter { !value(proposed, $0).isEmpty } }
        return fieldLabels.filter { value(c, $0) != value(proposed, $0) }
    }

    /// One field's text as the file shows it (「男」, 「未填写」 left to the screen).
    public static func value(_ f: FileFields, _ label: String) -> String {
        switch label {
        case "性别": return f.gender.map(genderLabel) ?? ""
        case "民族": return f.ethnicity
        case "党派": return f.party
        case "工作单位及职务": return f.employerTitle
        case "届次": return f.term
        case "联系电话": return f.phone
        default: return ""
        }
    }

    public static func genderLabel(_ g: Gender) -> String {
        switch g {
        case .male: return "男"
        case .female: return "女"
        }
    }

    public static func stateLabel(_ s: CorrectionState) -> String {
        switch s {
        case .pending: return "待审核"
        case .approved: return "已更正"
        case .returned: return "已退回"
        }
    }

    /// A correction's line: 「已退回：党派以统战部备案为准」, 「待审核」.
    public static func correctionLabel(_ c: FileCorrection) -> String {
        let reason = c.reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        return stateLabel(c.state) + (reason.isEmpty ? "" : "：\(reason)")
    }

    /// What a correction asks, 「工作单位及职务改为「宾川县农业农村局副局长」」: against the file as it
    /// is for one waiting or returned, as the file's history recorded it for one approved.
    public static func askedLabel(_ c: FileCorrection, in mine: MyFile) -> String {
        let labels: [String]
        if c.state == .approved, let change = mine.file?.history.first(where: { $0.correctionId == c.id }) {
            labels = change.fields
        } else {
            labels = changes(from: mine.file?.fields, to: c.proposed)
        }
        if labels.isEmpty { return "无改动" }
        return labels.map { label in
            let v = value(c.proposed, label)
            return v.isEmpty ? "\(label)改为空" : "\(label)改为「\(v)」"
        }.joined(separator: "；")
    }

    /// A change in the file's history: 「第2版　2027-01-15　工作单位及职务（依本人申请更正）」.
    public static func changeLabel(_ c: FileChange) -> String {
        let what = c.fields.isEmpty ? "建立档案" : c.fields.joined(separator: "、")
        return "第\(c.version)版　\(LiaisonDay.of(ms: c.atMs))　\(what)\(c.correctionId == nil ? "" : "（依本人申请更正）")"
    }
}

/// 委员名录: the members of the user's organisations — name, 界别 and 专委会, 单位职务; never a
/// phone (the core's lines carry none).
public final class DirectoryModel: @unchecked Sendable {
    public let lines = Live<[DirectoryLine]>([])
    public let error = Live<String?>(nil)
    public private(set) var query = ""
    private let app: LvzhiApp

    public init(app: LvzhiApp) {
        self.app = app
        search("")
    }

    /// Filters by name, group or title; an empty query lists everyone.
    public func search(_ query: String) {
        self.query = query
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        reporting(into: error) { lines.set(try app.directory(query: q.isEmpty ? nil : q)) }
    }

    public func refresh() { search(query) }

    /// 「农业和农村界、提案委员会」
    public static func groupsLabel(_ l: DirectoryLine) -> String { l.groups.joined(separator: "、") }
}

// --- 联络联系 ---------------------------------------------------------------------------------

/// 联络联系: the member's register of people in their sector, their log of contacts with the
/// drafts made of each, and this year's facts against the organisation's expectation.
public final class ContactsModel: @unchecked Sendable {
    /// The whole register, current people first (a removed one stays for past contacts).
    public let register = Live<[Contact]>([])
    /// Newest first, with the names met and the drafts made.
    public let log = Live<[ContactLogLine]>([])
    public let summary = Live<ContactSummary?>(nil)
    public let error = Live<String?>(nil)
    private let app: LvzhiApp

    /// The ways of contact, in the order a form lists them, with their labels (走访, 座谈…).
    public static let ways: [(ContactWay, String)] = contactWays().map { ($0, contactWayLabel(way: $0)) }

    public init(app: LvzhiApp) {
        self.app = app
        refresh()
    }

    public func refresh() {
        reporting(into: error) {
            register.set(try app.contacts())
            log.set(try app.contactLog())
            summary.set(try app.contactSummary())
        }
    }

    /// The people still in the register, for the register's list and a contact's form.
    public var contacts: [Contact] { register.value.filter { !$0.removed } }

    /// Runs a write, then shows everything as it is now; the write's refusal stays in `error`.
    private func write<T>(_ body: () throws -> T) -> T? {
        var out: T?
        let ok = reporting(into: error) { out = try body() }
        let failure = error.value
        refresh()
        if !ok { error.set(failure) }
        return out
    }

    /// Adds a person to the register (`id` nil) or corrects one; their id, or nil when refused.
    @discardableResult
    public func save(id: String? = nil, name: String, sector: String = "", phone: String = "", note: String = "") -> String? {
        write { try app.saveContact(id: id, draft: ContactDraft(name: name, sector: sector, phone: phone, note: note)) }
    }

    /// Takes a person off the register; the contacts logged with them keep their name.
    @discardableResult
    public func remove(id: String) -> Bool { write { try app.removeContact(id: id) } != nil }

    /// Logs a contact (`id` nil) or corrects one, dated today in China unless given; its id, or
    /// nil when refused (nobody chosen, a date after today…).
    @discardableResult
    public func logContact(id: String? = nil, contactIds: [String], date: String = LiaisonDay.today(), way: ContactWay, raised: String) -> String? {
        write { try app.logContact(id: id, draft: ContactLogDraft(contactIds: contactIds, date: date, way: way, raised: raised)) }
    }

    /// 形成社情民意: a 社情民意 draft of what a contact raised, linked to it; the report's id.
    @discardableResult
    public func reportFromContact(logId: String) -> String? { write { try app.reportFromContact(logId: logId) } }

    /// A proposal draft of what a contact raised, for the session `sessionId`; its id.
    @discardableResult
    public func proposalFromContact(logId: String, sessionId: String) -> String? {
        write { try app.proposalFromContact(logId: logId, sessionId: sessionId) }
    }

    /// Whether a contact's line offers 「形成社情民意」: something was raised.
    public static func canRaise(_ line: ContactLogLine) -> Bool {
        !line.log.raised.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// 「2027年已联系 3 人 / 年度要求 5 人」: a fact against the expectation, not a score.
    public static func summaryLabel(_ s: ContactSummary) -> String {
        "\(s.year)年已联系 \(s.peopleReached) 人" + (s.expected.map { " / 年度要求 \($0) 人" } ?? "")
    }

    /// 「记录 4 次」
    public static func loggedLabel(_ s: ContactSummary) -> String { "记录 \(s.contactsLogged) 次" }

    /// A log line's heading: 「2027-01-12　走访　杨老三、李春花」.
    public static func lineLabel(_ l: ContactLogLine) -> String {
        "\(l.log.date)　\(l.wayLabel)　\(l.names.joined(separator: "、"))"
    }

    /// 「已形成社情民意草稿」, 「已形成提案草稿」, or nil before any draft.
    public static func draftsLabel(_ drafts: [DraftLink]) -> String? {
        guard !drafts.isEmpty else { return nil }
        let kinds = drafts.map { $0.kind == "proposal" ? "提案" : "社情民意" }
        var seen: [String] = []
        for k in kinds where !seen.contains(k) { seen.append(k) }
        return "已形成" + seen.joined(separator: "、") + "草稿"
    }
}

// --- 委员工作室 -------------------------------------------------------------------------------

/// 工作室值班: the studios of the member's organisation with the member's duty days, the
/// messages residents left at the member's studios (with their phone, to call back), answering
/// one, and making a 社情民意 draft of one (without the resident's name or phone).
public final class StudioDutyModel: @unchecked Sendable {
    public let studios = Live<[StudioLine]>([])
    public let messages = Live<[StudioMessageLine]>([])
    public let error = Live<String?>(nil)
    private let app: LvzhiApp
    private let me: String?

    public init(app: LvzhiApp) {
        self.app = app
        me = app.me()?.personId
        refresh()
    }

    public func refresh() {
        reporting(into: error) {
            studios.set(try app.studios())
            messages.set(try app.studioMessages())
        }
    }

    /// The studios the member sits in.
    public var mine: [StudioLine] { mine(in: studios.value) }

    /// The organisation's other studios.
    public var others: [StudioLine] { others(in: studios.value) }

    /// Of `lines` (a screen's copy of `studios`), those the member sits in.
    public func mine(in lines: [StudioLine]) -> [StudioLine] { lines.filter(sitsIn) }

    public func others(in lines: [StudioLine]) -> [StudioLine] { lines.filter { !sitsIn($0) } }

    private func sitsIn(_ s: StudioLine) -> Bool { me.map { s.studio.memberIds.contains($0) } ?? false }

    /// Messages not answered yet.
    public var unanswered: [StudioMessageLine] { messages.value.filter { $0.message.answer == nil } }

    private func write<T>(_ body: () throws -> T) -> T? {
        var out: T?
        let ok = reporting(into: error) { out = try body() }
        let failure = error.value
        refresh()
        if !ok { error.set(failure) }
        return out
    }

    /// Answers a message; the resident reads it with their code once it is sent.
    @discardableResult
    public func answer(messageId: String, _ text: String) -> Bool {
        write { try app.answerStudioMessage(id: messageId, answer: text) } != nil
    }

    /// 形成社情民意: a draft of the message, linked to it; the report's id, or nil when refused.
    @discardableResult
    public func reportFromMessage(messageId: String) -> String? { write { try app.reportFromMessage(messageId: messageId) } }

    /// 「今天值班」, 「值班日：2027-01-15、2027-01-22」, 「近期没有排班」.
    public static func dutyLabel(_ s: StudioLine) -> String {
        if s.onDutyToday {
            let later = s.myDutyDays.filter { $0 != LiaisonDay.today() }
            return later.isEmpty ? "今天值班" : "今天值班；之后：\(later.joined(separator: "、"))"
        }
        return s.myDutyDays.isEmpty ? "近期没有排班" : "值班日：\(s.myDutyDays.joined(separator: "、"))"
    }

    /// 「金牛镇委员工作室　2027-01-15　老杨」
    public static func messageLabel(_ l: StudioMessageLine) -> String {
        let name = l.message.name.trimmingCharacters(in: .whitespacesAndNewlines)
        return "\(l.studioName)　\(l.message.date)　\(name.isEmpty ? "群众" : name)"
    }

    /// 「已答复（张明）」 or 「待答复」.
    public static func answerLabel(_ l: StudioMessageLine) -> String {
        guard l.message.answer != nil else { return "待答复" }
        return "已答复" + (l.answeredBy.map { "（\($0)）" } ?? "")
    }

    /// The resident's phone as a `tel:` link, or nil when they left none.
    public static func telURL(_ phone: String) -> URL? {
        let dial = phone.filter { $0.isASCII && ($0.isNumber || $0 == "+") }
        return dial.isEmpty ? nil : URL(string: "tel:\(dial)")
    }
}
