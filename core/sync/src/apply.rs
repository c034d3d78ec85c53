//! Taking a server response into the device's store, in one transaction:
//!
//! 1. results: acknowledged mutations leave the outbox, refused ones stay with their reason;
//! 2. pages: each entity's server version is kept (`server_entities`) with the scopes that hold
//!    it, and each page's cursor is stored with it;
//! 3. every proposal touched is rebuilt: the server's version, then the pending mutations
//!    replayed on top, so what the member sees never jumps back to an older state.
//!
//! Scopes the user may no longer read are dropped, and what only they held leaves the phone.

use std::collections::{BTreeSet, HashMap, HashSet};

use lvzhi_sql::Transaction;
use serde::Deserialize;

use lvzhi_domain::aggregate::Aggregate;
use lvzhi_domain::chat::{ChatGroup, ChatMessage};
use lvzhi_domain::org::{HandlingUnit, MemberGroup, Organisation, RoleGrant, Session, Term};
use lvzhi_domain::protocol::{
    Change, EntityKind, MembershipData, MutationKind, MutationOutcome, ProposalBundle, ReadMarkerData, SyncResponse,
};
use lvzhi_domain::{files, visibility};
use lvzhi_store::device::mirror;
use lvzhi_store::mutation::{self, Side, actor_from_grants};
use lvzhi_store::proposal::repo;
use lvzhi_store::{aggregate, chat, org};

use crate::error::Result;
use crate::outbox;

/// What a response changed, for the caller's report and listeners.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    pub acknowledged: Vec<u64>,
    pub rejected: Vec<(u64, String)>,
    pub changed_proposals: BTreeSet<String>,
    /// Chat groups whose timeline or list entry changed.
    pub changed_groups: BTreeSet<String>,
    /// Aggregates that changed (notices, meetings, record entries, rules, feedback, reports,
    /// topics, posts, materials, news…).
    pub changed_aggregates: BTreeSet<Aggregate>,
    /// Some scope has more changes waiting.
    pub more: bool,
}

impl Applied {
    /// Adds a later response's effects (its `more` replaces this one's).
    pub fn merge(&mut self, later: Applied) {
        self.acknowledged.extend(later.acknowledged);
        self.rejected.extend(later.rejected);
        self.changed_proposals.extend(later.changed_proposals);
        self.changed_groups.extend(later.changed_groups);
        self.changed_aggregates.extend(later.changed_aggregates);
        self.more = later.more;
    }
}

/// What applying a response has touched so far, and the proposals' server versions already
/// parsed (so that rebuilding them does not read and parse them again).
#[derive(Default)]
struct Touched {
    proposals: BTreeSet<String>,
    groups: BTreeSet<String>,
    aggregates: BTreeSet<Aggregate>,
    /// The server's version of a proposal in `proposals`, as stored in `server_entities` by this
    /// response; an entry leaves with the stored row.
    bundles: HashMap<String, ProposalBundle>,
}

pub fn apply_response(
    tx: &Transaction<'_>,
    resp: &SyncResponse,
    person_id: &str,
    grants: &[RoleGrant],
) -> Result<Applied> {
    // Parents may arrive in a later page of the same response.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    let mut applied = Applied::default();
    let mut touched = Touched::default();

    for result in &resp.results {
        if let Some(entry) = outbox::get(tx, result.id)? {
            touched.proposals.extend(entry.mutation.kind.touches());
            // A refused change of an aggregate is taken back by installing the server's version again.
            touched.aggregates.extend(entry.mutation.kind.aggregate(&entry.mutation.acting_as.org_id));
            match &result.outcome {
                MutationOutcome::Applied => {
                    outbox::remove(tx, result.id)?;
                    applied.acknowledged.push(result.id);
                }
                MutationOutcome::Rejected { reason } => {
                    outbox::reject(tx, result.id, reason)?;
                    applied.rejected.push((result.id, reason.clone()));
                    undo_chat(tx, &entry.mutation.kind, &mut touched.groups)?;
                }
            }
        }
    }
    // Anything at or below last_applied was decided, even if its result was lost on the way.
    outbox::remove_decided(tx, resp.last_applied)?;
    outbox::meta_set(tx, "last_applied", &resp.last_applied)?;

    for page in &resp.pages {
        if page.reset {
            drop_scope(tx, &page.scope, &mut touched)?;
        }
        let mut changes: Vec<&Change> = page.changes.iter().collect();
        changes.sort_by_key(|c| c.seq);
        for change in changes {
            apply_change(tx, &page.scope, change, &mut touched)?;
        }
        mirror::set_cursor(tx, &page.scope, page.cursor)?;
        applied.more |= page.more;
    }

    // Scopes the user lost (the server lists the scopes only when they changed).
    if let Some(scopes) = &resp.scopes {
        // Every scope that delivered anything has a cursor (written with its page), so the
        // cursors list what the phone holds, without walking every entity's scope.
        let held: Vec<String> = mirror::cursors(tx)?.into_iter().map(|(scope, _)| scope).collect();
        let allowed: HashSet<&str> = scopes.iter().map(String::as_str).collect();
        for scope in held.iter().filter(|s| !allowed.contains(s.as_str())) {
            drop_scope(tx, scope, &mut touched)?;
        }
    }

    rebuild_with(tx, &touched.proposals, touched.bundles, person_id, grants)?;
    rebuild_aggregates(tx, &touched.aggregates, person_id, grants)?;
    applied.changed_proposals = touched.proposals;
    applied.changed_groups = touched.groups;
    applied.changed_aggregates = touched.aggregates;
    tx.execute_batch("PRAGMA defer_foreign_keys = OFF")?;
    Ok(applied)
}

