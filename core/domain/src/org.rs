//! Organisations and people.
//!
//! Yunnan runs three levels of CPPCC committees: the province, its 16 prefectures and cities
//! (州/市) and the counties and districts (县/区) below them. Each committee sits in terms (届)
//! and meets in yearly plenary sessions (次会议), which open and close the proposal window.
//! Members belong to sectors (界别) and special committees (专委会); proposals are answered by
//! handling units (承办单位).

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// Level of a committee in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrgLevel {
    /// 省级
    Province,
    /// 州/市
    Prefecture,
    /// 县/区
    County,
}

impl OrgLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgLevel::Province => "province",
            OrgLevel::Prefecture => "prefecture",
            OrgLevel::County => "county",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "province" => Some(OrgLevel::Province),
            "prefecture" => Some(OrgLevel::Prefecture),
            "county" => Some(OrgLevel::County),
            _ => None,
        }
    }

    /// The level a child of this level must have; a county has no children.
    pub fn child(self) -> Option<Self> {
        match self {
            OrgLevel::Province => Some(OrgLevel::Prefecture),
            OrgLevel::Prefecture => Some(OrgLevel::County),
            OrgLevel::County => None,
        }
    }
}

/// One CPPCC committee (政协组织).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub parent_id: Option<String>,
    pub level: OrgLevel,
    /// e.g. 「政协大理白族自治州委员会」
    pub name: String,
}

/// A five-year term (届) of a committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub id: String,
    pub org_id: String,
    /// 第 N 届
    pub number: u32,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

/// A plenary session (第 N 次会议) with its proposal window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub term_id: String,
    pub org_id: String,
    /// 第 N 次会议
    pub number: u32,
    /// Plenary proposals (大会提案) are accepted from here...
    pub proposals_open_at: Timestamp,
    /// ...until here.
    pub proposals_deadline: Timestamp,
    /// Whether proposals outside the window are filed as 平时提案 instead of refused.
    pub accepts_interim: bool,
}

impl Session {
    /// Whether plenary proposals are taken at `now`.
    pub fn takes_plenary_proposals(&self, now: Timestamp) -> bool {
        self.proposals_open_at <= now && now <= self.proposals_deadline
    }
}

/// The session a new draft goes in: the one taking plenary proposals now, else the one whose
/// deadline is latest (a draft written between sessions waits for the next).
pub fn session_for_new_draft(sessions: &[Session], now: Timestamp) -> Option<&Session> {
    sessions.iter().max_by_key(|s| (s.takes_plenary_proposals(now), s.proposals_deadline))
}

/// A sector (界别) or a special committee (专委会): both are named groups of members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberGroup {
    pub id: String,
    pub org_id: String,
    pub kind: MemberGroupKind,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberGroupKind {
    /// 界别
    Sector,
    /// 专委会
    SpecialCommittee,
}

impl MemberGroupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberGroupKind::Sector => "sector",
            MemberGroupKind::SpecialCommittee => "special_committee",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sector" => Some(MemberGroupKind::Sector),
            "special_committee" => Some(MemberGroupKind::SpecialCommittee),
            _ => None,
        }
    }
}

/// A handling unit (承办单位): a government department or other body that answers proposals
/// assigned by a committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandlingUnit {
    pub id: String,
    /// The committee that assigns proposals to this unit.
    pub org_id: String,
    pub name: String,
}

/// What a person may do, always within one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// 委员
    Member,
    /// 提案委/提案办 staff
    ProposalStaff,
    /// A user of a handling unit (承办单位)
    UnitUser,
    /// The organisation's administrator
    OrgAdmin,
}

impl Role {
    /// The roles that move an organisation's work along: its proposal staff and administrators.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::ProposalStaff | Role::OrgAdmin)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::ProposalStaff => "proposal_staff",
            Role::UnitUser => "unit_user",
            Role::OrgAdmin => "org_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "member" => Some(Role::Member),
            "proposal_staff" => Some(Role::ProposalStaff),
            "unit_user" => Some(Role::UnitUser),
            "org_admin" => Some(Role::OrgAdmin),
            _ => None,
        }
    }

    /// The role's name as members read it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Member => "委员",
            Role::ProposalStaff => "提案工作人员",
            Role::UnitUser => "承办单位",
            Role::OrgAdmin => "组织管理员",
        }
    }
}

/// A person known to the committee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: String,
}

