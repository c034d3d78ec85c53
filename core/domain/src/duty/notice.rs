//! 通知公告: staff publish a notice to an audience, members read it offline and answer its
//! 回执; staff follow up by name. A correction is a new version (members see 已更正), a
//! withdrawal keeps the notice with its reason; both stay in the notice's history.
//!
//! A notice may go down the committee tree ("this organisation and all under it"): it is
//! written once to the scope of each organisation it reaches, never to the people one by one,
//! and a county member pulls it through their own county's scope without pulling anything else
//! of the province (see `visibility`).

use serde::{Deserialize, Serialize};

use super::{DutyError, check_body, check_note, check_staff, check_title};
use crate::org::Actor;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 会议通知
    Meeting,
    /// 工作通知
    Work,
    /// 学习通知
    Study,
    /// 公告
    Announcement,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 4] =
        [NoticeKind::Meeting, NoticeKind::Work, NoticeKind::Study, NoticeKind::Announcement];

    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Meeting => "会议通知",
            NoticeKind::Work => "工作通知",
            NoticeKind::Study => "学习通知",
            NoticeKind::Announcement => "公告",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Meeting => "meeting",
            NoticeKind::Work => "work",
            NoticeKind::Study => "study",
            NoticeKind::Announcement => "announcement",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Who receives a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Audience {
    /// Everyone who holds a role in the organisation (and, with `subordinates`, in every
    /// organisation under it).
    Organisation { subordinates: bool },
    /// The members (委员) of the organisation (and of those under it).
    Members { subordinates: bool },
    /// The members of these sectors (界别) and special committees (专委会) of the organisation.
    Groups { group_ids: Vec<String> },
    /// Named people.
    People { person_ids: Vec<String> },
}

impl Audience {
    pub fn reaches_subordinates(&self) -> bool {
        matches!(self, Audience::Organisation { subordinates: true } | Audience::Members { subordinates: true })
    }

    pub fn label(&self) -> String {
        match self {
            Audience::Organisation { subordinates: false } => "本组织全体".into(),
            Audience::Organisation { subordinates: true } => "本组织及下级组织全体".into(),
            Audience::Members { subordinates: false } => "本组织委员".into(),
            Audience::Members { subordinates: true } => "本组织及下级组织委员".into(),
            Audience::Groups { group_ids } => format!("{}个专委会/界别", group_ids.len()),
            Audience::People { person_ids } => format!("{}位指定人员", person_ids.len()),
        }
    }
}

/// The 回执 answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyOption {
    /// 参加
    Attend,
    /// 不参加
    Decline,
    /// 其他 (with a note)
    Other,
}

impl ReplyOption {
    pub fn label(self) -> &'static str {
        match self {
            ReplyOption::Attend => "参加",
            ReplyOption::Decline => "不参加",
            ReplyOption::Other => "其他",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReplyOption::Attend => "attend",
            ReplyOption::Decline => "decline",
            ReplyOption::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [ReplyOption::Attend, ReplyOption::Decline, ReplyOption::Other].into_iter().find(|k| k.as_str() == s)
    }
}

/// What staff write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeContent {
    pub title: String,
    pub body: String,
    pub kind: NoticeKind,
    pub audience: Audience,
    /// Whether members answer a 回执 (参加/不参加/其他).
    pub asks_reply: bool,
    /// Milliseconds since the epoch; answers are taken until then.
    pub reply_deadline_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::files::Attachment>,
    /// 紧急: people no push reaches get a text message (where the server sends SMS).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub urgent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    Published,
    Withdrawn,
}

/// One entry of a notice's history: its publication, each correction, its withdrawal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeEvent {
    pub version: u32,
    /// 发布, 更正, 撤回
    pub what: String,
    pub by: String,
    pub at_ms: i64,
    /// The text as it was at this version (for 发布 and 更正), or the reason (撤回).
    pub title: String,
    pub body: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: String,
    pub org_id: String,
    pub content: NoticeContent,
    /// 1 when published, +1 per correction.
    pub version: u32,
    pub status: NoticeStatus,
    pub published_by: String,
    pub published_at_ms: i64,
    pub corrected_at_ms: Option<i64>,
    pub withdrawn_reason: Option<String>,
    pub history: Vec<NoticeEvent>,
}

impl Notice {
    /// 已更正: members see that the text changed since it was published.
    pub fn is_corrected(&self) -> bool {
        self.version > 1
    }

    /// Whether answers are still taken at `now_ms`.
    pub fn accepts_replies(&self, now_ms: i64) -> bool {
        self.status == NoticeStatus::Published
            && self.content.asks_reply
            && self.content.reply_deadline_ms.is_none_or(|d| now_ms <= d)
    }
}

