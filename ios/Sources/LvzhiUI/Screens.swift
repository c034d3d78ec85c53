#if canImport(SwiftUI)
import SwiftUI
import Combine
import LvzhiKit

/// Republishes a `Live` value for SwiftUI (Apple platforms only; the holders stay plain Swift).
@MainActor
final class Watched<Value>: ObservableObject {
    @Published private(set) var value: Value
    init(_ live: Live<Value>) {
        value = live.value
        live.observe { [weak self] v in Task { @MainActor in self?.value = v } }
    }
}

public struct SyncBannerView: View {
    @StateObject private var banner: Watched<SyncBanner>
    public init(model: SyncBannerModel) { _banner = StateObject(wrappedValue: Watched(model.banner)) }
    public var body: some View {
        Text(banner.value.text)
            .font(.footnote)
            .foregroundStyle(banner.value.offline ? .orange : .secondary)
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
                Text(message).foregroundStyle(.red)
            }
            Button(Strings.login) {
                Task { await model.login(account: account, password: password, deviceName: "iPhone") }
            }
            .accessibilityLabel("登录履职")
        }
        .navigationTitle(Strings.login)
    }
}

public struct ProposalListView: View {
    let app: LvzhiApp
    @StateObject private var items: Watched<[ProposalSummary]>
    public init(app: LvzhiApp, model: ProposalListModel) {
        self.app = app
        _items = StateObject(wrappedValue: Watched(model.items))
    }
    public var body: some View {
        List(items.value, id: \.id) { p in
            NavigationLink(value: p.id) {
                VStack(alignment: .leading) {
                    Text(p.title).font(.body)
                    Text(ProposalStateLabel.text(p.state)).font(.caption).foregroundStyle(.secondary)
                }
            }
            .accessibilityLabel("\(p.title)，\(ProposalStateLabel.text(p.state))")
        }
        .navigationTitle(Strings.proposals)
        .navigationDestination(for: String.self) { id in
            ProposalDetailView(model: ProposalDetailModel(app: app, id: id))
        }
    }
}

enum ProposalStateLabel {
    static func text(_ s: ProposalState) -> String {
        switch s {
        case .draft: return "草稿"
        case .coSigning: return "联名中"
        case .submitted: return "已提交"
        case .conversionPending: return "待同意转办"
        case .registered: return "已立案"
        case .handling: return "办理中"
        case .replied: return "已答复"
        case .evaluating: return "待测评"
        case .rehandling: return "重新办理"
        case .awaitingClosure: return "待办结"
        case .closed: return "已办结"
        case .notRegistered: return "不予立案"
        case .withdrawn: return "已撤回"
        case .converted: return "已转办"
        }
    }
}

public struct ProposalDetailView: View {
    let model: ProposalDetailModel
    @StateObject private var detail: Watched<ProposalDetail?>
    @StateObject private var error: Watched<String?>
    public init(model: ProposalDetailModel) {
        self.model = model
        _detail = StateObject(wrappedValue: Watched(model.detail))
        _error = StateObject(wrappedValue: Watched(model.error))
    }
    public var body: some View {
        List {
            if let d = detail.value {
                Section { Text(d.content.title).font(.headline); Text(d.stateLabel) }
                Section(Strings.cause) { Text(d.content.cause) }
                Section(Strings.suggestions) { Text(d.content.suggestions) }
                Section(Strings.history) {
                    ForEach(d.history, id: \.seq) { h in
                        Text("\(h.label) · \(h.actorName)（\(h.roleLabel)）")
                    }
                }
                Section {
                    ForEach(model.actions, id: \.1) { kind, label in
                        // Commands needing a reason open a sheet in the full app; simple ones run here.
                        Button(label) { _ = simpleCommand(kind).map { model.perform($0) } }
                            .accessibilityLabel(label)
                    }
                    if let e = error.value { Text(e).foregroundStyle(.red) }
                }
            }
        }
    }

    private func simpleCommand(_ kind: CommandKind) -> ProposalCommand? {
        switch kind {
        case .submit: return .submit
        case .register: return .register
        case .openCoSigning: return .openCoSigning
        case .acceptInvitation: return .acceptInvitation
        case .declineInvitation: return .declineInvitation
        case .reopenDraft: return .reopenDraft
        case .unmarkKey: return .unmarkKey
        default: return nil
        }
    }
}

public struct ChatView: View {
    let model: ChatTimelineModel
    @StateObject private var items: Watched<[TimelineItem]>
    @State private var draft = ""
    public init(model: ChatTimelineModel) {
        self.model = model
        _items = StateObject(wrappedValue: Watched(model.items))
    }
    public var body: some View {
        VStack {
            List(items.value, id: \.id) { m in
                VStack(alignment: .leading) {
                    Text(m.senderName).font(.caption)
                    Text(m.text)
                    if m.state != .sent { Text(Strings.state(m.state)).font(.caption2).foregroundStyle(.orange) }
                }
                .accessibilityElement(children: .combine)
            }
            HStack {
                TextField("输入消息", text: $draft)
                Button(Strings.send) { if model.send(draft) { draft = "" } }.accessibilityLabel("发送消息")
                Button(Strings.retryAll) { model.retryAll() }.accessibilityLabel("全部重新发送")
            }
            .padding()
        }
        .navigationTitle(Strings.groups)
    }
}
#endif
