import Foundation

// 社情民意, 网络议政, remote-consultation speeches and 协商在基层: plain Swift state holders over
// the core (no Combine or Observation, so they are tested on Linux too). The core applies every
// action at once, offline; a refusal lands in `error` in Chinese.

/// 社情民意 on this device (one's own; for staff their organisation's), latest change first.
public final class ReportListModel: LiveListModel<ReportItem>, ReportListListener {
    public var reports: Live<[ReportItem]> { items }

    public init(app: LvzhiApp) {
        super.init(initial: (try? app.reports(state: nil)) ?? [])
        subscription = app.observeReports(listener: self)
    }

    public func onReports(reports list: [ReportItem]) { items.set(list) }

    /// Staff work by state.
    public func inState(_ state: ReportState) -> [ReportItem] { items.value.filter { $0.state == state } }
}

/// Writing a report offline: four parts, the count the length rule uses, a draft, then 报送.
public final class ReportEditorModel: @unchecked Sendable {
    public static let usualChars = 1500
    public private(set) var id: String?
    public var title = ""
    public var situation = ""
    public var analysis = ""
    public var suggestion = ""
    public var coAuthors: [String] = []
    /// The 界别 or 专委会 in whose name it is written, if any (set before the first save).
    public var authorGroup: String?
    public let error = Live<String?>(nil)
    public let app: LvzhiApp

    public init(app: LvzhiApp, id: String? = nil) {
        self.app = app
        self.id = id
        if let id, let c = try? app.report(id: id).report.content {
            title = c.title
            situation = c.situation
            analysis = c.analysis
            suggestion = c.suggestion
        }
    }

    /// Characters of the text, as the length rule counts them.
    public var chars: Int { situation.count + analysis.count + suggestion.count }

    /// The warning to show while typing, if the text is longer than usual.
    public var lengthWarning: String? {
        chars > Self.usualChars ? "正文\(chars)字，社情民意信息一般不超过\(Self.usualChars)字，建议精简" : nil
    }

    private var content: ReportContent {
        ReportContent(title: title, situation: situation, analysis: analysis, suggestion: suggestion)
    }

    @discardableResult
    public func save() -> Bool {
        reporting(into: error) {
            if let id { try app.saveReport(id: id, content: content) } else {
                id = try app.createReport(content: content, coAuthors: coAuthors, authorGroup: authorGroup)
            }
        }
    }

    @discardableResult
    public func submit() -> Bool {
        save() && reporting(into: error) { try app.submitReport(id: id!) }
    }
}

/// One report: both texts with what staff changed, the history, and the staff's steps.
public final class ReportDetailModel: DetailModel<ReportDetail> {
    public init(app: LvzhiApp, id: String) {
        super.init(app: app, id: id) { app, id in try app.report(id: id) }
    }

    /// 编发 (or, for staff above, adopt) with the edited text: an editor, not one of the forms.
    @discardableResult public func edit(issue: String, content: ReportContent) -> Bool {
        act { try app.reportStep(id: id, step: .edit(issue: issue, content: content)) }
    }
}

/// 社情民意 statistics for staff (network: the organisations below are not on the phone).
public final class ReportStatsModel: @unchecked Sendable {
    public let rows = Live<[StatsRow]>([])
    public let error = Live<String?>(nil)
    private let app: LvzhiApp

    public init(app: LvzhiApp) { self.app = app }

    public func load(orgId: String? = nil) async {
        do {
            rows.set(try await app.reportStats(orgId: orgId))
            error.set(nil)
        } catch {
            self.error.set(userMessage(error))
        }
    }
}

/// 网络议政 topics, the latest to close first.
public final class TopicListModel: LiveListModel<TopicItem>, TopicListListener {
    public var topics: Live<[TopicItem]> { items }

    public init(app: LvzhiApp) {
        super.init(initial: (try? app.topics()) ?? [])
        subscription = app.observeTopics(listener: self)
    }

    public func onTopics(topics list: [TopicItem]) { items.set(list) }
}

/// One topic: posting and replying offline, 附议, and for staff moderation and the summary.
public final class TopicDetailModel: DetailModel<TopicDetail> {
    public init(app: LvzhiApp, id: String) {
        super.init(app: app, id: id) { app, id in try app.topic(id: id) }
    }

    // Writing and editing posts; 附议 and 隐藏 are each post's forms, 结束议题 and 发布综述 the topic's.
    @discardableResult public func post(_ text: String, replyTo: String? = nil) -> Bool {
        act { _ = try app.writePost(topicId: id, replyTo: replyTo, text: text) }
    }
    @discardableResult public func edit(postId: String, text: String) -> Bool { act { try app.editPost(postId: postId, text: text) } }
}

/// 协商在基层: the consultations on this device, recording one, and following up its points.
public final class ConsultationModel: @unchecked Sendable {
    public let items = Live<[ConsultationItem]>([])
    public let error = Live<String?>(nil)
    private let app: LvzhiApp

    public init(app: LvzhiApp) {
        self.app = app
        reporting(into: error) { items.set(try app.consultations()) }
    }

    /// Records one; `points` are (共识, 责任单位) pairs. Returns its id, or nil when refused.
    public func record(township: String, topic: String, residents: UInt32, points: [(String, String)], memberIds: [String] = []) -> String? {
        var id: String?
        reporting(into: error) {
            let draft = ConsultationDraft(
                township: township, topic: topic, dateMs: Int64(Date().timeIntervalSince1970 * 1000), place: "",
                memberIds: memberIds, residents: residents, points: points.map { ConsensusDraft(text: $0.0, unit: $0.1) }
            )
            id = try app.recordConsultation(draft: draft)
            items.set(try app.consultations())
        }
        return id
    }

    @discardableResult
    public func followUp(id: String, pointId: String, status: ConsensusStatus, note: String) -> Bool {
        reporting(into: error) {
            try app.followUpConsensus(id: id, pointId: pointId, status: status, note: note)
            items.set(try app.consultations())
        }
    }
}
