//! Study materials and each member's own study of one.

use serde::{Deserialize, Serialize};

use super::{StudyError, check_note};
use crate::duty::notice::Audience;
use crate::duty::{DutyError, check_body, check_staff, check_title};
use crate::files::Attachment;
use crate::org::Actor;

/// 视频点播: where the video is and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoLink {
    pub url: String,
    pub title: String,
    pub minutes: u32,
}

/// What staff write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialDraft {
    pub title: String,
    pub body: String,
    /// 专题, e.g. 「学习贯彻党的二十届四中全会精神」; materials of a series are read in `order`.
    pub series: Option<String>,
    pub order: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    pub video: Option<VideoLink>,
    pub audience: Audience,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub body: String,
    pub series: Option<String>,
    pub order: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    pub video: Option<VideoLink>,
    pub audience: Audience,
    pub published_at_ms: i64,
    pub published_by: String,
    pub version: u32,
    /// Why it was withdrawn; members keep what they wrote about it.
    pub withdrawn: Option<String>,
}

impl Material {
    /// What readers outside the publishing staff keep of a withdrawn material: the title and
    /// the reason, not the text, the files or the video. `None` while it is published.
    pub fn redacted(&self) -> Option<Material> {
        self.withdrawn.as_ref()?;
        Some(Material { body: String::new(), attachments: Vec::new(), video: None, ..self.clone() })
    }
}

fn checked(d: &MaterialDraft) -> Result<MaterialDraft, StudyError> {
    let title = check_title(&d.title)?.to_string();
    let body = check_body("资料正文", &d.body, false)?.to_string();
    if let Some(v) = &d.video
        && (!v.url.trim().starts_with("https://") || v.url.trim().len() < 12)
    {
        return Err(StudyError::BadVideoLink);
    }
    if body.is_empty() && d.attachments.is_empty() && d.video.is_none() {
        return Err(StudyError::EmptyMaterial);
    }
    if matches!(&d.audience, Audience::Groups { group_ids: v } | Audience::People { person_ids: v } if v.is_empty()) {
        return Err(DutyError::EmptyAudience.into());
    }
    let series = d.series.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(MaterialDraft { title, body, series, ..d.clone() })
}

/// Staff publish a material to an audience of their organisation.
pub fn publish(actor: &Actor, id: &str, draft: &MaterialDraft, now_ms: i64) -> Result<Material, StudyError> {
    check_staff(actor, &actor.org_id)?;
    let d = checked(draft)?;
    Ok(Material {
        id: id.into(),
        org_id: actor.org_id.clone(),
        title: d.title,
        body: d.body,
        series: d.series,
        order: d.order,
        attachments: d.attachments,
        video: d.video,
        audience: d.audience,
        published_at_ms: now_ms,
        published_by: actor.person_id.clone(),
        version: 1,
        withdrawn: None,
    })
}

/// A new version (the audience stays).
pub fn revise(actor: &Actor, m: &Material, draft: &MaterialDraft) -> Result<Material, StudyError> {
    check_staff(actor, &m.org_id)?;
    if m.withdrawn.is_some() {
        return Err(StudyError::Withdrawn);
    }
    let d = checked(&MaterialDraft { audience: m.audience.clone(), ..draft.clone() })?;
    Ok(Material {
        title: d.title,
        body: d.body,
        series: d.series,
        order: d.order,
        attachments: d.attachments,
        video: d.video,
        version: m.version + 1,
        ..m.clone()
    })
}

pub fn withdraw(actor: &Actor, m: &Material, reason: &str) -> Result<Material, StudyError> {
    check_staff(actor, &m.org_id)?;
    let reason = crate::duty::check_note("撤回理由", reason, true)?;
    Ok(Material { withdrawn: Some(reason.into()), ..m.clone() })
}

/// A note on a material, with the words it highlights (if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudyNote {
    pub id: String,
    pub quote: Option<String>,
    pub text: String,
    pub at_ms: i64,
}

/// One member's study of one material (id `material@person`): private to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Study {
    pub material_id: String,
    pub person_id: String,
    /// When they marked it studied (the first time).
    pub studied_at_ms: Option<i64>,
    pub notes: Vec<StudyNote>,
}