impl Notice {
    /// What readers outside its staff keep of a withdrawn notice: the title and the reason,
    /// not the text (of any version) or the files. `None` while it is published.
    pub fn redacted(&self) -> Option<Notice> {
        if self.status != NoticeStatus::Withdrawn {
            return None;
        }
        let mut n = self.clone();
        n.content.body.clear();
        n.content.attachments.clear();
        for e in &mut n.history {
            e.body.clear();
        }
        Some(n)
    }
}

/// A member's receipt of one notice: read (travels to their other devices) and answered.
/// Id `notice_id@person_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub notice_id: String,
    pub person_id: String,
    pub read_at_ms: Option<i64>,
    pub answer: Option<ReplyOption>,
    pub note: String,
    pub answered_at_ms: Option<i64>,
    /// The notice's version when answered: an answer given before a correction is shown so.
    pub answered_version: Option<u32>,
}

impl Receipt {
    pub fn new(notice_id: &str, person_id: &str) -> Receipt {
        Receipt {
            notice_id: notice_id.into(),
            person_id: person_id.into(),
            read_at_ms: None,
            answer: None,
            note: String::new(),
            answered_at_ms: None,
            answered_version: None,
        }
    }

    pub fn id(&self) -> String {
        receipt_id(&self.notice_id, &self.person_id)
    }
}

pub fn receipt_id(notice_id: &str, person_id: &str) -> String {
    format!("{notice_id}@{person_id}")
}

/// One person a notice was sent to, as the staff's follow-up list names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub person_id: String,
    pub name: String,
    pub org_id: String,
}

/// Who a notice reached, resolved by the server when it is published or corrected (people who
/// join later are not added); for the publishing staff only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceList {
    pub notice_id: String,
    pub org_id: String,
    pub recipients: Vec<Recipient>,
}

/// One line of the follow-up list: a person, by name, with what they did. Sorted by
/// organisation and name, never by anything that would rank people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpLine {
    pub person_id: String,
    pub name: String,
    pub org_id: String,
    pub read: bool,
    pub answer: Option<ReplyOption>,
    pub note: String,
}

/// The staff's view of one notice: who has read, who answered what, who has not answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub notice_id: String,
    pub recipients: u32,
    pub read: u32,
    pub answered: u32,
    pub lines: Vec<FollowUpLine>,
}

impl FollowUp {
    /// Recipients who have not answered (or not read, for a notice that asks no answer).
    pub fn outstanding(&self, asks_reply: bool) -> Vec<&FollowUpLine> {
        self.lines.iter().filter(|l| if asks_reply { l.answer.is_none() } else { !l.read }).collect()
    }
}

/// Builds the follow-up list from the audience and the receipts that arrived.
pub fn follow_up(list: &AudienceList, receipts: &[Receipt]) -> FollowUp {
    let mut lines: Vec<FollowUpLine> = list
        .recipients
        .iter()
        .map(|r| {
            let receipt = receipts.iter().find(|x| x.person_id == r.person_id);
            FollowUpLine {
                person_id: r.person_id.clone(),
                name: r.name.clone(),
                org_id: r.org_id.clone(),
                read: receipt.is_some_and(|x| x.read_at_ms.is_some()),
                answer: receipt.and_then(|x| x.answer),
                note: receipt.map(|x| x.note.clone()).unwrap_or_default(),
            }
        })
        .collect();
    lines.sort_by(|a, b| (&a.org_id, &a.name, &a.person_id).cmp(&(&b.org_id, &b.name, &b.person_id)));
    FollowUp {
        notice_id: list.notice_id.clone(),
        recipients: lines.len() as u32,
        read: lines.iter().filter(|l| l.read).count() as u32,
        answered: lines.iter().filter(|l| l.answer.is_some()).count() as u32,
        lines,
    }
}

// --- Rules ---------------------------------------------------------------------------------

/// The content as it is kept: trimmed, checked.
pub fn check_content(content: &NoticeContent, now_ms: i64) -> Result<NoticeContent, DutyError> {
    let title = check_title(&content.title)?.to_string();
    let body = check_body("通知正文", &content.body, true)?.to_string();
    if let Some(deadline) = content.reply_deadline_ms
        && deadline <= now_ms
    {
        return Err(DutyError::DeadlineInPast);
    }
    let audience = match &content.audience {
        Audience::Groups { group_ids } => Audience::Groups { group_ids: sorted(group_ids) },
        Audience::People { person_ids } => Audience::People { person_ids: sorted(person_ids) },
        other => other.clone(),
    };
    if matches!(&audience, Audience::Groups { group_ids: v } | Audience::People { person_ids: v } if v.is_empty()) {
        return Err(DutyError::EmptyAudience);
    }
    Ok(NoticeContent {
        title,
        body,
        kind: content.kind,
        audience,
        asks_reply: content.asks_reply,
        reply_deadline_ms: if content.asks_reply { content.reply_deadline_ms } else { None },
        attachments: content.attachments.clone(),
        urgent: content.urgent,
    })
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    v.sort();
    v.dedup();
    v
}

