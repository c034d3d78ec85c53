//! 线上读书: a reading group's plan (the books or materials, when each is read, who leads),
//! 导读 posts by the lead readers, and the notes members may write about what they read — one
//! a day at most, never required.

use serde::{Deserialize, Serialize};

use super::{StudyError, check_note};
use crate::chat::{ChatGroup, GroupKind};
use crate::duty::{check_body, check_staff, check_title};
use crate::org::Actor;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingItem {
    pub title: String,
    pub author: String,
    /// A study material the book is in, if any.
    pub material_id: Option<String>,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// 导读: a lead reader introduces a part of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    pub id: String,
    pub author_id: String,
    pub title: String,
    pub text: String,
    pub at_ms: i64,
}

/// A reading group's plan; id = the group's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingPlan {
    pub group_id: String,
    pub org_id: String,
    pub items: Vec<ReadingItem>,
    pub lead_readers: Vec<String>,
    pub guides: Vec<Guide>,
    pub updated_at_ms: i64,
}

/// Staff of the group's organisation set (or change) its plan; the guides stay.
pub fn set_plan(
    actor: &Actor,
    group: &ChatGroup,
    current: Option<&ReadingPlan>,
    items: &[ReadingItem],
    lead_readers: &[String],
    now_ms: i64,
) -> Result<ReadingPlan, StudyError> {
    check_staff(actor, &group.org_id)?;
    if group.kind != GroupKind::ReadingGroup {
        return Err(StudyError::NotReadingGroup);
    }
    if items.is_empty() || items.iter().any(|i| i.title.trim().is_empty() || i.from_ms >= i.to_ms) {
        return Err(StudyError::BadPlan);
    }
    for i in items {
        check_title(&i.title)?;
    }
    if lead_readers.iter().any(|p| !group.members.contains(p)) {
        return Err(StudyError::LeadNotMember);
    }
    let mut leads = lead_readers.to_vec();
    leads.sort();
    leads.dedup();
    Ok(ReadingPlan {
        group_id: group.id.clone(),
        org_id: group.org_id.clone(),
        items: items.to_vec(),
        lead_readers: leads,
        guides: current.map(|p| p.guides.clone()).unwrap_or_default(),
        updated_at_ms: now_ms,
    })
}

/// A lead reader posts a 导读.
pub fn post_guide(
    actor: &Actor,
    plan: &ReadingPlan,
    guide_id: &str,
    title: &str,
    text: &str,
    now_ms: i64,
) -> Result<ReadingPlan, StudyError> {
    if !plan.lead_readers.contains(&actor.person_id) {
        return Err(StudyError::NotLeadReader);
    }
    let title = check_title(title)?;
    let text = check_body("导读", text, true)?;
    let mut p = plan.clone();
    if !p.guides.iter().any(|g| g.id == guide_id) {
        p.guides.push(Guide {
            id: guide_id.into(),
            author_id: actor.person_id.clone(),
            title: title.into(),
            text: text.into(),
            at_ms: now_ms,
        });
    }
    p.updated_at_ms = now_ms;
    Ok(p)
}

/// A member's note on a day's reading, seen by the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingNote {
    pub id: String,
    pub group_id: String,
    pub person_id: String,
    /// `2027-03-05`: one note a day (writing again that day replaces it).
    pub day: String,
    pub text: String,
    pub at_ms: i64,
}

fn check_day(day: &str) -> Result<&str, StudyError> {
    chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").map(|_| day.trim()).map_err(|_| StudyError::BadDay)
}

/// A member's note of a day in a group has one id everywhere, `group@person@day`: writing again
/// that day (on this phone or another) is the same note, whichever phone's version arrives first.
pub fn note_id(group_id: &str, person_id: &str, day: &str) -> String {
    format!("{group_id}@{person_id}@{}", day.trim())
}

/// Writes (or rewrites) the member's note of `day` (its id from [`note_id`]).
pub fn write_note(
    actor: &Actor,
    group: &ChatGroup,
    id: &str,
    day: &str,
    text: &str,
    now_ms: i64,
) -> Result<ReadingNote, StudyError> {
    if group.kind != GroupKind::ReadingGroup {
        return Err(StudyError::NotReadingGroup);
    }
    if !group.members.contains(&actor.person_id) {
        return Err(StudyError::NotMember);
    }
    let day = check_day(day)?;
    let text = check_note(text)?;
    if id != note_id(&group.id, &actor.person_id, day) {
        return Err(StudyError::BadNoteId);
    }
    Ok(ReadingNote {
        id: id.to_string(),
        group_id: group.id.clone(),
        person_id: actor.person_id.clone(),
        day: day.into(),
        text: text.into(),
        at_ms: now_ms,
    })
}
