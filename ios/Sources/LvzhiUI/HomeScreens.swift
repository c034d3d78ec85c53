#if canImport(SwiftUI)
import SwiftUI
import LvzhiKit
#if canImport(AVFoundation) && os(iOS)
import AVFoundation
#endif
#if canImport(UserNotifications)
import UserNotifications
#endif

// 首页, 设置 (reminders, 退出登录), 扫码签到 and the QR code staff show. Every decision is in the
// core and LvzhiKit's holders (tested on Linux); these views render them. Text uses Dynamic
// Type, icons are SF Symbols, every control has a VoiceOver label.

/// 首页: shortcuts, unsent work, 待办 with due times, unread notices, the week's meetings, 要闻.
public struct HomeView: View {
    let app: LvzhiApp
    let model: HomeModel
    @StateObject private var home: Watched<LvzhiKit.HomeView?>
    @State private var scanning = false
    @State private var writingProposal = false
    @State private var writingReport = false

    public init(app: LvzhiApp) {
        self.app = app
        let model = HomeModel(app: app)
        self.model = model
        _home = StateObject(wrappedValue: Watched(model.home))
    }

    public var body: some View {
        List {
            if let h = home.value {
                if h.isMember {
                    Section {
                        HStack(spacing: 12) {
                            Shortcut(symbol: "square.and.pencil", label: "写提案") { writingProposal = true }
                            Shortcut(symbol: "text.bubble", label: "社情民意") { writingReport = true }
                            Shortcut(symbol: "qrcode.viewfinder", label: "扫码签到") { scanning = true }
                        }
                    }
                }
                if h.unsent > 0 {
                    NavigationLink { OutboxView(model: OutboxModel(app: app)) } label: {
                        Label("有\(h.unsent)项尚未发送，联网后自动发送", systemImage: "icloud.and.arrow.up")
                    }
                }
                Section(h.todo.isEmpty ? "待办" : "待办（\(h.todo.count)）") {
                    if h.todo.isEmpty { Text("暂无待办，需要您处理的事项会出现在这里").foregroundStyle(.secondary) }
                    ForEach(h.todo, id: \.id) { r in
                        NavigationLink { destination(entity: r.entity, id: r.id) } label: {
                            Label {
                                VStack(alignment: .leading) {
                                    Text(r.title)
                                    Text(r.action + (r.dueAtMs.map { "　\(Self.time($0))前" } ?? "")).font(.footnote).foregroundStyle(.red)
                                }
                            } icon: { Image(systemName: Self.symbol(r.kind)) }
                        }
                        .accessibilityLabel("待办：\(r.action)，\(r.title)")
                    }
                }
                Section(h.unreadCount == 0 ? "未读通知" : "未读通知（\(h.unreadCount)）") {
                    if h.unreadNotices.isEmpty { Text("通知都已读过").foregroundStyle(.secondary) }
                    ForEach(h.unreadNotices, id: \.id) { n in
                        NavigationLink { NoticeDetailView(model: NoticeDetailModel(app: app, id: n.id)) } label: {
                            Label(n.title, systemImage: "megaphone")
                        }
                        .accessibilityLabel("未读通知：\(n.title)")
                    }
                    NavigationLink("全部通知") { NoticesView(app: app) }
                }
                Section("近七日会议活动") {
                    if h.meetings.isEmpty { Text("近七日没有会议活动").foregroundStyle(.secondary) }
                    ForEach(h.meetings, id: \.id) { m in
                        NavigationLink { MeetingDetailView(model: MeetingDetailModel(app: app, id: m.id)) } label: {
                            Label {
                                VStack(alignment: .leading) {
                                    Text(m.title)
                                    Text("\(Self.time(m.startsAtMs))　\(m.place)").font(.footnote).foregroundStyle(.secondary)
                                }
                            } icon: { Image(systemName: "calendar") }
                        }
                        .accessibilityLabel("近期会议：\(m.title)")
                    }
                }
                if !h.news.isEmpty {
                    Section("要闻") {
                        ForEach(h.news, id: \.id) { n in Label(n.title, systemImage: "newspaper").accessibilityLabel("要闻：\(n.title)") }
                    }
                }
            }
        }
        .navigationTitle("首页")
        .sheet(isPresented: $scanning) { NavigationStack { CheckInView(app: app) { scanning = false } } }
        .sheet(isPresented: $writingProposal) {
            NavigationStack { ProposalEditorView(model: ProposalEditorModel(app: app)) { writingProposal = false } }
        }
        .sheet(isPresented: $writingReport) {
            NavigationStack { ReportEditorView(model: ReportEditorModel(app: app)) { writingReport = false } }
        }
    }

