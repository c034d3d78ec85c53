//! What the screens show: the logged-in person, one proposal with everything on it and the
//! commands this user may take, the people to pick from. Plain data, built from the store.

use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::{InvitationStatus, ProposalContent, ProposalFlag, ProposalState};

use crate::commands::CommandKind;

/// Who is logged in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Me {
    pub person_id: String,
    pub name: String,
    pub roles: Vec<MyRole>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MyRole {
    pub role: Role,
    pub role_label: String,
    pub org_id: String,
    pub org_name: String,
    pub unit_id: Option<String>,
}

/// One proposal as its screen shows it, with exactly the actions this user may take.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProposalDetail {
    pub id: String,
    pub content: ProposalContent,
    pub state: ProposalState,
    pub state_label: String,
    pub revision: u32,
    pub first_proposer_id: String,
    pub first_proposer_name: String,
    pub co_proposers: Vec<CoProposer>,
    pub staff_note: Option<String>,
    pub history: Vec<HistoryLine>,
    pub commands: Vec<CommandKind>,
    pub flags: Vec<ProposalFlag>,
    pub updated_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoProposer {
    pub person_id: String,
    pub name: String,
    pub status: InvitationStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryLine {
    pub seq: u32,
    pub action: String,
    pub label: String,
    pub actor_name: String,
    pub role_label: String,
    pub at_ms: i64,
    pub reason: Option<String>,
}

/// Someone in the user's organisation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub org_id: String,
}
