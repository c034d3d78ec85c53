//! 委员工作室: a place where members receive the public, registered by staff (where, the
//! members attached, opening times, a duty roster by date), with a public page the server serves
//! without any login (printed as a QR poster) where a resident leaves a message and gets a
//! lookup code to read the answer later. The members attached receive the messages on their
//! phones and answer them, or make a 社情民意 draft of one; staff see them all.
//!
//! A resident's phone number is seen by the studio's members and the organisation's staff only:
//! the message travels in their scopes alone, and the public answer page shows the text and the
//! answer, never the number.

use serde::{Deserialize, Serialize};

use super::{LiaisonError, date, noon_ms, phone, text, today};
use crate::consult::report::ReportContent;
use crate::duty::record::{DutyFact, Source};
use crate::org::Actor;

/// One day of the roster: the members on duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyDay {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub person_ids: Vec<String>,
}

/// What staff type for a studio.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudioDraft {
    pub name: String,
    /// 地址.
    pub place: String,
    /// 接待时间 (e.g. 「每周三 9:00–12:00」).
    pub opening_hours: String,
    pub member_ids: Vec<String>,
    pub roster: Vec<DutyDay>,
    /// Whether the public page takes messages.
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Studio {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub place: String,
    pub opening_hours: String,
    pub member_ids: Vec<String>,
    pub roster: Vec<DutyDay>,
    pub open: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl Studio {
    pub fn is_member(&self, person_id: &str) -> bool {
        self.member_ids.iter().any(|m| m == person_id)
    }

    /// The members on duty on `date` (`YYYY-MM-DD`).
    pub fn on_duty(&self, date: &str) -> &[String] {
        self.roster.iter().find(|d| d.date == date).map_or(&[], |d| d.person_ids.as_slice())
    }

    /// Whether `actor` may read and answer its messages: a member attached, acting in the
    /// studio's organisation, or staff of it.
    pub fn may_answer(&self, actor: &Actor) -> bool {
        actor.org_id == self.org_id
            && ((actor.role == crate::org::Role::Member && self.is_member(&actor.person_id)) || actor.role.is_staff())
    }
}

/// The roster's longest reach ahead, in days.
const MAX_ROSTER_DAYS: usize = 400;

/// Staff of the organisation set up a studio or change it. `org_members` are the members of the
/// organisation (those attached and on duty must be among them, and on duty only if attached).
pub fn save(
    actor: &Actor,
    current: Option<&Studio>,
    id: &str,
    draft: &StudioDraft,
    org_members: &[String],
    now_ms: i64,
) -> Result<Studio, LiaisonError> {
    let org_id = current.map_or(actor.org_id.as_str(), |s| s.org_id.as_str());
    if !actor.role.is_staff() || actor.org_id != org_id {
        return Err(LiaisonError::NotStaff);
    }
    let mut members: Vec<String> = Vec::new();
    for m in &draft.member_ids {
        if !org_members.contains(m) {
            return Err(LiaisonError::Invalid("工作室的委员须是本组织的委员".into()));
        }
        if !members.contains(m) {
            members.push(m.clone());
        }
    }
    if members.is_empty() {
        return Err(LiaisonError::Invalid("请选择进驻工作室的委员".into()));
    }
    // Days that have come are the record of who was on duty (facts of their duty record): they
    // may name members who have since left the studio, and they do not count against the
    // roster's reach. Days to come name the studio's members.
    let today = today(now_ms);
    let mut roster: Vec<DutyDay> = Vec::new();
    let mut to_come = 0;
    for d in &draft.roster {
        let day = date(&d.date)?;
        let label = day.format("%Y-%m-%d").to_string();
        let mut person_ids: Vec<String> = Vec::new();
        for p in &d.person_ids {
            if !person_ids.contains(p) {
                person_ids.push(p.clone());
            }
        }
        if day > today {
            to_come += 1;
            if person_ids.iter().any(|p| !members.contains(p)) {
                return Err(LiaisonError::Invalid(format!("{label}值班的委员须是工作室的委员")));
            }
        }
        if roster.iter().any(|r| r.date == label) {
            return Err(LiaisonError::Invalid(format!("值班表中{label}重复")));
        }
        roster.push(DutyDay { date: label, person_ids });
    }
    if to_come > MAX_ROSTER_DAYS {
        return Err(LiaisonError::Invalid(format!("值班表的排班不能超过{MAX_ROSTER_DAYS}天")));
    }
    roster.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(Studio {
        id: id.into(),
        org_id: org_id.into(),
        name: text("工作室名称", &draft.name, 40, true)?,
        place: text("地址", &draft.place, 100, true)?,
        opening_hours: text("接待时间", &draft.opening_hours, 100, false)?,
        member_ids: members,
        roster,
        open: draft.open,
        created_at_ms: current.map_or(now_ms, |s| s.created_at_ms),
        updated_at_ms: now_ms,
    })
}

/// The longest message a resident may leave, in characters.
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// What a resident leaves on the public page, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicMessage {
    pub text: String,
    pub name: String,
    pub phone: String,
}

