//! 协商在基层: a township or community consultation (议事会) recorded by county staff or a
//! member: the topic, when and where, the members and the number of residents who took part,
//! and the points of consensus (共识), each with the unit responsible and its follow-up
//! (落实中/已落实/未落实, with a note and a date). The county sees it in full; the prefecture
//! and the province see counts and lists.

use serde::{Deserialize, Serialize};

use super::{ConsultError, body, check_staff, note, title};
use crate::org::{Actor, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsensusStatus {
    InProgress,
    Done,
    NotDone,
}

impl ConsensusStatus {
    pub const ALL: [ConsensusStatus; 3] =
        [ConsensusStatus::InProgress, ConsensusStatus::Done, ConsensusStatus::NotDone];

    pub fn label(self) -> &'static str {
        match self {
            ConsensusStatus::InProgress => "落实中",
            ConsensusStatus::Done => "已落实",
            ConsensusStatus::NotDone => "未落实",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConsensusStatus::InProgress => "in_progress",
            ConsensusStatus::Done => "done",
            ConsensusStatus::NotDone => "not_done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsensusDraft {
    pub text: String,
    /// 责任单位
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationDraft {
    /// 乡镇（街道）或社区
    pub township: String,
    pub topic: String,
    pub date_ms: i64,
    pub place: String,
    pub member_ids: Vec<String>,
    pub residents: u32,
    pub points: Vec<ConsensusDraft>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsensusPoint {
    /// `1`, `2`, ... in the order recorded.
    pub id: String,
    pub text: String,
    pub unit: String,
    pub status: ConsensusStatus,
    pub note: String,
    pub updated_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub id: String,
    pub org_id: String,
    pub township: String,
    pub topic: String,
    pub date_ms: i64,
    pub place: String,
    pub member_ids: Vec<String>,
    pub residents: u32,
    pub points: Vec<ConsensusPoint>,
    pub recorded_by: String,
    pub created_at_ms: i64,
}

impl Consultation {
    pub fn done(&self) -> usize {
        self.points.iter().filter(|p| p.status == ConsensusStatus::Done).count()
    }
}

fn may_record(actor: &Actor, org_id: &str) -> Result<(), ConsultError> {
    if actor.role == Role::Member && actor.org_id == org_id { Ok(()) } else { check_staff(actor, org_id) }
}

pub fn record(actor: &Actor, id: &str, d: &ConsultationDraft, now_ms: i64) -> Result<Consultation, ConsultError> {
    may_record(actor, &actor.org_id)?;
    let township = note("乡镇（街道）或社区", &d.township, true).map_err(|_| ConsultError::NoPlace)?;
    if d.points.iter().all(|p| p.text.trim().is_empty()) {
        return Err(ConsultError::NoConsensus);
    }
    let mut points = Vec::new();
    for p in d.points.iter().filter(|p| !p.text.trim().is_empty()) {
        points.push(ConsensusPoint {
            id: (points.len() + 1).to_string(),
            text: note("协商共识", &p.text, true)?,
            unit: note("责任单位", &p.unit, true)?,
            status: ConsensusStatus::InProgress,
            note: String::new(),
            updated_at_ms: now_ms,
        });
    }
    Ok(Consultation {
        id: id.into(),
        org_id: actor.org_id.clone(),
        township,
        topic: title(&d.topic)?,
        date_ms: d.date_ms,
        place: note("地点", &d.place, false)?,
        member_ids: d.member_ids.clone(),
        residents: d.residents,
        points,
        recorded_by: actor.person_id.clone(),
        created_at_ms: now_ms,
    })
}

/// Staff of the organisation, or whoever recorded it, update a point's follow-up.
pub fn follow_up(
    actor: &Actor,
    c: &Consultation,
    point_id: &str,
    status: ConsensusStatus,
    note_text: &str,
    date_ms: i64,
) -> Result<Consultation, ConsultError> {
    if actor.person_id != c.recorded_by {
        check_staff(actor, &c.org_id)?;
    }
    let text = body("落实情况说明", note_text, status == ConsensusStatus::NotDone).map_err(|e| match e {
        ConsultError::Text(crate::duty::DutyError::Empty { .. }) => ConsultError::NotDoneNeedsNote,
        e => e,
    })?;
    let mut c = c.clone();
    let p = c
        .points
        .iter_mut()
        .find(|p| p.id == point_id)
        .ok_or_else(|| ConsultError::NoSuchPoint { point: point_id.into() })?;
    p.status = status;
    p.note = text;
    p.updated_at_ms = date_ms;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consensus_points_are_followed_up() {
        let a =
            Actor { person_id: "chenjing".into(), role: Role::ProposalStaff, org_id: "yn-12-03".into(), unit_id: None };
        let d = ConsultationDraft {
            township: "雨过铺街道".into(),
            topic: "农贸市场规范经营".into(),
            date_ms: 1,
            place: "雨过铺街道社区服务中心".into(),
            member_ids: vec!["zhangming".into()],
            residents: 36,
            points: vec![
                ConsensusDraft { text: "划定临时摊位区".into(), unit: "雨过铺街道办事处".into() },
                ConsensusDraft { text: "".into(), unit: "".into() },
            ],
        };
        let c = record(&a, "c1", &d, 1).unwrap();
        assert_eq!(c.points.len(), 1);
        assert_eq!(follow_up(&a, &c, "1", ConsensusStatus::NotDone, " ", 2), Err(ConsultError::NotDoneNeedsNote));
        let c = follow_up(&a, &c, "1", ConsensusStatus::Done, "已划定", 2).unwrap();
        assert_eq!(c.done(), 1);
        assert!(matches!(follow_up(&a, &c, "9", ConsensusStatus::Done, "", 2), Err(ConsultError::NoSuchPoint { .. })));
    }
}
