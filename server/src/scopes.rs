//! Which scopes a person pulls. The rule of who may read what is written once, in
//! `lvzhi_domain::visibility` (scope names, a proposal's scopes, a role's scopes); this adds
//! what only the server's database knows: the person's grants and chat groups.

use std::collections::BTreeSet;

use lvzhi_domain::visibility::grant_scopes;
pub use lvzhi_domain::visibility::{group_scope, org_scope, proposal_scopes, user_scope};
use lvzhi_sql::Connection;
use lvzhi_store::{chat, org};

/// The scopes `person_id` may read, reference data first (its records are needed by the rest).
pub fn scopes_for(conn: &Connection, person_id: &str) -> lvzhi_store::Result<Vec<String>> {
    let grants = org::roles_of(conn, person_id)?;
    let (orgs, work): (Vec<String>, Vec<String>) =
        grants.iter().flat_map(grant_scopes).partition(|s| s.starts_with("org:"));
    let groups = chat::repo::groups_of(conn, person_id)?.into_iter().map(|g| group_scope(&g));
    let mut seen = BTreeSet::new();
    Ok(orgs
        .into_iter()
        .chain(work)
        .chain([user_scope(person_id)])
        .chain(groups)
        .filter(|s| seen.insert(s.clone()))
        .collect())
}
