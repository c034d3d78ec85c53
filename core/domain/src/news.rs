//! 信息发布: news and work updates staff publish for their organisation and every one under
//! it, read offline in a feed of the member's organisation and the levels above.

use serde::{Deserialize, Serialize};

use crate::duty::{DutyError, check_body, check_note, check_staff, check_title};
use crate::files::Attachment;
use crate::org::Actor;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsDraft {
    pub title: String,
    pub summary: String,
    pub body: String,
    /// A cover photo (an uploaded image).
    pub cover: Option<Attachment>,
    /// Seen by the organisations under this one too (the usual case).
    pub subordinates: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct News {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub cover: Option<Attachment>,
    pub subordinates: bool,
    pub published_at_ms: i64,
    pub published_by: String,
    pub withdrawn: Option<String>,
}

const MAX_SUMMARY_CHARS: usize = 200;

pub fn publish(actor: &Actor, id: &str, d: &NewsDraft, now_ms: i64) -> Result<News, DutyError> {
    check_staff(actor, &actor.org_id)?;
    let title = check_title(&d.title)?;
    let body = check_body("正文", &d.body, true)?;
    let summary = d.summary.trim();
    if summary.chars().count() > MAX_SUMMARY_CHARS {
        return Err(DutyError::TooLong { what: "摘要", max: MAX_SUMMARY_CHARS as u32 });
    }
    // A feed shows the summary: the first lines of the text when staff wrote none.
    let summary = if summary.is_empty() { body.chars().take(60).collect::<String>() } else { summary.to_string() };
    if d.cover.as_ref().is_some_and(|c| !c.is_image()) {
        return Err(DutyError::Empty { what: "封面图片" });
    }
    Ok(News {
        id: id.into(),
        org_id: actor.org_id.clone(),
        title: title.into(),
        summary,
        body: body.into(),
        cover: d.cover.clone(),
        subordinates: d.subordinates,
        published_at_ms: now_ms,
        published_by: actor.person_id.clone(),
        withdrawn: None,
    })
}

impl News {
    /// What readers outside the publishing staff keep of a withdrawn item: the title and the
    /// reason, not the summary, the text or the cover. `None` while it is published.
    pub fn redacted(&self) -> Option<News> {
        self.withdrawn.as_ref()?;
        Some(News { summary: String::new(), body: String::new(), cover: None, ..self.clone() })
    }
}

pub fn withdraw(actor: &Actor, n: &News, reason: &str) -> Result<News, DutyError> {
    check_staff(actor, &n.org_id)?;
    let reason = check_note("撤回理由", reason, true)?;
    Ok(News { withdrawn: Some(reason.into()), ..n.clone() })
}
