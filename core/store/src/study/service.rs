//! The study, reading and news writes, the same on the phone (at once, offline) and on the
//! server (to decide). Each returns the entities it changed, which the server writes to their
//! scopes. As for notices, whether a member is in a material's audience is checked on the
//! server only (a phone holds only what reached it).

use lvzhi_domain::news;
use lvzhi_domain::org::Actor;
use lvzhi_domain::protocol::{EntityKind, MutationKind};
use lvzhi_domain::study::StudyError;
use lvzhi_domain::study::material::{self, Material};
use lvzhi_domain::study::reading;
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::Connection;

use super::repo;
use crate::changed::Entities;
use crate::chat;
use crate::duty::audience;
use crate::error::{Error, Result};
use crate::side::Side;

/// Applies a study, reading or news mutation; `None` when `kind` is not one.
pub fn apply(
    tx: &lvzhi_sql::Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    side: Side,
    now: Timestamp,
) -> Result<Option<Entities>> {
    use MutationKind as K;
    let now_ms = to_millis(now);
    let touched = match kind {
        K::PublishMaterial { material_id, draft } => {
            if repo::material(tx, material_id)?.is_some() {
                return Err(StudyError::DuplicateId.into());
            }
            let m = material::publish(actor, material_id, draft, now_ms)?;
            if side == Side::Server {
                audience::check_audience(tx, &m.org_id, &m.audience)?;
            }
            save_material(tx, &m)?
        }
        K::ReviseMaterial { material_id, draft } => {
            save_material(tx, &material::revise(actor, &material_or_missing(tx, material_id)?, draft)?)?
        }
        K::WithdrawMaterial { material_id, reason } => {
            save_material(tx, &material::withdraw(actor, &material_or_missing(tx, material_id)?, reason)?)?
        }
        K::MarkStudied { material_id } => {
            let m = readable_material(tx, actor, material_id, side)?;
            let current = repo::study(tx, material_id, &actor.person_id)?;
            let s = material::mark_studied(actor, &m, current.as_ref(), now_ms)?;
            repo::save_study(tx, &s)?;
            vec![(EntityKind::Study, s.id())]
        }
        K::WriteStudyNote { material_id, note_id, quote, text } => {
            let m = readable_material(tx, actor, material_id, side)?;
            let current = repo::study(tx, material_id, &actor.person_id)?;
            let s = material::add_note(actor, &m, current.as_ref(), note_id, quote.as_deref(), text, now_ms)?;
            repo::save_study(tx, &s)?;
            vec![(EntityKind::Study, s.id())]
        }
        K::SetReadingPlan { group_id, items, lead_readers } => {
            let g = chat::repo::group(tx, group_id)?.ok_or(Error::NotFound { what: "读书群" })?;
            let current = repo::plan(tx, group_id)?;
            let p = reading::set_plan(actor, &g, current.as_ref(), items, lead_readers, now_ms)?;
            repo::save_plan(tx, &p)?;
            vec![(EntityKind::ReadingPlan, p.group_id)]
        }
        K::PostGuide { group_id, guide_id, title, text } => {
            let p = repo::plan(tx, group_id)?.ok_or(Error::NotFound { what: "读书计划" })?;
            let p = reading::post_guide(actor, &p, guide_id, title, text, now_ms)?;
            repo::save_plan(tx, &p)?;
            vec![(EntityKind::ReadingPlan, p.group_id)]
        }
        K::WriteReadingNote { note_id, group_id, day, text } => {
            let g = chat::repo::group(tx, group_id)?.ok_or(Error::NotFound { what: "读书群" })?;
            let n = reading::write_note(actor, &g, note_id, day, text, now_ms)?;
            repo::save_note(tx, &n)?;
            vec![(EntityKind::ReadingNote, n.id)]
        }
        K::PublishNews { news_id, draft } => {
            if repo::news_item(tx, news_id)?.is_some() {
                return Err(StudyError::DuplicateId.into());
            }
            let n = news::publish(actor, news_id, draft, now_ms)?;
            repo::save_news(tx, &n)?;
            vec![(EntityKind::News, n.id)]
        }
        K::WithdrawNews { news_id, reason } => {
            let n = repo::news_item(tx, news_id)?.ok_or(Error::NotFound { what: "信息" })?;
            let n = news::withdraw(actor, &n, reason)?;
            repo::save_news(tx, &n)?;
            vec![(EntityKind::News, n.id)]
        }
        _ => return Ok(None),
    };
    Ok(Some(touched))
}

fn save_material(tx: &lvzhi_sql::Transaction<'_>, m: &Material) -> Result<Entities> {
    repo::save_material(tx, m)?;
    Ok(vec![(EntityKind::Material, m.id.clone())])
}

fn material_or_missing(c: &Connection, id: &str) -> Result<Material> {
    repo::material(c, id)?.ok_or(Error::NotFound { what: "学习资料" })
}

/// A material the actor may study: on the server, one whose audience reaches them.
fn readable_material(c: &Connection, actor: &Actor, id: &str, side: Side) -> Result<Material> {
    let m = material_or_missing(c, id)?;
    if side == Side::Server && !audience::reaches(c, &m.org_id, &m.audience, &actor.person_id)? {
        return Err(Error::NotFound { what: "学习资料" });
    }
    Ok(m)
}
