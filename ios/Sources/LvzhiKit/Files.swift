import Foundation

// Files (附件), 委员学习, 线上读书 and 信息发布: plain Swift state holders over the core (no Combine or
// Observation, so they are tested on Linux too). Nothing here counts or ranks anyone.

/// `1.5 MB`, `300 KB`: sizes as members read them.
public func humanSize(_ bytes: UInt64) -> String {
    let mb = 1024.0 * 1024.0
    let value = Double(bytes)
    if value >= mb {
        let v = value / mb
        return v >= 10 || v == v.rounded() ? "\(Int(v.rounded())) MB" : String(format: "%.1f MB", v)
    }
    return "\((bytes + 1023) / 1024) KB"
}

/// The progress of every upload and download, and where each attachment stands on this phone.
public final class TransfersModel: ProgressListener, @unchecked Sendable {
    public let progress = Live<[String: TransferProgress]>([:])
    public let error = Live<String?>(nil)
    private let app: LvzhiApp
    private var subscription: Subscription?

    public init(app: LvzhiApp) {
        self.app = app
        subscription = app.observeProgress(listener: self)
    }

    public func onProgress(progress p: TransferProgress) { progress.update { $0.merging([p.hash: p]) { _, new in new } } }

    /// 上传中 42% / 下载中 42%, while a transfer of this file is under way.
    public func label(_ hash: String) -> String? {
        guard let p = progress.value[hash], p.done < p.total else { return nil }
        let percent = p.total == 0 ? 0 : p.done * 100 / p.total
        return (p.direction == .upload ? "上传中 " : "下载中 ") + "\(percent)%"
    }

    public func views(_ attachments: [Attachment]) -> [AttachmentView] { (try? app.attachmentViews(attachments: attachments)) ?? [] }

    /// Downloads a file (resuming an earlier attempt).
    @discardableResult
    public func download(_ attachment: Attachment) async -> Bool {
        do {
            try await app.downloadFile(attachment: attachment)
            error.set(nil)
            return true
        } catch let failure {
            error.set(userMessage(failure))
            return false
        }
    }

    public func bytes(_ hash: String) -> Data? { (try? app.fileBytes(hash: hash)).flatMap { $0 } }

    @discardableResult
    public func pin(_ attachment: Attachment, _ pinned: Bool) -> Bool {
        reporting(into: error) { try app.pinFile(attachment: attachment, pinned: pinned) }
    }

    public func stop() { subscription?.cancel(); subscription = nil }
}

/// 存储空间: what files take here, and 清理缓存.
public final class CacheModel: @unchecked Sendable {
    public let usage = Live<CacheUsage?>(nil)
    public let message = Live<String?>(nil)
    private let app: LvzhiApp

    public init(app: LvzhiApp) {
        self.app = app
        refresh()
    }

    public func refresh() { usage.set(try? app.cacheUsage()) }

    public var label: String {
        guard let u = usage.value else { return "" }
        return "已用 \(humanSize(u.usedBytes)) / \(humanSize(u.budgetBytes))"
    }

    @discardableResult
    public func clear() -> Bool {
        do {
            let freed = try app.clearCache()
            message.set("已清理 \(humanSize(freed))，保留的文件和待上传的文件不受影响")
            refresh()
            return true
        } catch let failure {
            message.set(userMessage(failure))
            return false
        }
    }
}

/// 学习资料 by series and order, with whether the member studied each.
public final class MaterialListModel: LiveListModel<MaterialItem>, MaterialListListener {
    public init(app: LvzhiApp) {
        super.init(initial: (try? app.materials()) ?? [])
        subscription = app.observeMaterials(listener: self)
    }

    public func onMaterials(materials: [MaterialItem]) { items.set(materials) }
}

/// One material: read, 标记已学习, highlights and private notes.
public final class MaterialModel: @unchecked Sendable {
    public let detail = Live<MaterialDetail?>(nil)
    public let error = Live<String?>(nil)
    public let id: String
    private let app: LvzhiApp

    public init(app: LvzhiApp, id: String) {
        self.app = app
        self.id = id
        detail.set(try? app.material(id: id))
    }

    public var studied: Bool { detail.value?.study?.studiedAtMs != nil }

    private func act(_ body: () throws -> Void) -> Bool {
        let ok = reporting(into: error, body)
        detail.set(try? app.material(id: id))
        return ok
    }

    /// 标记已学习 or 撤回资料: the core's forms on the material.
    @discardableResult
    public func take(_ kind: ActionKind, _ values: [FormValue] = []) -> Bool {
        act { try app.takeAction(itemId: id, kind: kind, values: values) }
    }

    @discardableResult
    public func take(_ form: ActionFormModel) -> Bool { take(form.form.action, form.formValues) }

    @discardableResult
    public func writeNote(_ text: String, quote: String? = nil) -> Bool {
        act { _ = try app.writeStudyNote(materialId: id, quote: quote?.isEmpty == false ? quote : nil, text: text) }
    }

    /// Shares a note into a chat group (the note itself stays the member's own).
    @discardableResult
    public func share(noteId: String, groupId: String) -> Bool {
        act { _ = try app.shareStudyNote(materialId: id, noteId: noteId, groupId: groupId) }
    }
}

/// A reading group: plan, 导读, and notes (one a day, never required).
public final class ReadingModel: @unchecked Sendable {
    public let view = Live<ReadingView?>(nil)
    public let error = Live<String?>(nil)
    public let groupId: String
    private let app: LvzhiApp

    public init(app: LvzhiApp, groupId: String) {
        self.app = app
        self.groupId = groupId
        view.set(try? app.reading(groupId: groupId))
    }

    @discardableResult
    public func writeNote(day: String, _ text: String) -> Bool {
        let ok = reporting(into: error) { try app.writeReadingNote(groupId: groupId, day: day, text: text) }
        view.set(try? app.reading(groupId: groupId))
        return ok
    }
}

/// 信息发布: the news of the member's organisation and above, newest first.
public final class NewsFeedModel: LiveListModel<News>, NewsListener {
    public init(app: LvzhiApp) {
        super.init(initial: (try? app.newsFeed()) ?? [])
        subscription = app.observeNews(listener: self)
    }

    public func onNews(news: [News]) { items.set(news) }
}
