//! Why a consultation rule refused something, in the words the member or staff read.

use crate::duty::DutyError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsultError {
    /// A title, text or note that is empty or too long (the same wording as elsewhere).
    #[error(transparent)]
    Text(DutyError),
    #[error("只有本组织委员可以进行此操作")]
    NotMember,
    #[error("该编号已被使用")]
    DuplicateId,
    // --- 社情民意 ---
    #[error("社情民意信息不能为空：请填写{what}")]
    EmptyReport { what: &'static str },
    #[error("社情民意信息正文共{chars}字，超过本组织上限{max}字，请精简（一事一报，一般不超过1500字）")]
    ReportTooLong { chars: u32, max: u32 },
    #[error("只有撰稿人可以修改或报送该社情民意信息")]
    NotAuthor,
    #[error("联名撰稿人必须是本组织委员")]
    CoAuthorOutside,
    #[error("该社情民意信息当前为「{state}」，不能{action}")]
    ReportWrongState { state: &'static str, action: &'static str },
    #[error("请填写期号")]
    EmptyIssue,
    #[error("请至少选择一个报送单位")]
    NoDestination,
    #[error("报送政协须为上级政协组织")]
    DestinationNotAbove,
    #[error("该社情民意信息未报送本组织，不能采用")]
    NotSentHere,
    #[error("本组织已编发该社情民意信息")]
    AlreadyEdited,
    #[error("该提案不是待转社情民意信息")]
    NotConvertedProposal,
    // --- 网络议政 ---
    #[error("议政结束时间必须晚于开始时间")]
    WindowEndsBeforeStart,
    #[error("议题尚未开始，{opens}起可以发表意见")]
    TopicNotOpen { opens: String },
    #[error("议题已于{closes}结束，不能再发表意见")]
    TopicClosed { closes: String },
    #[error("议题已于{closes}结束，离线撰写的意见须在结束后{grace_hours}小时内同步，已超过补交时限")]
    GraceExpired { closes: String, grace_hours: u32 },
    #[error("撰写时间晚于当前时间，请校准手机时间后再发")]
    WrittenInFuture,
    #[error("您不在该议题的参与范围内")]
    NotInAudience,
    #[error("只能修改本人发表的意见")]
    NotYourPost,
    #[error("该意见已被隐藏")]
    PostHidden,
    #[error("您已附议该意见")]
    AlreadySeconded,
    #[error("不能附议自己的意见")]
    SecondOwnPost,
    #[error("回复的意见不在本议题中")]
    ReplyElsewhere,
    #[error("议题结束后才能发布综述")]
    SummaryBeforeClose,
    #[error("综述引用的意见「{post}」已被隐藏或不在本议题中")]
    QuotesHiddenPost { post: String },
    #[error("隐藏意见请填写理由")]
    HideNeedsReason,
    // --- 远程协商 ---
    #[error("该会议不是远程协商会")]
    NotRemote,
    #[error("您已申请发言")]
    AlreadyApplied,
    #[error("发言顺序须包含且只包含已申请发言的委员")]
    BadSpeakerOrder,
    #[error("该委员未申请发言")]
    NotApplied,
    // --- 协商在基层 ---
    #[error("请填写协商共识")]
    NoConsensus,
    #[error("共识「{point}」不存在")]
    NoSuchPoint { point: String },
    #[error("请填写乡镇（街道）或社区名称")]
    NoPlace,
    #[error("标记「未落实」请填写说明")]
    NotDoneNeedsNote,
}