/// A role held by a person in one organisation; unit users also name their unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub person_id: String,
    pub org_id: String,
    pub role: Role,
    pub unit_id: Option<String>,
}

/// Who is acting: one person in one of their roles. Every domain decision takes an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub person_id: String,
    pub role: Role,
    pub org_id: String,
    pub unit_id: Option<String>,
}

impl Actor {
    /// Staff of `org_id`: its proposal staff or its administrators (who move its work along).
    pub fn is_staff_of(&self, org_id: &str) -> bool {
        self.role.is_staff() && self.org_id == org_id
    }
}

impl From<&RoleGrant> for Actor {
    fn from(g: &RoleGrant) -> Self {
        Actor { person_id: g.person_id.clone(), role: g.role, org_id: g.org_id.clone(), unit_id: g.unit_id.clone() }
    }
}

/// Numbers that local rules set differently; the defaults are the common ones
/// (`shared/domain/cppcc-workflows.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSettings {
    /// Handling time from assignment (办理期限), in months.
    pub handling_months: u32,
    /// The most a single extension may bring the handling time to, in months from assignment.
    pub max_handling_months: u32,
    /// Days a handling unit has to return a wrongly assigned proposal.
    pub return_window_days: u32,
    /// Working days within which the unit should first contact the proposers.
    pub first_contact_working_days: u32,
    /// Working days the proposers have to evaluate a reply.
    pub evaluation_working_days: u32,
    /// Months for a new reply after an unsatisfied evaluation (重新办理).
    pub rehandle_months: u32,
    /// The longest 社情民意 report, in characters of text (the usual is 1,500).
    #[serde(default = "default_report_max_chars")]
    pub report_max_chars: u32,
    /// Hours after a 网络议政 topic closes during which posts written before it still arrive.
    #[serde(default = "default_post_grace_hours")]
    pub post_grace_hours: u32,
    /// The largest attachment, in bytes.
    #[serde(default = "default_file_max_bytes")]
    pub file_max_bytes: u64,
    /// Whether a push about one of this organisation's notices may carry its title (otherwise,
    /// as by default, it names only the kind and a count: nothing of the content reaches the
    /// phone makers' servers).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub push_titles: bool,
}

/// The largest file an organisation accepts unless it sets its own (`file_max_bytes`).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// The hard limit of a 社情民意 report's length where an organisation sets none.
pub const DEFAULT_REPORT_MAX_CHARS: u32 = 3000;
/// The grace period after a 网络议政 topic closes where an organisation sets none.
pub const DEFAULT_POST_GRACE_HOURS: u32 = 24;

// The settings' defaults live here, with the settings: the base module imports no feature.
fn default_file_max_bytes() -> u64 {
    DEFAULT_MAX_FILE_BYTES
}

fn default_report_max_chars() -> u32 {
    DEFAULT_REPORT_MAX_CHARS
}

fn default_post_grace_hours() -> u32 {
    DEFAULT_POST_GRACE_HOURS
}

impl Default for OrgSettings {
    fn default() -> Self {
        OrgSettings {
            handling_months: 3,
            max_handling_months: 6,
            return_window_days: 7,
            first_contact_working_days: 15,
            evaluation_working_days: 15,
            rehandle_months: 3,
            report_max_chars: default_report_max_chars(),
            post_grace_hours: default_post_grace_hours(),
            file_max_bytes: default_file_max_bytes(),
            push_titles: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::from_millis;

    fn session(id: &str, open: i64, deadline: i64) -> Session {
        Session {
            id: id.into(),
            term_id: "yn-12-03-term".into(),
            org_id: "yn-12-03".into(),
            number: 1,
            proposals_open_at: from_millis(open),
            proposals_deadline: from_millis(deadline),
            accepts_interim: true,
        }
    }

    #[test]
    fn a_new_draft_goes_in_the_session_open_now_else_the_latest() {
        let (s2, s3, s4) = (session("s2", 100, 200), session("s3", 300, 400), session("s4", 500, 600));
        let all = [s2.clone(), s3.clone(), s4.clone()];
        let at = |ms: i64| session_for_new_draft(&all, from_millis(ms)).map(|s| s.id.as_str());
        assert_eq!(at(350), Some("s3"), "the one taking proposals now, though a later one exists");
        assert_eq!(at(450), Some("s4"), "between sessions: the latest deadline");
        assert_eq!(at(50), Some("s4"));
        assert_eq!(session_for_new_draft(&[], from_millis(350)), None);
    }
}