impl Study {
    pub fn id(&self) -> String {
        format!("{}@{}", self.material_id, self.person_id)
    }

    fn empty(m: &Material, person_id: &str) -> Study {
        Study { material_id: m.id.clone(), person_id: person_id.into(), studied_at_ms: None, notes: Vec::new() }
    }
}

/// Marks a material studied; marking again changes nothing.
pub fn mark_studied(actor: &Actor, m: &Material, current: Option<&Study>, now_ms: i64) -> Result<Study, StudyError> {
    if m.withdrawn.is_some() {
        return Err(StudyError::Withdrawn);
    }
    let mut s = current.cloned().unwrap_or_else(|| Study::empty(m, &actor.person_id));
    s.studied_at_ms.get_or_insert(now_ms);
    Ok(s)
}

/// Adds a note (a highlight when `quote` is given: the words must be in the material's text).
pub fn add_note(
    actor: &Actor,
    m: &Material,
    current: Option<&Study>,
    note_id: &str,
    quote: Option<&str>,
    text: &str,
    now_ms: i64,
) -> Result<Study, StudyError> {
    let text = check_note(text)?;
    let quote = quote.map(str::trim).filter(|q| !q.is_empty());
    if let Some(q) = quote
        && !m.body.contains(q)
    {
        return Err(StudyError::QuoteNotInText);
    }
    let mut s = current.cloned().unwrap_or_else(|| Study::empty(m, &actor.person_id));
    if s.notes.iter().any(|n| n.id == note_id) {
        // The same note again (a retry): nothing new.
        return Ok(s);
    }
    s.notes.push(StudyNote { id: note_id.into(), quote: quote.map(String::from), text: text.into(), at_ms: now_ms });
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;

    fn staff() -> Actor {
        Actor { person_id: "chenjing".into(), role: Role::ProposalStaff, org_id: "yn-12-03".into(), unit_id: None }
    }

    fn member() -> Actor {
        Actor { person_id: "zhangming".into(), role: Role::Member, org_id: "yn-12-03".into(), unit_id: None }
    }

    fn draft() -> MaterialDraft {
        MaterialDraft {
            title: "中国人民政治协商会议章程（学习辅导）".into(),
            body: "人民政协是中国共产党领导的多党合作和政治协商的重要机构。委员要懂政协、会协商、善议政。".into(),
            series: Some("政协章程专题".into()),
            order: 1,
            attachments: Vec::new(),
            video: None,
            audience: Audience::Members { subordinates: false },
        }
    }

    #[test]
    fn staff_publish_and_members_study_with_highlights() {
        assert!(matches!(publish(&member(), "m1", &draft(), 1), Err(StudyError::Duty(DutyError::NotStaff))));
        let m = publish(&staff(), "m1", &draft(), 1).unwrap();
        let s = mark_studied(&member(), &m, None, 10).unwrap();
        assert_eq!(mark_studied(&member(), &m, Some(&s), 20).unwrap().studied_at_ms, Some(10));
        let s =
            add_note(&member(), &m, Some(&s), "n1", Some("懂政协、会协商、善议政"), "结合宾川县实际学习", 30).unwrap();
        assert_eq!(s.notes.len(), 1);
        assert_eq!(add_note(&member(), &m, Some(&s), "n1", None, "重复", 31).unwrap(), s);
        assert_eq!(
            add_note(&member(), &m, Some(&s), "n2", Some("不在正文里的话"), "x", 40),
            Err(StudyError::QuoteNotInText)
        );
        let empty = MaterialDraft { body: " ".into(), ..draft() };
        assert_eq!(publish(&staff(), "m2", &empty, 1), Err(StudyError::EmptyMaterial));
        let video = MaterialDraft {
            video: Some(VideoLink { url: "http://v.example".into(), title: "讲座".into(), minutes: 40 }),
            ..draft()
        };
        assert_eq!(publish(&staff(), "m3", &video, 1), Err(StudyError::BadVideoLink));
        let gone = withdraw(&staff(), &m, "内容已更新").unwrap();
        assert_eq!(mark_studied(&member(), &gone, None, 50), Err(StudyError::Withdrawn));
    }
}
