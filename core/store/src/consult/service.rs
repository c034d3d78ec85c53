//! The consultation writes, the same on the phone (at once, offline) and on the server (to
//! decide). Each returns the entities it changed, which the server writes to their scopes.
//!
//! As for duties, what only the server can know is checked only there: that co-authors and
//! consultation participants hold a role in the organisation, that the groups and people of a
//! topic's audience exist. The clock that judges a post's grace period is the one of whoever
//! applies it: the phone's when the member writes, the server's when it arrives.

use lvzhi_domain::consult::report::{self, Report, StaffStep};
use lvzhi_domain::consult::topic::{self, Post, Topic};
use lvzhi_domain::consult::{ConsultError, grassroots, speech};
use lvzhi_domain::duty::DutyError;
use lvzhi_domain::duty::meeting::Meeting;
use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::{ConversionTarget, Proposal};
use lvzhi_domain::protocol::{EntityKind, MutationKind};
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Connection, Transaction, params};

use super::repo;
use crate::changed::Entities;
use crate::duty::{self, audience};
use crate::error::{Error, Result};
use crate::org;
use crate::side::Side;

/// Applies a consultation mutation; `None` when `kind` is not one.
pub fn apply(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    side: Side,
    now: Timestamp,
) -> Result<Option<Entities>> {
    use MutationKind as K;
    let now_ms = to_millis(now);
    let touched = match kind {
        K::CreateReport { report_id, content, co_authors, author_group } => {
            if repo::report(tx, report_id)?.is_some() {
                return Err(ConsultError::DuplicateId.into());
            }
            let r = report::create(actor, report_id, content, co_authors, author_group.as_deref(), now_ms)?;
            if side == Side::Server {
                check_members_of(tx, &r.org_id, &r.author_ids[1..]).map_err(|_| ConsultError::CoAuthorOutside)?;
                if let Some(g) = &r.author_group
                    && !tx
                        .prepare_cached("SELECT 1 FROM member_groups WHERE id = ?1 AND org_id = ?2")?
                        .exists(params![g, r.org_id])?
                {
                    return Err(DutyError::AudienceOutside.into());
                }
            }
            save_report(tx, &r)?
        }
        K::SaveReport { report_id, content } => {
            save_report(tx, &report::save_draft(actor, &report_or_missing(tx, report_id)?, content, now_ms)?)?
        }
        K::SubmitReport { report_id } => {
            let r = report_or_missing(tx, report_id)?;
            let max = org::org_settings(tx, &r.org_id)?.report_max_chars;
            save_report(tx, &report::submit(actor, &r, max, now_ms)?)?
        }
        K::ReportStep { report_id, step } => {
            let r = report_or_missing(tx, report_id)?;
            // Only sending up needs the tree above (staff of a higher organisation adopting a
            // report do not hold the county's record on their phones).
            let ancestors: Vec<String> = match step {
                StaffStep::SendUp { .. } => org::ancestry(tx, &r.org_id)?.into_iter().skip(1).map(|o| o.id).collect(),
                _ => Vec::new(),
            };
            save_report(tx, &report::act(actor, &r, step, &ancestors, now_ms)?)?
        }
        K::OpenTopic { topic_id, draft } => {
            if repo::topic(tx, topic_id)?.is_some() {
                return Err(ConsultError::DuplicateId.into());
            }
            let grace = org::org_settings(tx, &actor.org_id)?.post_grace_hours;
            let t = topic::open(actor, topic_id, draft, grace, now_ms)?;
            if side == Side::Server {
                audience::check_audience(tx, &t.org_id, &t.audience)?;
            }
            save_topic(tx, &t)?
        }
        K::CloseTopic { topic_id } => save_topic(tx, &topic::close(actor, &topic_or_missing(tx, topic_id)?, now_ms)?)?,
        K::SummariseTopic { topic_id, text, quoted } => {
            let t = topic_or_missing(tx, topic_id)?;
            let posts = repo::posts_of_topic(tx, topic_id)?;
            save_topic(tx, &topic::summarise(actor, &t, text, quoted, &posts, now_ms)?)?
        }
        K::WritePost { post_id, topic_id, reply_to, text, written_at_ms } => {
            if repo::post(tx, post_id)?.is_some() {
                return Err(ConsultError::DuplicateId.into());
            }
            let t = topic_or_missing(tx, topic_id)?;
            check_in_audience(tx, actor, &t)?;
            let parent = match reply_to {
                Some(id) => Some(repo::post(tx, id)?.ok_or(ConsultError::ReplyElsewhere)?),
                None => None,
            };
            save_post(tx, &topic::post(actor, &t, post_id, parent.as_ref(), text, *written_at_ms, now_ms)?)?
        }
        K::EditPost { post_id, text, written_at_ms } => {
            let (t, p) = post_with_topic(tx, post_id)?;
            save_post(tx, &topic::edit(actor, &t, &p, text, *written_at_ms, now_ms)?)?
        }
        K::SecondPost { post_id, written_at_ms } => {
            let (t, p) = post_with_topic(tx, post_id)?;
            check_in_audience(tx, actor, &t)?;
            save_post(tx, &topic::second(actor, &t, &p, *written_at_ms, now_ms)?)?
        }
        K::HidePost { post_id, reason } => {
            let (t, p) = post_with_topic(tx, post_id)?;
            save_post(tx, &topic::hide(actor, &t, &p, reason, now_ms)?)?
        }
        K::ApplyToSpeak { meeting_id, text } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            if !may_speak(tx, actor, &m)? {
                return Err(DutyError::NotInvited.into());
            }
            let current = repo::speech_request(tx, meeting_id, &actor.person_id)?;
            save_speech(tx, &speech::apply(actor, &m, current.as_ref(), text, now_ms)?)?
        }
        K::OrderSpeakers { meeting_id, person_ids } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            let ordered = speech::order(actor, &m, &repo::speech_requests_of_meeting(tx, meeting_id)?, person_ids)?;
            let mut touched = Vec::new();
            for s in &ordered {
                touched.extend(save_speech(tx, s)?);
            }
            touched
        }
        K::MarkSpoke { meeting_id, person_id } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            let s = repo::speech_request(tx, meeting_id, person_id)?.ok_or(ConsultError::NotApplied)?;
            save_speech(tx, &speech::mark_spoke(actor, &m, &s, now_ms)?)?
        }
        K::RecordConsultation { consultation_id, draft } => {
            if repo::consultation(tx, consultation_id)?.is_some() {
                return Err(ConsultError::DuplicateId.into());
            }
            let c = grassroots::record(actor, consultation_id, draft, now_ms)?;
            if side == Side::Server {
                audience::check_people_in_tree(tx, &c.org_id, &c.member_ids)?;
            }
            repo::save_consultation(tx, &c)?;
            vec![(EntityKind::Consultation, c.id)]
        }
        K::FollowUpConsensus { consultation_id, point_id, status, note, date_ms } => {
            let c = repo::consultation(tx, consultation_id)?.ok_or(Error::NotFound { what: "基层协商" })?;
            let c = grassroots::follow_up(actor, &c, point_id, *status, note, *date_ms)?;
            repo::save_consultation(tx, &c)?;
            vec![(EntityKind::Consultation, c.id)]
        }
        _ => return Ok(None),
    };
    Ok(Some(touched))
}

