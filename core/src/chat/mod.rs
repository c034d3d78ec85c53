//! Study-group chat (学习交流群): groups created by an organisation's staff, messages with
//! @mentions and replies, recall by the sender within two minutes, deletion by staff, read
//! markers shared by a member's devices, and a live timeline.
//!
//! - [`service`]: the rules and writes, run by the phone (at once, offline) and the server;
//! - [`repo`]: reads (timeline, history, unread counts, search) and storage;
//! - [`timeline`]: a listener gets a snapshot, then diffs.

pub mod repo;
pub mod service;
pub mod timeline;

use serde::{Deserialize, Serialize};

/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2_000;
/// Longest group name, in characters.
pub const MAX_GROUP_NAME_CHARS: usize = 40;
/// How long after sending a sender may recall a message.
pub const RECALL_WINDOW_SECS: i64 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
pub enum GroupKind {
    /// 专委会
    SpecialCommittee,
    /// 界别
    Sector,
    /// 读书群
    ReadingGroup,
    /// 专题
    Topic,
}

impl GroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::SpecialCommittee => "special_committee",
            GroupKind::Sector => "sector",
            GroupKind::ReadingGroup => "reading_group",
            GroupKind::Topic => "topic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [GroupKind::SpecialCommittee, GroupKind::Sector, GroupKind::ReadingGroup, GroupKind::Topic]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A group with its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct ChatGroup {
    pub id: String,
    pub org_id: String,
    pub kind: GroupKind,
    pub name: String,
    pub created_by: String,
    pub created_at_ms: i64,
    pub members: Vec<String>,
}

/// A message as the server keeps and sends it (text emptied once recalled or deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub id: String,
    pub group_id: String,
    /// The server's order in the group; `None` while only on this phone.
    pub seq: Option<u64>,
    pub sender_id: String,
    pub text: String,
    pub reply_to: Option<String>,
    pub mentions: Vec<String>,
    pub created_at_ms: i64,
    pub sent_at_ms: Option<i64>,
    pub recalled_at_ms: Option<i64>,
    pub deleted_by: Option<String>,
}

/// Where a message of this phone stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum, serde::Serialize)]
pub enum MessageState {
    /// 发送中
    Sending,
    /// 已发送
    Sent,
    /// 发送失败, with the reason; can be retried.
    Failed { reason: String },
}

/// One line of a timeline, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record, serde::Serialize)]
pub struct TimelineItem {
    pub id: String,
    pub group_id: String,
    pub seq: Option<u64>,
    pub sender_id: String,
    pub sender_name: String,
    /// The text, or the line that replaces a recalled or deleted message.
    pub text: String,
    pub reply_to: Option<String>,
    pub mentions: Vec<String>,
    pub created_at_ms: i64,
    pub sent_at_ms: Option<i64>,
    pub recalled: bool,
    pub deleted: bool,
    pub state: MessageState,
    /// The outbox entry to retry when failed.
    pub outbox_id: Option<u64>,
}

/// A group in the list, with what is new in it for this member.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record, serde::Serialize)]
pub struct GroupSummary {
    pub group: ChatGroup,
    pub unread: u32,
    /// Unread messages that @mention this member.
    pub unread_mentions: u32,
    pub last_seq: Option<u64>,
    pub read_seq: u64,
}

/// Why the chat rules refused something, for the member.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ChatError {
    #[error("您不是该群成员")]
    NotMember,
    #[error("消息不能为空")]
    EmptyMessage,
    #[error("消息不能超过{max}字")]
    TooLong { max: u32 },
    #[error("回复的消息不在本群")]
    ReplyElsewhere,
    #[error("只能撤回自己发送的消息")]
    NotSender,
    #[error("消息尚未发送，不能撤回")]
    NotSent,
    #[error("只能撤回2分钟内发送的消息")]
    RecallWindowPassed,
    #[error("该消息已撤回或已删除")]
    AlreadyRemoved,
    #[error("只有本组织的工作人员可以管理学习交流群")]
    NotGroupStaff,
    #[error("群名称不能为空，且不超过40字")]
    BadGroupName,
    #[error("群成员必须是本组织人员")]
    MemberOutsideOrganisation,
    #[error("该编号已被使用")]
    DuplicateId,
}
