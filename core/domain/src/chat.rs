//! Study-group chat (学习交流群): groups created by an organisation's staff, messages with
//! @mentions and replies, recall by the sender within two minutes, deletion by staff, read
//! markers shared by a member's devices.
//!
//! The data and the rules that need nothing but the data live here; `lvzhi-store` looks up the
//! group and the message, asks these rules, and writes.

use serde::{Deserialize, Serialize};

use crate::org::Actor;

/// Longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2_000;
/// Longest group name, in characters.
pub const MAX_GROUP_NAME_CHARS: usize = 40;
/// How long after sending a sender may recall a message.
pub const RECALL_WINDOW_SECS: i64 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    pub const ALL: [GroupKind; 4] =
        [GroupKind::ReadingGroup, GroupKind::Topic, GroupKind::SpecialCommittee, GroupKind::Sector];

    /// What the group is called for people: 读书群, 专题群, 专委会群, 界别群.
    pub fn label(self) -> &'static str {
        match self {
            GroupKind::SpecialCommittee => "专委会群",
            GroupKind::Sector => "界别群",
            GroupKind::ReadingGroup => "读书群",
            GroupKind::Topic => "专题群",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::SpecialCommittee => "special_committee",
            GroupKind::Sector => "sector",
            GroupKind::ReadingGroup => "reading_group",
            GroupKind::Topic => "topic",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        GroupKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A group with its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::files::Attachment>,
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

/// What a member sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    pub message_id: String,
    pub group_id: String,
    pub text: String,
    pub reply_to: Option<String>,
    pub mentions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::files::Attachment>,
}

// --- Rules ---------------------------------------------------------------------------------

/// Groups are managed by the proposal staff and administrators of their organisation.
pub fn check_may_manage(actor: &Actor, org_id: &str) -> Result<(), ChatError> {
    if actor.is_staff_of(org_id) { Ok(()) } else { Err(ChatError::NotGroupStaff) }
}

/// Only members of a group read and write in it.
pub fn check_member(group: &ChatGroup, person_id: &str) -> Result<(), ChatError> {
    if group.members.iter().any(|m| m == person_id) { Ok(()) } else { Err(ChatError::NotMember) }
}

/// A group's name, trimmed; refused when empty or too long.
pub fn check_group_name(name: &str) -> Result<&str, ChatError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_GROUP_NAME_CHARS {
        return Err(ChatError::BadGroupName);
    }
    Ok(name)
}

/// A message's text, trimmed; refused when empty or too long.
pub fn check_text(text: &str) -> Result<&str, ChatError> {
    check_message(text, false)
}

/// A message's text: a message that carries files may have none.
pub fn check_message(text: &str, has_files: bool) -> Result<&str, ChatError> {
    let text = text.trim();
    if text.is_empty() && !has_files {
        return Err(ChatError::EmptyMessage);
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ChatError::TooLong { max: MAX_MESSAGE_CHARS as u32 });
    }
    Ok(text)
}

/// A message already recalled or deleted cannot be removed again.
pub fn check_removable(m: &ChatMessage) -> Result<(), ChatError> {
    if m.recalled_at_ms.is_some() || m.deleted_by.is_some() { Err(ChatError::AlreadyRemoved) } else { Ok(()) }
}

/// 撤回: the sender, within [`RECALL_WINDOW_SECS`] of the server's sending time.
pub fn check_recall(m: &ChatMessage, person_id: &str, now_ms: i64) -> Result<(), ChatError> {
    if m.sender_id != person_id {
        return Err(ChatError::NotSender);
    }
    check_removable(m)?;
    let sent = m.sent_at_ms.ok_or(ChatError::NotSent)?;
    if now_ms - sent > RECALL_WINDOW_SECS * 1000 {
        return Err(ChatError::RecallWindowPassed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(sent_at_ms: Option<i64>) -> ChatMessage {
        ChatMessage {
            attachments: Vec::new(),
            id: "m1".into(),
            group_id: "g1".into(),
            seq: sent_at_ms.map(|_| 1),
            sender_id: "zhangming".into(),
            text: "今天学习乡村振兴促进法。".into(),
            reply_to: None,
            mentions: vec![],
            created_at_ms: 0,
            sent_at_ms,
            recalled_at_ms: None,
            deleted_by: None,
        }
    }

    #[test]
    fn recall_is_for_the_sender_within_two_minutes_of_sending() {
        let m = message(Some(1_000));
        assert_eq!(check_recall(&m, "zhangming", 1_000 + 120_000), Ok(()));
        assert_eq!(check_recall(&m, "zhangming", 1_000 + 120_001), Err(ChatError::RecallWindowPassed));
        assert_eq!(check_recall(&m, "lihua", 2_000), Err(ChatError::NotSender));
        assert_eq!(check_recall(&message(None), "zhangming", 2_000), Err(ChatError::NotSent));
        let recalled = ChatMessage { recalled_at_ms: Some(1_500), ..m };
        assert_eq!(check_recall(&recalled, "zhangming", 2_000), Err(ChatError::AlreadyRemoved));
    }

    #[test]
    fn text_and_names_are_trimmed_and_bounded() {
        assert_eq!(check_text("  你好  "), Ok("你好"));
        assert_eq!(check_text("   "), Err(ChatError::EmptyMessage));
        assert_eq!(check_text(&"字".repeat(2_001)), Err(ChatError::TooLong { max: 2_000 }));
        assert_eq!(check_group_name(&"群".repeat(41)), Err(ChatError::BadGroupName));
    }
}
