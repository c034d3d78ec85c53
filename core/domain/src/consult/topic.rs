//! 网络议政: staff open a topic (议题) with background material to an audience for a time
//! window; members post opinions (offline too), reply, and second (附议) a post once; staff
//! hide a post with a reason (shown as hidden), close the topic and publish a summary (综述)
//! quoting the posts it used, which their authors see.
//!
//! A post written offline before the window closed is accepted by the time the phone wrote it
//! only within the organisation's grace period after closing; later it is refused with that
//! reason. The server checks the written time against its own clock (allowing for drift).

use serde::{Deserialize, Serialize};

use super::{CLOCK_SKEW_MS, ConsultError, body, check_staff, note, title};
use crate::duty::notice::Audience;
use crate::org::Actor;
use crate::time::{display, from_millis};

/// Longest post, in characters.
pub const MAX_POST_CHARS: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicDraft {
    pub title: String,
    /// 背景材料
    pub background: String,
    pub audience: Audience,
    pub opens_at_ms: i64,
    pub closes_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub text: String,
    /// The posts the summary used, in the order it quotes them.
    pub quoted: Vec<String>,
    pub by: String,
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub background: String,
    pub audience: Audience,
    pub opens_at_ms: i64,
    pub closes_at_ms: i64,
    /// Hours after closing during which posts written before it still arrive (the
    /// organisation's setting when the topic opened).
    pub grace_hours: u32,
    /// Closed early by staff.
    pub closed_early: bool,
    pub summary: Option<Summary>,
    pub created_by: String,
    pub created_at_ms: i64,
}

impl Topic {
    pub fn is_open_at(&self, ms: i64) -> bool {
        ms >= self.opens_at_ms && ms <= self.closes_at_ms
    }

    pub fn status_label(&self, now_ms: i64) -> &'static str {
        if self.summary.is_some() {
            "已发布综述"
        } else if now_ms < self.opens_at_ms {
            "未开始"
        } else if now_ms <= self.closes_at_ms {
            "进行中"
        } else {
            "已结束"
        }
    }

    /// Whether a post written at `written_ms` and arriving at `now_ms` is in time.
    pub fn check_in_time(&self, written_ms: i64, now_ms: i64) -> Result<(), ConsultError> {
        let closes = display(from_millis(self.closes_at_ms));
        if written_ms < self.opens_at_ms {
            return Err(ConsultError::TopicNotOpen { opens: display(from_millis(self.opens_at_ms)) });
        }
        if written_ms > self.closes_at_ms || self.summary.is_some() {
            return Err(ConsultError::TopicClosed { closes });
        }
        if now_ms > self.closes_at_ms + i64::from(self.grace_hours) * 3_600_000 {
            return Err(ConsultError::GraceExpired { closes, grace_hours: self.grace_hours });
        }
        Ok(())
    }
}

/// A hidden post: the reason is shown where the post was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moderation {
    pub reason: String,
    pub by: String,
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: String,
    pub topic_id: String,
    pub author_id: String,
    pub reply_to: Option<String>,
    pub text: String,
    /// When the member wrote it (the phone's clock; the window is judged by it).
    pub written_at_ms: i64,
    pub edited_at_ms: Option<i64>,
    pub hidden: Option<Moderation>,
    /// Who seconded it (附议), in order.
    pub seconds: Vec<String>,
}

impl Post {
    /// What members other than its author keep of a hidden post: that it was hidden and why,
    /// not its text. `None` while it is shown.
    pub fn redacted(&self) -> Option<Post> {
        self.hidden.as_ref()?;
        Some(Post { text: String::new(), ..self.clone() })
    }
}

