//! The duty-record facts of the consultation work (keys in `duty::record::RULE_KEYS`):
//! a report submitted, edited into its organisation's periodical, adopted by a higher one,
//! instructed by a leader and fed back, for each of its authors; a post written and a post a
//! summary used; a speech given at a remote consultation.

use crate::duty::meeting::Meeting;
use crate::duty::record::{DutyFact, Source};

use super::report::Report;
use super::speech::SpeechRequest;
use super::topic::{Post, Topic};

fn fact(person: &str, key: &str, at_ms: i64, title: &str, entity: &str, id: &str) -> DutyFact {
    DutyFact {
        person_id: person.into(),
        key: key.into(),
        at_ms,
        title: title.into(),
        source: Source { entity: entity.into(), id: id.into() },
        units: 1,
        co_proposers: 0,
    }
}

pub fn report_facts(r: &Report) -> Vec<DutyFact> {
    let mut keyed: Vec<(&str, i64)> = Vec::new();
    if let Some(at) = r.submitted_at_ms {
        keyed.push(("report_submitted", at));
    }
    if let Some(e) = r.edition_of(&r.org_id) {
        keyed.push(("report_edited", e.at_ms));
    }
    for e in r.editions.iter().filter(|e| e.org_id != r.org_id) {
        keyed.push(("report_adopted_above", e.at_ms));
    }
    for i in &r.instructions {
        keyed.push(("report_instructed", i.date_ms));
    }
    if r.feedback.is_some() {
        let at = r.history.iter().rev().find(|s| s.action == "feed_back").map_or(r.updated_at_ms, |s| s.at_ms);
        keyed.push(("report_fed_back", at));
    }
    let title = format!("社情民意：{}", r.content.title);
    r.author_ids
        .iter()
        .flat_map(|a| keyed.iter().map(|(k, at)| fact(a, k, *at, &title, "report", &r.id)).collect::<Vec<_>>())
        .collect()
}

/// A post counts once written (a hidden one does not); used by the summary, once more.
pub fn post_facts(t: &Topic, p: &Post) -> Vec<DutyFact> {
    if p.hidden.is_some() {
        return Vec::new();
    }
    let title = format!("网络议政：{}", t.title);
    let mut out = vec![fact(&p.author_id, "topic_post", p.written_at_ms, &title, "post", &p.id)];
    if let Some(s) = t.summary.as_ref().filter(|s| s.quoted.contains(&p.id)) {
        out.push(fact(&p.author_id, "post_used", s.at_ms, &title, "post", &p.id));
    }
    out
}

pub fn speech_fact(m: &Meeting, s: &SpeechRequest) -> Option<DutyFact> {
    let at = s.spoke_at_ms?;
    Some(fact(&s.person_id, "consult_speech", at, &format!("远程协商会发言：{}", m.title), "meeting", &m.id))
}