/// 发布: staff of `org_id`.
pub fn publish(actor: &Actor, id: &str, content: &NoticeContent, now_ms: i64) -> Result<Notice, DutyError> {
    check_staff(actor, &actor.org_id)?;
    let content = check_content(content, now_ms)?;
    Ok(Notice {
        id: id.into(),
        org_id: actor.org_id.clone(),
        version: 1,
        status: NoticeStatus::Published,
        published_by: actor.person_id.clone(),
        published_at_ms: now_ms,
        corrected_at_ms: None,
        withdrawn_reason: None,
        history: vec![NoticeEvent {
            version: 1,
            what: "发布".into(),
            by: actor.person_id.clone(),
            at_ms: now_ms,
            title: content.title.clone(),
            body: content.body.clone(),
            note: String::new(),
        }],
        content,
    })
}

/// 更正: a new version with a note on what changed.
pub fn correct(
    actor: &Actor,
    notice: &Notice,
    content: &NoticeContent,
    note: &str,
    now_ms: i64,
) -> Result<Notice, DutyError> {
    check_staff(actor, &notice.org_id)?;
    if notice.status == NoticeStatus::Withdrawn {
        return Err(DutyError::NoticeWithdrawn);
    }
    let content = check_content(content, now_ms)?;
    let note = check_note("更正说明", note, true)?;
    let mut n = notice.clone();
    n.version += 1;
    n.corrected_at_ms = Some(now_ms);
    n.history.push(NoticeEvent {
        version: n.version,
        what: "更正".into(),
        by: actor.person_id.clone(),
        at_ms: now_ms,
        title: content.title.clone(),
        body: content.body.clone(),
        note: note.into(),
    });
    n.content = content;
    Ok(n)
}

/// 撤回, with a reason; the notice stays, marked withdrawn.
pub fn withdraw(actor: &Actor, notice: &Notice, reason: &str, now_ms: i64) -> Result<Notice, DutyError> {
    check_staff(actor, &notice.org_id)?;
    if notice.status == NoticeStatus::Withdrawn {
        return Err(DutyError::NoticeWithdrawn);
    }
    let reason = check_note("撤回理由", reason, true)?;
    let mut n = notice.clone();
    n.status = NoticeStatus::Withdrawn;
    n.withdrawn_reason = Some(reason.into());
    n.history.push(NoticeEvent {
        version: n.version,
        what: "撤回".into(),
        by: actor.person_id.clone(),
        at_ms: now_ms,
        title: n.content.title.clone(),
        body: String::new(),
        note: reason.into(),
    });
    Ok(n)
}

/// Opening a notice marks it read (once; the first time is kept).
pub fn mark_read(receipt: &Receipt, now_ms: i64) -> Receipt {
    let mut r = receipt.clone();
    r.read_at_ms = Some(r.read_at_ms.unwrap_or(now_ms));
    r
}