/// After a proposer consented to turn a proposal into 社情民意: the linked report, submitted
/// (the same id everywhere, see `report::id_for_proposal`). Applying it again (a replay on the
/// phone) writes the same report.
pub fn report_from_proposal(tx: &Transaction<'_>, actor: &Actor, p: &Proposal, now: Timestamp) -> Result<Entities> {
    if p.converted_to != Some(ConversionTarget::SocialConditionReport) {
        return Ok(Vec::new());
    }
    let id = report::id_for_proposal(&p.id);
    if let Some(existing) = repo::report(tx, &id)?
        && existing.from_proposal.as_deref() != Some(p.id.as_str())
    {
        return Err(ConsultError::DuplicateId.into());
    }
    save_report(tx, &report::from_proposal(actor, &id, p, to_millis(now))?)
}

fn report_or_missing(c: &Connection, id: &str) -> Result<Report> {
    repo::report(c, id)?.ok_or(Error::NotFound { what: "社情民意信息" })
}

fn topic_or_missing(c: &Connection, id: &str) -> Result<Topic> {
    repo::topic(c, id)?.ok_or(Error::NotFound { what: "议题" })
}

fn meeting_or_missing(c: &Connection, id: &str) -> Result<Meeting> {
    duty::repo::meeting(c, id)?.ok_or(Error::NotFound { what: "会议活动" })
}

fn post_with_topic(c: &Connection, post_id: &str) -> Result<(Topic, Post)> {
    let p = repo::post(c, post_id)?.ok_or(Error::NotFound { what: "意见" })?;
    Ok((topic_or_missing(c, &p.topic_id)?, p))
}

fn check_in_audience(c: &Connection, actor: &Actor, t: &Topic) -> Result<()> {
    if actor.role == Role::Member && audience::reaches(c, &t.org_id, &t.audience, &actor.person_id)? {
        Ok(())
    } else {
        Err(ConsultError::NotInAudience.into())
    }
}

/// On the meeting's list, or a member of its organisation or of a branch venue's.
fn may_speak(c: &Connection, actor: &Actor, m: &Meeting) -> Result<bool> {
    if duty::repo::attendance(c, &m.id, &actor.person_id)?.is_some() {
        return Ok(true);
    }
    let venue = m.remote.as_ref().is_some_and(|r| r.branch_venues.iter().any(|v| v.org_id == actor.org_id));
    Ok(actor.role == Role::Member && (actor.org_id == m.org_id || venue))
}

/// Each of `people` is a member (委员) of `org_id`.
fn check_members_of(c: &Connection, org_id: &str, people: &[String]) -> Result<()> {
    let mut stmt =
        c.prepare_cached("SELECT 1 FROM role_grants WHERE person_id = ?1 AND org_id = ?2 AND role = 'member'")?;
    for p in people {
        if !stmt.exists(params![p, org_id])? {
            return Err(ConsultError::CoAuthorOutside.into());
        }
    }
    Ok(())
}

fn save_report(tx: &Transaction<'_>, r: &Report) -> Result<Entities> {
    repo::save_report(tx, r)?;
    Ok(vec![(EntityKind::Report, r.id.clone())])
}

fn save_topic(tx: &Transaction<'_>, t: &Topic) -> Result<Entities> {
    repo::save_topic(tx, t)?;
    Ok(vec![(EntityKind::Topic, t.id.clone())])
}

fn save_post(tx: &Transaction<'_>, p: &Post) -> Result<Entities> {
    repo::save_post(tx, p)?;
    Ok(vec![(EntityKind::Post, p.id.clone())])
}

fn save_speech(tx: &Transaction<'_>, s: &speech::SpeechRequest) -> Result<Entities> {
    repo::save_speech_request(tx, s)?;
    Ok(vec![(EntityKind::SpeechRequest, s.id())])
}
