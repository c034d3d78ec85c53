//! Study-group chat in the database: [`service`] applies the rules of `lvzhi_domain::chat` and
//! writes; [`repo`] stores and reads (timelines, history, unread counts, search). The read
//! models a phone shows are here too, since the queries build them.

pub mod repo;
pub mod service;

use lvzhi_domain::chat::ChatGroup;

/// Where a message of this phone stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum MessageState {
    /// 发送中
    Sending,
    /// 已发送
    Sent,
    /// 发送失败, with the reason; can be retried.
    Failed { reason: String },
}

/// One line of a timeline, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
    /// Files sent with it (none once recalled or deleted).
    pub attachments: Vec<lvzhi_domain::files::Attachment>,
}

/// A group in the list, with what is new in it for this member.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GroupSummary {
    pub group: ChatGroup,
    pub unread: u32,
    /// Unread messages that @mention this member.
    pub unread_mentions: u32,
    pub last_seq: Option<u64>,
    pub read_seq: u64,
}