    private func destination(entity: String, id: String) -> some View { ItemView(app: app, item: ItemRef(entity: entity, id: id)) }

    static func symbol(_ kind: ReminderKind) -> String {
        switch kind {
        case .noticeReply: return "bell"
        case .meeting: return "calendar"
        case .coSign: return "signature"
        case .evaluation: return "checkmark.seal"
        }
    }

    static func time(_ ms: Int64) -> String {
        let f = DateFormatter()
        f.dateFormat = "MM-dd HH:mm"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(ms) / 1000))
    }
}

private struct Shortcut: View {
    let symbol: String
    let label: String
    let action: () -> Void
    var body: some View {
        Button(action: action) {
            VStack(spacing: 6) {
                Image(systemName: symbol).font(.title2)
                Text(label).font(.callout).multilineTextAlignment(.center)
            }
            .frame(maxWidth: .infinity, minHeight: 64)
        }
        .buttonStyle(.bordered)
        .accessibilityLabel(label)
    }
}

/// 设置: a switch per kind of reminder, the server's push (推送通知: a master switch, a switch
/// per kind, the quiet hours), and 退出登录 that asks before losing unsent work.
public struct SettingsView: View {
    let settings: ReminderSettingsModel
    let push: NotificationSettingsModel
    let logout: LogoutModel
    @StateObject private var values: Watched<ReminderSettings?>
    @StateObject private var pushValues: Watched<NotificationSettings?>
    @StateObject private var pushError: Watched<String?>
    @StateObject private var state: Watched<LogoutModel.State>

    public init(app: LvzhiApp, login: LoginModel, scheduler: ReminderScheduling?) {
        settings = ReminderSettingsModel(app: app, scheduler: scheduler)
        push = NotificationSettingsModel(app: app)
        logout = LogoutModel(app: app, login: login)
        _values = StateObject(wrappedValue: Watched(settings.settings))
        _pushValues = StateObject(wrappedValue: Watched(push.settings))
        _pushError = StateObject(wrappedValue: Watched(push.error))
        _state = StateObject(wrappedValue: Watched(logout.state))
    }