fn apply_change(tx: &Transaction<'_>, scope: &str, change: &Change, touched: &mut Touched) -> Result<()> {
    let kind = change.entity.as_str();
    match &change.data {
        Some(data) => {
            mirror::hold(tx, scope, kind, &change.id)?;
            match change.entity {
                EntityKind::Proposal => {
                    let json = data.to_string();
                    let known = mirror::server_entity(tx, kind, &change.id)?;
                    // The same version again (a proposal seen through two scopes, or a page sent
                    // twice): the local state is already built from it.
                    if known.as_deref() != Some(json.as_str()) {
                        mirror::put_server_entity(tx, kind, &change.id, &json)?;
                        touched.proposals.insert(change.id.clone());
                        touched.bundles.insert(change.id.clone(), ProposalBundle::deserialize(data)?);
                    }
                }
                EntityKind::Group => {
                    // Kept as the server sent it, to undo a refused change of the group.
                    mirror::put_server_entity(tx, kind, &change.id, &data.to_string())?;
                    let group = ChatGroup::deserialize(data)?;
                    chat::repo::save_group(tx, &group)?;
                    touched.groups.insert(group.id);
                }
                EntityKind::Message => {
                    let message = ChatMessage::deserialize(data)?;
                    chat::repo::upsert_message(tx, &message, chat::repo::Indexing::Searchable)?;
                    touched.groups.insert(message.group_id);
                }
                EntityKind::ReadMarker => {
                    let marker = ReadMarkerData::deserialize(data)?;
                    chat::repo::merge_read_marker(tx, &marker.group_id, &marker.person_id, marker.seq)?;
                    touched.groups.insert(marker.group_id);
                }
                kind => match kind.aggregate(&change.id) {
                    Some(root) => {
                        if !take_version(tx, kind, &change.id, data)? {
                            return Ok(());
                        }
                        // Kept as the server sent it; the local rows are this plus pending work.
                        mirror::put_server_entity(tx, kind.as_str(), &change.id, &data.to_string())?;
                        touched.aggregates.insert(root);
                    }
                    None => upsert_reference(tx, kind, data)?,
                },
            }
        }
        None => {
            mirror::release(tx, scope, kind, &change.id)?;
            forget_if_orphan(tx, change.entity, &change.id, touched)?;
        }
    }
    Ok(())
}

/// Whether `data` replaces the server's version this phone holds of an item that may be
/// withdrawn or hidden (`visibility::redacted_json`). A phone reading the item through two scopes
/// (staff of the publishing organisation, a hidden post's author) receives its whole and its
/// redacted form of the same version: the whole stays. Files that the new version no longer
/// carries leave the cache (a withdrawn item's files are gone from members' phones).
fn take_version(tx: &Transaction<'_>, kind: EntityKind, id: &str, data: &serde_json::Value) -> Result<bool> {
    if !visibility::REDACTABLE.contains(&kind) {
        return Ok(true);
    }
    let Some(stored) = mirror::server_entity(tx, kind.as_str(), id)? else { return Ok(true) };
    let stored: serde_json::Value = serde_json::from_str(&stored)?;
    if visibility::redacted_json(kind, &stored).as_ref() == Some(data) {
        return Ok(false);
    }
    let kept: BTreeSet<String> = files::attachments_in(data).into_iter().map(|a| a.hash).collect();
    for a in files::attachments_in(&stored).into_iter().filter(|a| !kept.contains(&a.hash)) {
        crate::file_cache::forget_downloaded(tx, &a.hash)?;
    }
    Ok(true)
}

