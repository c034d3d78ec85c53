//! The duty-record facts of study and reading (keys in `duty::record::RULE_KEYS`): a material
//! studied, a note written on one, a reading note. Each is the member's own act; none is
//! expected of anyone.

use super::material::{Material, Study};
use super::reading::ReadingNote;
use crate::duty::record::{DutyFact, Source};

fn fact(person: &str, key: &str, at_ms: i64, title: String, entity: &str, id: &str) -> DutyFact {
    DutyFact {
        person_id: person.into(),
        key: key.into(),
        at_ms,
        title,
        source: Source { entity: entity.into(), id: id.into() },
        units: 1,
        co_proposers: 0,
    }
}

/// Studied once; each note once.
pub fn study_facts(m: &Material, s: &Study) -> Vec<DutyFact> {
    let title = format!("学习：{}", m.title);
    let mut out: Vec<DutyFact> = s
        .studied_at_ms
        .map(|at| fact(&s.person_id, "material_studied", at, title.clone(), "material", &m.id))
        .into_iter()
        .collect();
    out.extend(s.notes.iter().map(|n| fact(&s.person_id, "study_note", n.at_ms, title.clone(), "material", &m.id)));
    out
}

pub fn reading_note_fact(n: &ReadingNote) -> DutyFact {
    fact(&n.person_id, "reading_note", n.at_ms, format!("读书心得（{}）", n.day), "reading_note", &n.id)
}