    public var body: some View {
        Form {
            Section {
                if let s = values.value {
                    ForEach(ReminderSettingsModel.kinds, id: \.1) { kind, label in
                        Toggle(label, isOn: Binding(get: { ReminderSettingsModel.isOn(s, kind) }, set: { settings.set(kind, $0) }))
                            .accessibilityLabel("提醒\(label)")
                    }
                }
            } header: { Text("提醒") } footer: { Text("在手机通知栏提醒待办事项。晚22点至早7点不提醒，已办理的事项不再提醒。") }
            Section {
                if let message = pushError.value { Text(message).foregroundStyle(.red) }
                if let s = pushValues.value {
                    Toggle("接收推送通知", isOn: Binding(get: { s.enabled }, set: { push.setEnabled($0) }))
                    ForEach(NotificationSettingsModel.kinds, id: \.1) { kind, label in
                        Toggle(label, isOn: Binding(get: { NotificationSettingsModel.isOn(s, kind) }, set: { push.set(kind, $0) }))
                            .accessibilityLabel("推送\(label)")
                            .disabled(!s.enabled)
                    }
                    // Off: both ends equal; on again: the window remembered (22:00–07:00 unless changed).
                    Toggle(
                        NotificationSettingsModel.quietLabel(push.quietWindow),
                        isOn: Binding(get: { NotificationSettingsModel.hasQuietHours(s) }, set: { push.setQuietHours($0) })
                    )
                    .disabled(!s.enabled)
                }
            } header: { Text("推送通知") } footer: {
                Text("手机未打开本应用时，由服务器推送新通知、会议邀请、提案答复等的条数；打开后显示具体内容。设置在您登录的各部手机上同步。")
            }
            Section("账号") {
                if case .failed(let message) = state.value { Text(message).foregroundStyle(.red) }
                Button(role: .destructive) { Task { await logout.request() } } label: {
                    Label("退出登录", systemImage: "rectangle.portrait.and.arrow.right")
                }
            }
        }
        .navigationTitle("设置")
        .confirmationDialog(
            "退出登录",
            isPresented: Binding(get: { if case .confirming = state.value { return true } else { return false } }, set: { if !$0 { logout.cancel() } }),
            titleVisibility: .visible
        ) {
            Button("仍然退出", role: .destructive) { Task { await logout.logout(discardUnsent: true) } }
            Button("暂不退出", role: .cancel) { logout.cancel() }
        } message: {
            if case .confirming(let n) = state.value { Text(LogoutModel.loses(n)) }
        }
    }
}

/// 扫码签到: the camera reads the code (AVFoundation's own QR detection), the core checks in at
/// once, offline; pasting is kept for a phone without a camera.
public struct CheckInView: View {
    let model: CheckInModel
    let done: () -> Void
    @StateObject private var state: Watched<CheckInModel.State>
    @State private var pasted = ""

    public init(app: LvzhiApp, done: @escaping () -> Void) {
        model = CheckInModel(app: app)
        self.done = done
        _state = StateObject(wrappedValue: Watched(model.state))
    }

    public var body: some View {
        Form {
            switch state.value {
            case .done(_, let title):
                Label(title.isEmpty ? "签到成功" : "签到成功：\(title)", systemImage: "checkmark.circle.fill").foregroundStyle(.green)
                Button("完成", action: done)
            case .failed(let message):
                Text(message).foregroundStyle(.red).accessibilityLabel("提示：\(message)")
                scanner
            case .waiting:
                scanner
            }
        }
        .navigationTitle("扫码签到")
    }

    @ViewBuilder private var scanner: some View {
        #if canImport(AVFoundation) && os(iOS)
        Section {
            QRScannerView { code in model.submit(code) }
                .frame(height: 280)
                .accessibilityLabel("相机取景：将签到二维码放入取景框内")
        } footer: { Text("识别后自动签到，无需网络") }
        #endif
        Section("无法扫码时") {
            TextField("签到码", text: $pasted, axis: .vertical).accessibilityLabel("签到码")
            Button("签到") { model.submit(pasted) }.accessibilityLabel("粘贴签到码后签到")
        }
    }
}

#if canImport(AVFoundation) && os(iOS)
/// The back camera with AVFoundation's built-in QR detection (AVCaptureMetadataOutput).
struct QRScannerView: UIViewRepresentable {
    let onCode: (String) -> Void

    func makeCoordinator() -> Coordinator { Coordinator(onCode: onCode) }

    func makeUIView(context: Context) -> PreviewView {
        let view = PreviewView()
        let session = AVCaptureSession()
        if let device = AVCaptureDevice.default(for: .video), let input = try? AVCaptureDeviceInput(device: device), session.canAddInput(input) {
            session.addInput(input)
            let output = AVCaptureMetadataOutput()
            if session.canAddOutput(output) {
                session.addOutput(output)
                output.setMetadataObjectsDelegate(context.coordinator, queue: .main)
                output.metadataObjectTypes = [.qr]
            }
        }
        view.preview.session = session
        view.preview.videoGravity = .resizeAspectFill
        context.coordinator.session = session
        DispatchQueue.global(qos: .userInitiated).async { session.startRunning() }
        return view
    }

    func updateUIView(_ view: PreviewView, context: Context) {}