/// Local state of each changed aggregate = the server's versions of its parts + the
/// pending mutations on it replayed (as for proposals).
pub fn rebuild_aggregates(
    tx: &Transaction<'_>,
    roots: &BTreeSet<Aggregate>,
    person_id: &str,
    grants: &[RoleGrant],
) -> Result<()> {
    if roots.is_empty() {
        return Ok(());
    }
    for root in roots {
        aggregate::purge(tx, root)?;
        let (id, parts) = aggregate::parts(root);
        for (kind, per_person) in parts {
            let rows: Vec<String> = if per_person {
                mirror::server_entity_parts(tx, kind.as_str(), id)?
            } else {
                mirror::server_entity(tx, kind.as_str(), id)?.into_iter().collect()
            };
            for json in rows {
                aggregate::install(tx, kind, &json)?;
            }
        }
    }
    let pending = outbox::replayable(tx)?;
    for entry in &pending {
        let m = &entry.mutation;
        if !m.kind.aggregate(&m.acting_as.org_id).is_some_and(|r| roots.contains(&r)) {
            continue;
        }
        // A consented conversion is replayed with its proposal (which makes the report again).
        if matches!(m.kind, MutationKind::ProposalAction { .. }) {
            continue;
        }
        let Ok(actor) = actor_from_grants(person_id, grants, &m.acting_as) else { continue };
        // A replay the device now refuses stays pending: the server decides.
        let _ = mutation::in_savepoint(tx, || mutation::apply(tx, &actor, &m.kind, Side::Device, entry.created_at));
    }
    Ok(())
}

/// Reference data (the committee tree, sessions, people) is never edited on phones: the
/// server's version is simply written.
fn upsert_reference(tx: &Transaction<'_>, kind: EntityKind, data: &serde_json::Value) -> Result<()> {
    match kind {
        EntityKind::Organisation => {
            let settings = data.get("settings").filter(|s| !s.is_null()).map(|s| s.to_string());
            org::mirror_organisation(tx, &Organisation::deserialize(data)?, settings.as_deref())?;
        }
        EntityKind::Term => org::mirror_term(tx, &Term::deserialize(data)?)?,
        EntityKind::Session => org::mirror_session(tx, &Session::deserialize(data)?)?,
        EntityKind::Unit => org::mirror_unit(tx, &HandlingUnit::deserialize(data)?)?,
        EntityKind::MemberGroup => org::mirror_member_group(tx, &MemberGroup::deserialize(data)?)?,
        EntityKind::Membership => {
            let m = MembershipData::deserialize(data)?;
            org::mirror_membership(tx, &m.person, &m.org_id, &m.grants, &m.groups)?;
        }
        // The phone's own change still in the outbox is newer than the server's copy.
        EntityKind::NotificationSettings
            if !lvzhi_store::device::outbox::has_pending(tx, "set_notification_settings")? =>
        {
            lvzhi_store::push::install(tx, data)?
        }
        EntityKind::DirectoryEntry => lvzhi_store::member_file::install_directory_entry(tx, data)?,
        EntityKind::ContactFacts => lvzhi_store::liaison::repo::install_contact_facts(tx, data)?,
        // Not reference data: handled by the caller.
        _ => {}
    }
    Ok(())
}

/// After a tombstone or a lost scope: an entity no scope holds any more leaves the phone.
fn forget_if_orphan(tx: &Transaction<'_>, kind: EntityKind, id: &str, touched: &mut Touched) -> Result<()> {
    if mirror::is_held(tx, kind.as_str(), id)? {
        return Ok(());
    }
    match kind {
        EntityKind::Proposal => {
            mirror::delete_server_entity(tx, kind.as_str(), id)?;
            touched.bundles.remove(id);
            touched.proposals.insert(id.to_string());
        }
        // Leaving a group takes its messages off the phone.
        EntityKind::Group => {
            mirror::delete_server_entity(tx, kind.as_str(), id)?;
            chat::repo::forget_group(tx, id)?;
            touched.groups.insert(id.to_string());
        }
        EntityKind::Message => {
            if let Some(m) = chat::repo::message(tx, id)? {
                chat::repo::forget_message(tx, id)?;
                touched.groups.insert(m.group_id);
            }
        }
        EntityKind::ReadMarker => {}
        EntityKind::NotificationSettings => lvzhi_store::push::remove(tx, id)?,
        EntityKind::DirectoryEntry => {
            tx.execute("DELETE FROM directory_entries WHERE person_id = ?1", [id])?;
        }
        EntityKind::ContactFacts => {
            tx.execute("DELETE FROM contact_facts WHERE person_id = ?1", [id])?;
        }
        EntityKind::Membership => {
            if let Some((person, org)) = id.split_once('@') {
                org::forget_membership(tx, person, org)?;
            }
        }
        kind => {
            if let Some(root) = kind.aggregate(id) {
                mirror::delete_server_entity(tx, kind.as_str(), id)?;
                touched.aggregates.insert(root);
            }
            // The committee tree, sessions and units are referenced by proposals kept on the
            // phone; they stay.
        }
    }
    Ok(())
}

