import LvzhiKit

/// The screens' words, in Simplified Chinese.
public enum Strings {
    public static let login = "登录"
    public static let account = "账号"
    public static let password = "密码"
    public static let proposals = "提案"
    public static let newProposal = "起草提案"
    public static let title = "标题"
    public static let cause = "案由"
    public static let suggestions = "建议"
    public static let category = "类别"
    public static let history = "办理记录"
    public static let groups = "学习交流群"
    public static let send = "发送"
    public static let retryAll = "全部重新发送"
    public static let sending = "发送中"
    public static let sent = "已发送"
    public static let failed = "发送失败"

    public static func state(_ s: MessageState) -> String {
        switch s {
        case .sending: return sending
        case .sent: return sent
        case .failed(let reason): return "\(failed)：\(reason)"
        }
    }
}