pub fn open(actor: &Actor, id: &str, draft: &TopicDraft, grace_hours: u32, now_ms: i64) -> Result<Topic, ConsultError> {
    check_staff(actor, &actor.org_id)?;
    if draft.closes_at_ms <= draft.opens_at_ms {
        return Err(ConsultError::WindowEndsBeforeStart);
    }
    if draft.closes_at_ms < now_ms {
        return Err(crate::duty::DutyError::DeadlineInPast.into());
    }
    if let Audience::People { person_ids } = &draft.audience
        && person_ids.is_empty()
    {
        return Err(crate::duty::DutyError::EmptyAudience.into());
    }
    if let Audience::Groups { group_ids } = &draft.audience
        && group_ids.is_empty()
    {
        return Err(crate::duty::DutyError::EmptyAudience.into());
    }
    Ok(Topic {
        id: id.into(),
        org_id: actor.org_id.clone(),
        title: title(&draft.title)?,
        background: body("背景材料", &draft.background, true)?,
        audience: draft.audience.clone(),
        opens_at_ms: draft.opens_at_ms,
        closes_at_ms: draft.closes_at_ms,
        grace_hours,
        closed_early: false,
        summary: None,
        created_by: actor.person_id.clone(),
        created_at_ms: now_ms,
    })
}

fn post_text(text: &str) -> Result<String, ConsultError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(crate::duty::DutyError::Empty { what: "意见内容" }.into());
    }
    if t.chars().count() > MAX_POST_CHARS {
        return Err(crate::duty::DutyError::TooLong { what: "意见内容", max: MAX_POST_CHARS as u32 }.into());
    }
    Ok(t.to_string())
}

/// A member in the topic's audience posts (the audience is checked by the caller, who holds
/// the people). `now_ms` is when it arrives: the phone's now offline, the server's on sync.
pub fn post(
    actor: &Actor,
    topic: &Topic,
    id: &str,
    reply_to: Option<&Post>,
    text: &str,
    written_at_ms: i64,
    now_ms: i64,
) -> Result<Post, ConsultError> {
    if written_at_ms > now_ms + CLOCK_SKEW_MS {
        return Err(ConsultError::WrittenInFuture);
    }
    topic.check_in_time(written_at_ms, now_ms)?;
    if let Some(parent) = reply_to
        && parent.topic_id != topic.id
    {
        return Err(ConsultError::ReplyElsewhere);
    }
    Ok(Post {
        id: id.into(),
        topic_id: topic.id.clone(),
        author_id: actor.person_id.clone(),
        reply_to: reply_to.map(|p| p.id.clone()),
        text: post_text(text)?,
        written_at_ms,
        edited_at_ms: None,
        hidden: None,
        seconds: Vec::new(),
    })
}

/// The author edits their post while the topic takes posts.
pub fn edit(
    actor: &Actor,
    topic: &Topic,
    p: &Post,
    text: &str,
    written_at_ms: i64,
    now_ms: i64,
) -> Result<Post, ConsultError> {
    if p.author_id != actor.person_id {
        return Err(ConsultError::NotYourPost);
    }
    if p.hidden.is_some() {
        return Err(ConsultError::PostHidden);
    }
    topic.check_in_time(written_at_ms, now_ms)?;
    let mut p = p.clone();
    p.text = post_text(text)?;
    p.edited_at_ms = Some(written_at_ms);
    Ok(p)
}

/// 附议: once per member and post, never one's own.
pub fn second(actor: &Actor, topic: &Topic, p: &Post, written_at_ms: i64, now_ms: i64) -> Result<Post, ConsultError> {
    if p.author_id == actor.person_id {
        return Err(ConsultError::SecondOwnPost);
    }
    if p.seconds.contains(&actor.person_id) {
        return Err(ConsultError::AlreadySeconded);
    }
    if p.hidden.is_some() {
        return Err(ConsultError::PostHidden);
    }
    topic.check_in_time(written_at_ms, now_ms)?;
    let mut p = p.clone();
    p.seconds.push(actor.person_id.clone());
    Ok(p)
}

/// Staff hide a post with a reason.
pub fn hide(actor: &Actor, topic: &Topic, p: &Post, reason: &str, now_ms: i64) -> Result<Post, ConsultError> {
    check_staff(actor, &topic.org_id)?;
    let reason = note("隐藏理由", reason, true).map_err(|_| ConsultError::HideNeedsReason)?;
    let mut p = p.clone();
    p.hidden = Some(Moderation { reason, by: actor.person_id.clone(), at_ms: now_ms });
    Ok(p)
}

/// Staff close the topic now (posts written before stay within the grace period).
pub fn close(actor: &Actor, topic: &Topic, now_ms: i64) -> Result<Topic, ConsultError> {
    check_staff(actor, &topic.org_id)?;
    let mut t = topic.clone();
    if now_ms < t.closes_at_ms {
        t.closes_at_ms = now_ms.max(t.opens_at_ms);
        t.closed_early = true;
    }
    Ok(t)
}