/// A chat change the server refused is taken back on the phone (a refused message stays,
/// marked 发送失败, for the member to retry or discard).
fn undo_chat(tx: &Transaction<'_>, kind: &MutationKind, groups: &mut BTreeSet<String>) -> Result<()> {
    match kind {
        MutationKind::RecallMessage { message_id } | MutationKind::DeleteMessage { message_id } => {
            chat::service::undo_local_removal(tx, message_id)?;
            if let Some(m) = chat::repo::message(tx, message_id)? {
                groups.insert(m.group_id);
            }
        }
        MutationKind::CreateGroup { group_id, .. }
        | MutationKind::SetGroupMembers { group_id, .. }
        | MutationKind::LeaveGroup { group_id } => {
            match mirror::server_entity(tx, EntityKind::Group.as_str(), group_id)? {
                Some(json) => chat::repo::save_group(tx, &serde_json::from_str(&json)?)?,
                None => chat::repo::forget_group(tx, group_id)?,
            }
            groups.insert(group_id.clone());
        }
        MutationKind::SendMessage { message } => {
            groups.insert(message.group_id.clone());
        }
        _ => {}
    }
    Ok(())
}

fn drop_scope(tx: &Transaction<'_>, scope: &str, touched: &mut Touched) -> Result<()> {
    for (entity, id) in mirror::forget_scope(tx, scope)? {
        if let Some(kind) = EntityKind::parse(&entity) {
            forget_if_orphan(tx, kind, &id, touched)?;
        }
    }
    Ok(())
}

/// Local state of each dirty proposal = the server's version + pending mutations replayed.
pub fn rebuild(tx: &Transaction<'_>, dirty: &BTreeSet<String>, person_id: &str, grants: &[RoleGrant]) -> Result<()> {
    rebuild_with(tx, dirty, HashMap::new(), person_id, grants)
}