    static func dismantleUIView(_ view: PreviewView, coordinator: Coordinator) { coordinator.session?.stopRunning() }

    final class PreviewView: UIView {
        override class var layerClass: AnyClass { AVCaptureVideoPreviewLayer.self }
        var preview: AVCaptureVideoPreviewLayer { layer as! AVCaptureVideoPreviewLayer }
    }

    final class Coordinator: NSObject, AVCaptureMetadataOutputObjectsDelegate {
        let onCode: (String) -> Void
        var session: AVCaptureSession?
        init(onCode: @escaping (String) -> Void) { self.onCode = onCode }

        func metadataOutput(_ output: AVCaptureMetadataOutput, didOutput objects: [AVMetadataObject], from connection: AVCaptureConnection) {
            for case let code as AVMetadataMachineReadableCodeObject in objects {
                if let text = code.stringValue { onCode(text) }
            }
        }
    }
}
#endif

/// The item a reminder names, as its own screen.
public struct ItemView: View {
    let app: LvzhiApp
    let item: ItemRef
    public init(app: LvzhiApp, item: ItemRef) {
        self.app = app
        self.item = item
    }
    public var body: some View {
        switch item.entity {
        case "notice": NoticeDetailView(model: NoticeDetailModel(app: app, id: item.id))
        case "meeting": MeetingDetailView(model: MeetingDetailModel(app: app, id: item.id))
        default: ProposalDetailView(app: app, id: item.id)
        }
    }
}

/// A QR code drawn from the core's modules, with its light margin.
public struct QRCodeView: View {
    let matrix: QrMatrix?
    public init(text: String) { matrix = qrModules(text) }
    public var body: some View {
        if let m = matrix {
            Canvas { context, size in
                let n = Int(m.size)
                let cell = size.width / CGFloat(n + 8)
                for y in 0..<n {
                    for x in 0..<n where m.dark[y * n + x] {
                        context.fill(Path(CGRect(x: CGFloat(x + 4) * cell, y: CGFloat(y + 4) * cell, width: cell, height: cell)), with: .color(.black))
                    }
                }
            }
            .background(Color.white)
            .aspectRatio(1, contentMode: .fit)
            .accessibilityLabel("签到二维码")
        }
    }
}

#if canImport(UserNotifications)
/// The core's reminder schedule handed to iOS: pending requests replaced by the new schedule
/// (identified by the schedule's stable keys), one category per kind.
public final class NotificationScheduler: NSObject, ReminderScheduling, UNUserNotificationCenterDelegate, @unchecked Sendable {
    /// The reminders the member taps; the root view opens their items.
    public let taps = ReminderTaps()

    public override init() {
        super.init()
        UNUserNotificationCenter.current().delegate = self
        UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound, .badge]) { _, _ in }
    }

    public func userNotificationCenter(_ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse, withCompletionHandler done: @escaping () -> Void) {
        let info = response.notification.request.content.userInfo
        if let entity = info["entity"] as? String, let id = info["id"] as? String { taps.tapped(entity: entity, id: id) }
        done()
    }

    public func replace(_ schedule: [ScheduledReminder]) {
        let center = UNUserNotificationCenter.current()
        center.getPendingNotificationRequests { pending in
            let keep = Set(schedule.map(\.key))
            center.removePendingNotificationRequests(withIdentifiers: pending.map(\.identifier).filter { !keep.contains($0) })
            for r in schedule {
                let content = UNMutableNotificationContent()
                content.title = r.title
                content.body = r.body
                content.categoryIdentifier = reminderKindLabel(kind: r.kind)
                content.userInfo = ["entity": r.entity, "id": r.id]
                let when = Date(timeIntervalSince1970: TimeInterval(r.atMs) / 1000)
                let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: when)
                let trigger = UNCalendarNotificationTrigger(dateMatching: parts, repeats: false)
                center.add(UNNotificationRequest(identifier: r.key, content: content, trigger: trigger))
            }
        }
    }
}
#endif
#endif