/// Checks what a resident typed: text required and within bounds, control characters out (the
/// pages escape everything anyway), a name and a phone optional.
pub fn check_public_message(text_in: &str, name: &str, phone_in: &str) -> Result<PublicMessage, LiaisonError> {
    // Control characters out, and the invisible ones that reorder or hide text (bidirectional
    // overrides, zero-width marks) that could make a message read otherwise than it is.
    let invisible =
        |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}');
    let clean =
        |s: &str| -> String { s.chars().filter(|c| (!c.is_control() || *c == '\n') && !invisible(*c)).collect() };
    Ok(PublicMessage {
        text: text("留言内容", &clean(text_in), MAX_MESSAGE_CHARS, true)?,
        name: text("称呼", &clean(name), 20, false)?,
        phone: phone(&clean(phone_in))?,
    })
}

/// A member's or staff's answer to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudioAnswer {
    pub text: String,
    pub by: String,
    pub at_ms: i64,
}

/// A message left at a studio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudioMessage {
    pub id: String,
    pub studio_id: String,
    pub org_id: String,
    pub text: String,
    pub name: String,
    /// Seen by the studio's members and staff only.
    pub phone: String,
    /// A photo the resident attached (a file of the message).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<crate::files::Attachment>,
    pub received_at_ms: i64,
    /// The China date it came in on, whose members on duty are told.
    pub date: String,
    pub answer: Option<StudioAnswer>,
    /// The member who made a 社情民意 draft of it (one draft per message, for all its members to
    /// see; the draft itself is that member's).
    #[serde(default)]
    pub raised_by: Option<String>,
}

/// A message as received: for the members on duty that day.
pub fn receive(
    studio: &Studio,
    id: &str,
    message: PublicMessage,
    photo: Option<crate::files::Attachment>,
    now_ms: i64,
) -> Result<StudioMessage, LiaisonError> {
    if !studio.open {
        return Err(LiaisonError::Invalid("该工作室暂不接受留言".into()));
    }
    Ok(StudioMessage {
        id: id.into(),
        studio_id: studio.id.clone(),
        org_id: studio.org_id.clone(),
        text: message.text,
        name: message.name,
        phone: message.phone,
        photo,
        received_at_ms: now_ms,
        date: today(now_ms).format("%Y-%m-%d").to_string(),
        answer: None,
        raised_by: None,
    })
}

/// The longest answer.
pub const MAX_ANSWER_CHARS: usize = 2_000;

/// A member of the studio (or staff) answers a message, or changes the answer.
pub fn answer(
    actor: &Actor,
    studio: &Studio,
    m: &StudioMessage,
    answer_text: &str,
    now_ms: i64,
) -> Result<StudioMessage, LiaisonError> {
    if !studio.may_answer(actor) || m.studio_id != studio.id {
        return Err(LiaisonError::NotStudioMember);
    }
    let t = text("答复", answer_text, MAX_ANSWER_CHARS, true)?;
    Ok(StudioMessage {
        answer: Some(StudioAnswer { text: t, by: actor.person_id.clone(), at_ms: now_ms }),
        ..m.clone()
    })
}

/// A 社情民意 draft from a message (the resident's name and phone stay out of it).
pub fn report_draft(m: &StudioMessage, studio: &Studio) -> ReportContent {
    ReportContent {
        title: super::contacts::draft_title(&m.text),
        situation: format!("{}\n（{}群众在{}留言反映）", m.text, m.date, studio.name),
        analysis: String::new(),
        suggestion: String::new(),
        attachments: Vec::new(),
    }
}