/// 回执: answered while the notice takes answers; answering also marks it read.
pub fn answer(
    notice: &Notice,
    receipt: &Receipt,
    option: ReplyOption,
    note: &str,
    now_ms: i64,
) -> Result<Receipt, DutyError> {
    if notice.status == NoticeStatus::Withdrawn {
        return Err(DutyError::NoticeWithdrawn);
    }
    if !notice.content.asks_reply {
        return Err(DutyError::NoReplyAsked);
    }
    if !notice.accepts_replies(now_ms) {
        return Err(DutyError::ReplyDeadlinePassed);
    }
    let note = check_note("回执说明", note, option == ReplyOption::Other)
        .map_err(|e| if matches!(e, DutyError::Empty { .. }) { DutyError::OtherNeedsNote } else { e })?;
    let mut r = mark_read(receipt, now_ms);
    r.answer = Some(option);
    r.note = note.into();
    r.answered_at_ms = Some(now_ms);
    r.answered_version = Some(notice.version);
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;

    fn staff() -> Actor {
        Actor { person_id: "chenjing".into(), role: Role::ProposalStaff, org_id: "yn-12-03".into(), unit_id: None }
    }

    fn content(deadline: Option<i64>) -> NoticeContent {
        NoticeContent {
            attachments: Vec::new(),
            urgent: false,
            title: " 关于召开县政协十三届三次会议的通知 ".into(),
            body: "请各位委员于3月5日上午9时到县会议中心报到。".into(),
            kind: NoticeKind::Meeting,
            audience: Audience::Members { subordinates: false },
            asks_reply: true,
            reply_deadline_ms: deadline,
        }
    }

    #[test]
    fn a_withdrawn_notice_keeps_its_title_and_reason_for_its_readers_and_nothing_else() {
        let file = crate::files::Attachment {
            hash: "ab".repeat(32),
            name: "会议议程.pdf".into(),
            content_type: "application/pdf".into(),
            size: 1_024,
            thumbnail: None,
            width: None,
            height: None,
        };
        let n = publish(&staff(), "n1", &NoticeContent { attachments: vec![file], ..content(None) }, 1_000).unwrap();
        assert_eq!(n.redacted(), None, "a published notice is read whole");
        let w = withdraw(&staff(), &n, "会议延期", 2_000).unwrap();
        let r = w.redacted().unwrap();
        assert_eq!(
            (r.content.title.as_str(), r.withdrawn_reason.as_deref()),
            (n.content.title.as_str(), Some("会议延期"))
        );
        assert!(r.content.body.is_empty() && r.content.attachments.is_empty());
        assert!(r.history.iter().all(|e| e.body.is_empty()), "no version's text stays");
        let json = serde_json::to_value(&w).unwrap();
        let via_json = crate::visibility::redacted_json(crate::protocol::EntityKind::Notice, &json).unwrap();
        assert_eq!(via_json, serde_json::to_value(&r).unwrap());
        assert_eq!(crate::files::attachments_in(&json).len(), 1);
        assert!(crate::files::attachments_in(&via_json).is_empty());
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let mut c = content(Some(2_000));
        c.title = "  ".into();
        assert_eq!(publish(&staff(), "n1", &c, 1_000), Err(DutyError::EmptyTitle));
        assert_eq!(publish(&staff(), "n1", &content(Some(500)), 1_000), Err(DutyError::DeadlineInPast));
        let mut c = content(None);
        c.audience = Audience::People { person_ids: vec![" ".into()] };
        assert_eq!(publish(&staff(), "n1", &c, 1_000), Err(DutyError::EmptyAudience));
        let member = Actor { role: Role::Member, ..staff() };
        assert_eq!(publish(&member, "n1", &content(None), 1_000), Err(DutyError::NotStaff));
    }

    #[test]
    fn answers_close_at_the_deadline_and_corrections_keep_history() {
        let n = publish(&staff(), "n1", &content(Some(5_000)), 1_000).unwrap();
        assert_eq!(n.content.title, "关于召开县政协十三届三次会议的通知");
        let r = Receipt::new("n1", "zhangming");
        assert_eq!(answer(&n, &r, ReplyOption::Other, " ", 2_000), Err(DutyError::OtherNeedsNote));
        let r = answer(&n, &r, ReplyOption::Attend, "", 5_000).unwrap();
        assert_eq!((r.answer, r.read_at_ms, r.answered_version), (Some(ReplyOption::Attend), Some(5_000), Some(1)));
        assert_eq!(answer(&n, &r, ReplyOption::Decline, "", 5_001), Err(DutyError::ReplyDeadlinePassed));
        let mut c2 = content(Some(9_000));
        c2.body = "报到时间改为3月5日下午2时。".into();
        let n2 = correct(&staff(), &n, &c2, "报到时间调整", 6_000).unwrap();
        assert!(n2.is_corrected());
        assert_eq!(n2.history.len(), 2);
        assert_eq!(n2.history[0].body, "请各位委员于3月5日上午9时到县会议中心报到。");
        let n3 = withdraw(&staff(), &n2, "会议延期", 7_000).unwrap();
        assert_eq!(answer(&n3, &r, ReplyOption::Attend, "", 7_001), Err(DutyError::NoticeWithdrawn));
        assert_eq!(n3.history.len(), 3);
    }

    #[test]
    fn follow_up_names_everyone_and_sorts_by_organisation_and_name() {
        let list = AudienceList {
            notice_id: "n1".into(),
            org_id: "yn".into(),
            recipients: vec![
                Recipient { person_id: "b".into(), name: "李华".into(), org_id: "yn-12-03".into() },
                Recipient { person_id: "a".into(), name: "张明".into(), org_id: "yn-12-03".into() },
                Recipient { person_id: "c".into(), name: "杨帆".into(), org_id: "yn".into() },
            ],
        };
        let mut r = Receipt::new("n1", "a");
        r.read_at_ms = Some(1);
        r.answer = Some(ReplyOption::Decline);
        let f = follow_up(&list, &[r]);
        assert_eq!((f.recipients, f.read, f.answered), (3, 1, 1));
        assert_eq!(f.lines.iter().map(|l| l.person_id.as_str()).collect::<Vec<_>>(), ["c", "a", "b"]);
        assert_eq!(f.outstanding(true).len(), 2);
    }
}