/// Staff publish the summary, quoting posts of the topic that are not hidden.
pub fn summarise(
    actor: &Actor,
    topic: &Topic,
    text: &str,
    quoted: &[String],
    posts: &[Post],
    now_ms: i64,
) -> Result<Topic, ConsultError> {
    check_staff(actor, &topic.org_id)?;
    // Closed at `closes_at_ms` (staff close and summarise in one go, in the same millisecond).
    if now_ms < topic.closes_at_ms {
        return Err(ConsultError::SummaryBeforeClose);
    }
    for q in quoted {
        if !posts.iter().any(|p| &p.id == q && p.topic_id == topic.id && p.hidden.is_none()) {
            return Err(ConsultError::QuotesHiddenPost { post: q.clone() });
        }
    }
    let mut t = topic.clone();
    t.summary = Some(Summary {
        text: body("综述", text, true)?,
        quoted: quoted.to_vec(),
        by: actor.person_id.clone(),
        at_ms: now_ms,
    });
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;

    const H: i64 = 3_600_000;

    fn staff() -> Actor {
        Actor { person_id: "chenjing".into(), role: Role::ProposalStaff, org_id: "yn-12-03".into(), unit_id: None }
    }
    fn member(p: &str) -> Actor {
        Actor { person_id: p.into(), role: Role::Member, org_id: "yn-12-03".into(), unit_id: None }
    }
    fn topic() -> Topic {
        let d = TopicDraft {
            title: "如何推进蒙自市城乡养老服务一体化".into(),
            background: "全市60岁以上人口占比已达18%。".into(),
            audience: Audience::Members { subordinates: false },
            opens_at_ms: 0,
            closes_at_ms: 100 * H,
        };
        open(&staff(), "t1", &d, 24, 0).unwrap()
    }

    #[test]
    fn offline_posts_count_by_when_they_were_written_within_the_grace_period() {
        let t = topic();
        let m = member("zhangming");
        assert!(post(&m, &t, "p1", None, "建议在乡镇建设日间照料中心", 99 * H, 110 * H).is_ok());
        assert!(matches!(
            post(&m, &t, "p2", None, "建议增加护理补贴", 99 * H, 125 * H),
            Err(ConsultError::GraceExpired { grace_hours: 24, .. })
        ));
        assert!(matches!(post(&m, &t, "p3", None, "晚了", 101 * H, 101 * H), Err(ConsultError::TopicClosed { .. })));
    }

    #[test]
    fn seconds_moderation_and_summary() {
        let t = topic();
        let p = post(&member("zhangming"), &t, "p1", None, "建议在乡镇建设日间照料中心", H, H).unwrap();
        let p = second(&member("lihua"), &t, &p, H, H).unwrap();
        assert_eq!(second(&member("lihua"), &t, &p, H, H), Err(ConsultError::AlreadySeconded));
        assert_eq!(second(&member("zhangming"), &t, &p, H, H), Err(ConsultError::SecondOwnPost));
        assert_eq!(edit(&member("lihua"), &t, &p, "改", H, H), Err(ConsultError::NotYourPost));
        let q = post(&member("wangfang"), &t, "p2", None, "无关内容", H, H).unwrap();
        let q = hide(&staff(), &t, &q, "与议题无关", 2 * H).unwrap();
        assert_eq!(
            summarise(&staff(), &t, "综述", &["p1".into()], std::slice::from_ref(&p), 50 * H),
            Err(ConsultError::SummaryBeforeClose)
        );
        let t = close(&staff(), &t, 50 * H).unwrap();
        assert_eq!(
            summarise(&staff(), &t, "综述", &["p2".into()], &[p.clone(), q.clone()], 51 * H),
            Err(ConsultError::QuotesHiddenPost { post: "p2".into() })
        );
        let t = summarise(&staff(), &t, "大家建议建设日间照料中心。", &["p1".into()], &[p, q], 51 * H).unwrap();
        assert_eq!(t.summary.unwrap().quoted, vec!["p1".to_string()]);
    }
}
