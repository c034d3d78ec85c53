import LvzhiKit

/// The screens' words, in Simplified Chinese (as Android's S object). Sentences about rules
/// come from the core, never from here.
public enum Strings {
    public static let appName = "履职"
    public static let login = "登录"
    public static let account = "账号"
    public static let password = "密码"
    public static let proposals = "提案"
    public static let newProposal = "起草提案"
    public static let title = "标题"
    public static let cause = "案由"
    public static let suggestions = "建议"
    public static let category = "类别"
    public static let similar = "相似提案"
    public static let similarNote = "以下提案与您正在起草的内容相近，可参考其办理情况和答复，避免重复提出。"
    public static let history = "办理记录"
    public static let coProposers = "联名委员"
    public static let assignments = "承办单位与答复"
    public static let evaluations = "测评"
    public static let revisions = "历史版本"
    public static let restore = "恢复此版本"
    public static let actions = "可执行的操作"
    // The same short tab name as on Android (学习交流群 wraps among six tabs).
    public static let groups = "交流群"
    public static let search = "搜索"
    public static let outbox = "待发送"
    public static let outboxEmpty = "没有待发送的操作"
    public static let searchHint = "输入关键词，一两个字也可以"
    public static let peopleHint = "按姓名、界别或专委会查找"
    public static let units = "承办单位"
    public static let send = "发送"
    public static let reply = "回复"
    public static let recall = "撤回"
    public static let delete = "删除"
    public static let retry = "重新发送"
    public static let discard = "放弃"
    public static let retryAll = "全部重新发送"
    public static let sending = "发送中"
    public static let sent = "已发送"
    public static let failed = "发送失败"
    public static let confirm = "确定"
    public static let notices = "通知"
    /// The tab of the member's duties: meetings and the consultation work.
    public static let meetings = "履职"
    public static let mine = "我的"
    public static let dueList = "待办"
    public static let nothingDue = "暂无待办事项"
    public static let corrected = "已更正"
    public static let withdrawn = "已撤回"
    public static let record = "履职档案"
    public static let selfReports = "自主履职"
    public static let feedback = "意见建议"
    public static let publish = "发布通知"
    // 委员档案, 联络联系, 委员工作室 (issue 30).
    public static let myFile = "我的档案"
    public static let askCorrection = "申请更正"
    public static let noFileYet = "您的委员档案尚未建立。档案由本组织工作人员建立，建立后可在此查看并申请更正。"
    public static let contacts = "联络联系"
    public static let contactRegister = "联系名册"
    public static let contactLog = "联系记录"
    public static let addContact = "添加联系群众"
    public static let logContact = "记录一次联系"
    public static let raiseReport = "形成社情民意"
    public static let contactsFactsOnly = "按组织的年度要求如实记录联系界别群众的情况，只作为履职事实，不排名、不打分。"
    public static let studioDuty = "工作室值班"
    public static let studioMessages = "群众留言"
    public static let directory = "委员名录"
    public static let directoryHint = "按姓名、界别、专委会或职务查找"
    public static let directoryNoPhone = "名录不显示联系电话。"

    public static func reply(_ o: ReplyOption) -> String { replyOptionLabel(option: o) }
    public static let cancel = "取消"
    public static let messageHint = "写消息…"
    public static let saved = "已保存"
    public static let unsaved = "未保存"

    public static func state(_ s: MessageState) -> String {
        switch s {
        case .sending: return sending
        case .sent: return sent
        case .failed(let reason): return "\(failed)：\(reason)"
        }
    }

    public static func outboxState(_ s: OutboxState) -> String {
        switch s {
        case .pending: return outbox
        case .refused(let reason): return "被退回：\(reason)"
        case .waitingBehind(let id, let reason): return "待发送：排在被退回的第\(id)项之后（\(reason)）"
        case .waitingForFiles: return "等待附件上传完成后发送"
        }
    }

    public static func proposalState(_ s: ProposalState) -> String { proposalStateLabel(state: s) }

    public static func rating(_ r: Rating) -> String { ratingLabel(rating: r) }
}
