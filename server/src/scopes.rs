//! Who may read what. Every change is written to the scopes that may see it, and a user pulls
//! exactly the scopes their roles give them:
//!
//! - `org:{id}`: an organisation's reference data (with its ancestors' records) and its public
//!   proposals (registered and later), for everyone in it;
//! - `staff:{id}`: submitted proposals under review, for its proposal staff and admins;
//! - `unit:{id}`: proposals assigned to a handling unit;
//! - `user:{id}`: a person's own drafts and the proposals they were invited to co-sign, the
//!   chat groups they belong to and their read markers;
//! - `group:{id}`: a chat group's messages, for its members.

use std::collections::BTreeSet;

use lvzhi_core::org::{self, Role};
use lvzhi_core::proposal::{Proposal, ProposalState};
use rusqlite::Connection;

pub fn org_scope(org_id: &str) -> String {
    format!("org:{org_id}")
}

pub fn group_scope(group_id: &str) -> String {
    format!("group:{group_id}")
}

pub fn user_scope(person_id: &str) -> String {
    format!("user:{person_id}")
}

/// The scopes `person_id` may read, reference data first (its records are needed by the rest).
pub fn scopes_for(conn: &Connection, person_id: &str) -> lvzhi_core::Result<Vec<String>> {
    let grants = org::roles_of(conn, person_id)?;
    let mut orgs = Vec::new();
    let mut work = Vec::new();
    for g in &grants {
        orgs.push(org_scope(&g.org_id));
        match g.role {
            Role::Member => {}
            Role::ProposalStaff | Role::OrgAdmin => work.push(format!("staff:{}", g.org_id)),
            Role::UnitUser => work.extend(g.unit_id.as_ref().map(|u| format!("unit:{u}"))),
        }
    }
    let groups = lvzhi_core::chat::repo::groups_of(conn, person_id)?.into_iter().map(|g| group_scope(&g));
    let mut seen = BTreeSet::new();
    Ok(orgs
        .into_iter()
        .chain(work)
        .chain([user_scope(person_id)])
        .chain(groups)
        .filter(|s| seen.insert(s.clone()))
        .collect())
}

/// The scopes a proposal belongs to now (mirrors `Proposal::is_visible_to`).
pub fn proposal_scopes(p: &Proposal) -> BTreeSet<String> {
    let mut scopes = BTreeSet::new();
    scopes.insert(user_scope(&p.first_proposer_id));
    for inv in &p.invitations {
        scopes.insert(user_scope(&inv.person_id));
    }
    if !p.state.is_private() {
        scopes.insert(format!("staff:{}", p.org_id));
    }
    if p.state.is_registered_and_open() || p.state == ProposalState::Closed {
        scopes.insert(org_scope(&p.org_id));
    }
    for a in &p.assignments {
        scopes.insert(format!("unit:{}", a.unit_id));
    }
    scopes
}