/// The duty-record facts of a studio's roster: a day on duty for each member rostered, once
/// the day has come.
pub fn duty_facts(studio: &Studio, now_ms: i64) -> Vec<DutyFact> {
    let today = today(now_ms);
    let mut out = Vec::new();
    for d in &studio.roster {
        let Ok(day) = date(&d.date) else { continue };
        if day > today {
            continue;
        }
        out.extend(d.person_ids.iter().map(|p| DutyFact {
            person_id: p.clone(),
            key: "studio_duty".into(),
            at_ms: noon_ms(day),
            title: format!("委员工作室接待：{}", studio.name),
            source: Source { entity: "studio".into(), id: format!("{}@{}", studio.id, d.date) },
            units: 1,
            co_proposers: 0,
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;

    fn staff() -> Actor {
        Actor { person_id: "demo-chenjing".into(), role: Role::ProposalStaff, org_id: "yn-12-03".into(), unit_id: None }
    }

    fn member(p: &str) -> Actor {
        Actor { person_id: p.into(), role: Role::Member, org_id: "yn-12-03".into(), unit_id: None }
    }

    fn studio_draft() -> StudioDraft {
        StudioDraft {
            name: "金牛镇委员工作室".into(),
            place: "宾川县金牛镇文化站二楼".into(),
            opening_hours: String::new(),
            member_ids: Vec::new(),
            roster: Vec::new(),
            open: true,
        }
    }

    fn studio() -> Studio {
        let draft = StudioDraft {
            name: "金牛镇委员工作室".into(),
            place: "宾川县金牛镇文化站二楼".into(),
            opening_hours: "每周三 9:00–12:00".into(),
            member_ids: vec!["demo-zhangming".into(), "demo-lihua".into()],
            roster: vec![
                DutyDay { date: "2026-12-09".into(), person_ids: vec!["demo-lihua".into()] },
                DutyDay { date: "2026-12-02".into(), person_ids: vec!["demo-zhangming".into()] },
            ],
            open: true,
        };
        let members = vec!["demo-zhangming".into(), "demo-lihua".into(), "demo-wangfang".into()];
        save(&staff(), None, "s1", &draft, &members, 1).unwrap()
    }

    const DEC_7: i64 = 1_796_601_600_000; // 2026-12-07 00:00 UTC

    #[test]
    fn staff_set_up_a_studio_and_its_members_answer_its_messages() {
        let s = studio();
        assert_eq!(s.roster[0].date, "2026-12-02");
        assert_eq!(s.on_duty("2026-12-09"), ["demo-lihua".to_string()]);
        // Days that have come may name a member who left; days to come may not.
        let members = vec!["demo-zhangming".to_string(), "demo-lihua".to_string()];
        let past = StudioDraft {
            member_ids: vec!["demo-zhangming".into()],
            roster: vec![DutyDay {
                date: "2026-12-02".into(),
                person_ids: vec!["demo-lihua".into(), "demo-lihua".into()],
            }],
            ..studio_draft()
        };
        let kept = save(&staff(), Some(&s), "s1", &past, &members, DEC_7).unwrap();
        assert_eq!(kept.roster[0].person_ids, vec!["demo-lihua"], "once a day");
        let ahead = StudioDraft {
            roster: vec![DutyDay { date: "2026-12-09".into(), person_ids: vec!["demo-lihua".into()] }],
            ..past
        };
        assert!(matches!(save(&staff(), Some(&s), "s1", &ahead, &members, DEC_7), Err(LiaisonError::Invalid(_))));
        let other_org = Actor { org_id: "yn-12-04".into(), ..member("demo-zhangming") };
        assert!(!s.may_answer(&other_org), "a member attached acts in the studio's organisation");
        let draft = StudioDraft { member_ids: vec!["xy-1".into()], ..StudioDraft::default() };
        assert!(matches!(save(&staff(), None, "s2", &draft, &[], 1), Err(LiaisonError::Invalid(_))));
        assert_eq!(save(&member("demo-zhangming"), None, "s2", &draft, &[], 1).unwrap_err(), LiaisonError::NotStaff);

        let msg =
            check_public_message("村里的路灯坏了三个月，<script>alert(1)</script>", "老杨", "13987001111").unwrap();
        let m = receive(&s, "m1", msg, None, DEC_7).unwrap();
        assert_eq!(m.date, "2026-12-07");
        assert_eq!(answer(&member("demo-wangfang"), &s, &m, "已转交", 2).unwrap_err(), LiaisonError::NotStudioMember);
        let answered = answer(&member("demo-lihua"), &s, &m, "已联系镇政府，本周内修复", 2).unwrap();
        assert_eq!(answered.answer.unwrap().by, "demo-lihua");
        assert!(answer(&staff(), &s, &m, "收到", 2).is_ok());
        let report = report_draft(&m, &s);
        assert!(!report.situation.contains("13987001111") && !report.situation.contains("老杨"));
    }

    #[test]
    fn public_messages_are_bounded_and_duty_days_count_once_come() {
        assert!(check_public_message("  ", "", "").is_err());
        assert!(check_public_message(&"长".repeat(MAX_MESSAGE_CHARS + 1), "", "").is_err());
        assert!(check_public_message("路灯坏了", "", "110abc").is_err());
        assert_eq!(check_public_message("路\u{0}灯\u{7}坏了", "", "").unwrap().text, "路灯坏了");
        assert_eq!(check_public_message("路灯\u{202E}了坏\u{200B}", "", "").unwrap().text, "路灯了坏");
        let facts = duty_facts(&studio(), DEC_7);
        assert_eq!(facts.len(), 1, "the 9th has not come");
        assert_eq!((facts[0].person_id.as_str(), facts[0].key.as_str()), ("demo-zhangming", "studio_duty"));
    }
}