/// [`rebuild`], with the server versions of some proposals already parsed.
fn rebuild_with(
    tx: &Transaction<'_>,
    dirty: &BTreeSet<String>,
    mut parsed: HashMap<String, ProposalBundle>,
    person_id: &str,
    grants: &[RoleGrant],
) -> Result<()> {
    if dirty.is_empty() {
        return Ok(());
    }
    let pending = outbox::replayable(tx)?;
    // A pending merge touches two proposals: rebuild both or neither.
    let mut ids = dirty.clone();
    for entry in &pending {
        let touches = entry.mutation.kind.touches();
        if touches.iter().any(|t| ids.contains(t)) {
            ids.extend(touches);
        }
    }
    for id in &ids {
        repo::purge(tx, id)?;
        let base = match parsed.remove(id) {
            Some(bundle) => Some(bundle),
            None => mirror::server_entity(tx, EntityKind::Proposal.as_str(), id)?
                .map(|json| serde_json::from_str::<ProposalBundle>(&json))
                .transpose()?,
        };
        if let Some(bundle) = base {
            repo::install_bundle(tx, &bundle)?;
        }
    }
    for entry in pending.iter().filter(|e| e.mutation.kind.touches().iter().any(|t| ids.contains(t))) {
        let Ok(actor) = actor_from_grants(person_id, grants, &entry.mutation.acting_as) else {
            continue;
        };
        // A replay the device now refuses stays pending: the server decides.
        let _ = mutation::in_savepoint(tx, || {
            mutation::apply(tx, &actor, &entry.mutation.kind, Side::Device, entry.created_at)
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lvzhi_domain::org::{Actor, Role};
    use lvzhi_domain::proposal::lifecycle;
    use lvzhi_domain::protocol::{HistoryRow, PROTOCOL_VERSION, ScopePage};
    use lvzhi_store::sample::{self, SmallTree};
    use lvzhi_store::{DbKind, Store};

    fn phone() -> (tempfile::TempDir, Store, SmallTree) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("phone.db"), DbKind::Device).unwrap();
        let tree = store.write(|tx| sample::seed_small(tx, sample::fixed_now())).unwrap();
        (dir, store, tree)
    }

    /// A drafted proposal as the server sends it.
    fn bundle(tree: &SmallTree, id: &str) -> serde_json::Value {
        let me = Actor {
            person_id: tree.members[0].clone(),
            role: Role::Member,
            org_id: tree.county.clone(),
            unit_id: None,
        };
        let session = lvzhi_domain::org::Session {
            id: tree.session.clone(),
            term_id: tree.term.clone(),
            org_id: tree.county.clone(),
            number: 3,
            proposals_open_at: sample::fixed_now() - chrono::Duration::days(30),
            proposals_deadline: sample::fixed_now() + chrono::Duration::days(30),
            accepts_interim: false,
        };
        let created =
            lifecycle::create(id, &me, &session, sample::proposal_content(1, "宾川县"), sample::fixed_now()).unwrap();
        let e = created.entry.as_ref().unwrap();
        serde_json::to_value(ProposalBundle {
            proposal: created.proposal.clone(),
            history: vec![HistoryRow {
                seq: e.entry.seq,
                entry: e.canonical.clone(),
                prev_hash: e.entry.prev_hash.clone(),
                hash: e.hash.clone(),
            }],
            revisions: created.revisions.clone(),
        })
        .unwrap()
    }

    fn response(pages: Vec<ScopePage>, scopes: Option<Vec<String>>) -> SyncResponse {
        SyncResponse { protocol: PROTOCOL_VERSION, results: vec![], last_applied: 0, scopes, pages }
    }

    fn change(seq: u64, id: &str, data: Option<serde_json::Value>) -> Change {
        Change { seq, entity: EntityKind::Proposal, id: id.into(), data }
    }

    fn page(scope: &str, changes: Vec<Change>) -> ScopePage {
        let cursor = changes.iter().map(|c| c.seq).max().unwrap_or(0);
        ScopePage { scope: scope.into(), changes, cursor, reset: false, more: false }
    }

    fn on_phone(store: &Store, id: &str) -> bool {
        store.read(|c| Ok::<_, crate::Error>(repo::load(c, id)?.is_some())).unwrap()
    }

    #[test]
    fn a_proposal_delivered_then_withdrawn_in_one_page_is_not_installed() {
        let (_dir, store, tree) = phone();
        let scope = format!("user:{}", tree.members[0]);
        let resp = response(
            vec![page(
                &scope,
                vec![change(1, "p-binchuan-1", Some(bundle(&tree, "p-binchuan-1"))), change(2, "p-binchuan-1", None)],
            )],
            None,
        );
        let applied = store.write(|tx| apply_response(tx, &resp, &tree.members[0], &[])).unwrap();
        assert!(applied.changed_proposals.contains("p-binchuan-1"));
        assert!(!on_phone(&store, "p-binchuan-1"));
    }

    #[test]
    fn a_proposal_of_a_scope_the_same_response_takes_away_is_not_installed() {
        let (_dir, store, tree) = phone();
        let scope = format!("org:{}:proposals", tree.county);
        let resp = response(
            vec![page(&scope, vec![change(1, "p-binchuan-2", Some(bundle(&tree, "p-binchuan-2")))])],
            Some(vec![format!("user:{}", tree.members[0])]),
        );
        store.write(|tx| apply_response(tx, &resp, &tree.members[0], &[])).unwrap();
        assert!(!on_phone(&store, "p-binchuan-2"));
    }

    #[test]
    fn a_delivered_proposal_is_installed_from_the_parsed_version() {
        let (_dir, store, tree) = phone();
        let scope = format!("user:{}", tree.members[0]);
        let resp =
            response(vec![page(&scope, vec![change(1, "p-binchuan-3", Some(bundle(&tree, "p-binchuan-3")))])], None);
        store.write(|tx| apply_response(tx, &resp, &tree.members[0], &[])).unwrap();
        assert!(on_phone(&store, "p-binchuan-3"));
        // The same version again changes nothing; rebuilding from the stored version gives the same.
        let again = store.write(|tx| apply_response(tx, &resp, &tree.members[0], &[])).unwrap();
        assert!(again.changed_proposals.is_empty());
        let dirty = BTreeSet::from(["p-binchuan-3".to_string()]);
        store.write(|tx| rebuild(tx, &dirty, &tree.members[0], &[])).unwrap();
        assert!(on_phone(&store, "p-binchuan-3"));
    }
}
