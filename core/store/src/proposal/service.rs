//! Proposal use cases over the store: load, decide with the pure lifecycle, check what only
//! the database knows (is the invitee a member, does the unit exist), and save — one
//! transaction per action, so a refusal or a crash leaves nothing half done.

use lvzhi_domain::org::Actor;
use lvzhi_domain::proposal::history::{self, HistoryEntry, TamperEvidence};
use lvzhi_domain::proposal::lifecycle;
use lvzhi_domain::proposal::{
    Action, AssignmentPlan, Context, Outcome, Proposal, ProposalContent, ProposalError, ProposalState, Revision,
};
use lvzhi_domain::time::Timestamp;
use lvzhi_domain::visibility;
use lvzhi_sql::{Connection, Transaction};

use super::repo::{self, ProposalSummary};
use crate::error::{Error, Result, StorageError, StorageErrorKind};
use crate::org;
#[cfg(feature = "device")]
use crate::search;
use crate::side::Side;
use crate::store::Store;

/// Starts a draft in `session_id` for `actor`, with id `id` (made on the device).
pub fn create_draft(
    store: &Store,
    actor: &Actor,
    id: &str,
    session_id: &str,
    content: ProposalContent,
    now: Timestamp,
) -> Result<Proposal> {
    store.write(|tx| create_draft_in(tx, actor, id, session_id, content, now, Side::of(store)))
}

/// [`create_draft`] inside the caller's transaction.
pub fn create_draft_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    id: &str,
    session_id: &str,
    content: ProposalContent,
    now: Timestamp,
    side: Side,
) -> Result<Proposal> {
    create_draft_from(tx, actor, id, session_id, content, None, now, side)
}

/// [`create_draft_in`] for a draft made from a contact or a studio message (`source`).
#[allow(clippy::too_many_arguments)]
pub fn create_draft_from(
    tx: &Transaction<'_>,
    actor: &Actor,
    id: &str,
    session_id: &str,
    content: ProposalContent,
    source: Option<lvzhi_domain::liaison::RaisedFrom>,
    now: Timestamp,
    side: Side,
) -> Result<Proposal> {
    if repo::load(tx, id)?.is_some() {
        return Err(Error::Invalid("提案编号已存在".into()));
    }
    let session = org::get_session(tx, session_id)?.ok_or(Error::NotFound { what: "会议" })?;
    let mut outcome = lifecycle::create(id, actor, &session, content, now)?;
    outcome.proposal.source = source;
    repo::save_outcome(tx, &outcome, side)?;
    Ok(outcome.proposal)
}

/// Performs `action` by `actor` on proposal `id` at `now`.
pub fn act(store: &Store, actor: &Actor, id: &str, action: &Action, now: Timestamp) -> Result<Proposal> {
    store.write(|tx| act_in(tx, actor, id, action, now, Side::of(store)))
}

/// [`act`] inside the caller's transaction (the sync engine applies batches this way).
pub fn act_in(
    tx: &Transaction<'_>,
    actor: &Actor,
    id: &str,
    action: &Action,
    now: Timestamp,
    side: Side,
) -> Result<Proposal> {
    let proposal = load_visible(tx, actor, id)?;
    check_references(tx, &proposal, action)?;
    let outcome = decide(tx, &proposal, actor, action, now)?;
    repo::save_outcome(tx, &outcome, side)?;
    // 并案 links both proposals; each keeps its own handling and reply.
    if let Action::Merge { with_id } = action {
        let other = repo::load(tx, with_id)?.ok_or(ProposalError::CannotMergeWith)?;
        let link = Action::LinkMerged { with_id: proposal.id.clone() };
        // The other proposal refusing the link is a refusal of the merge; a failed read is not.
        let linked = match decide(tx, &other, actor, &link, now) {
            Err(e) if e.is_refusal() => return Err(ProposalError::CannotMergeWith.into()),
            other => other?,
        };
        repo::save_outcome(tx, &linked, side)?;
    }
    Ok(outcome.proposal)
}

/// Decides `action` with the pure lifecycle, after loading everything it needs; a failed read
/// is a storage error, never a refusal.
pub fn decide(conn: &Connection, p: &Proposal, actor: &Actor, action: &Action, now: Timestamp) -> Result<Outcome> {
    Facts::load(conn, p)?.decide(conn, p, actor, action, now)
}

/// What the lifecycle needs besides the proposal — its session and its organisation's settings
/// — read once for any number of decisions on one proposal (a screen asks about every command).
pub struct Facts {
    session: lvzhi_domain::org::Session,
    settings: lvzhi_domain::org::OrgSettings,
}

thread_local! {
    static FACTS_LOADED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

impl Facts {
    pub fn load(conn: &Connection, p: &Proposal) -> Result<Facts> {
        FACTS_LOADED.with(|n| n.set(n.get() + 1));
        let session = org::get_session(conn, &p.session_id)?.ok_or(Error::NotFound { what: "会议" })?;
        Ok(Facts { session, settings: org::org_settings(conn, &p.org_id)? })
    }

    /// How many times the facts were read on this thread (counted by tests).
    pub fn loaded_on_this_thread() -> u64 {
        FACTS_LOADED.with(|n| n.get())
    }

    /// The lifecycle's decision on `action` (a revision to restore is read here: only that
    /// action needs it).
    pub fn decide(
        &self,
        conn: &Connection,
        p: &Proposal,
        actor: &Actor,
        action: &Action,
        now: Timestamp,
    ) -> Result<Outcome> {
        let restorable = match action {
            Action::RestoreRevision { revision } => repo::revision(conn, &p.id, *revision)?,
            _ => None,
        };
        let ctx = Context { now, session: &self.session, settings: &self.settings, restorable: restorable.as_ref() };
        Ok(lifecycle::execute(p, actor, action, &ctx)?)
    }
}

/// Facts the pure lifecycle cannot know: people, units and other proposals.
fn check_references(conn: &Connection, p: &Proposal, action: &Action) -> Result<()> {
    let unit_ok =
        |unit_id: &str| -> Result<bool> { Ok(org::get_unit(conn, unit_id)?.is_some_and(|u| u.org_id == p.org_id)) };
    let bad_unit =
        || ProposalError::InvalidAssignment { reason: "承办单位不存在或不属于本组织".to_string() };
    match action {
        Action::Invite { person_id } if !org::is_member(conn, person_id, &p.org_id)? => {
            Err(ProposalError::InviteeNotMember.into())
        }
        Action::Assign { plan } => {
            let ids: Vec<&String> = match plan {
                AssignmentPlan::Sole { unit_id } => vec![unit_id],
                AssignmentPlan::Parallel { unit_ids } => unit_ids.iter().collect(),
                AssignmentPlan::Lead { lead_id, supporting_ids } => {
                    std::iter::once(lead_id).chain(supporting_ids.iter()).collect()
                }
            };
            for id in ids {
                if !unit_ok(id)? {
                    return Err(bad_unit().into());
                }
            }
            Ok(())
        }
        Action::AddUnit { unit_id, .. } if !unit_ok(unit_id)? => Err(bad_unit().into()),
        Action::Merge { with_id } => {
            let other = repo::load(conn, with_id)?;
            let fits = other.is_some_and(|o| {
                o.org_id == p.org_id
                    && matches!(
                        o.state,
                        ProposalState::Submitted
                            | ProposalState::Registered
                            | ProposalState::Handling
                            | ProposalState::Rehandling
                    )
            });
            if fits || with_id == &p.id { Ok(()) } else { Err(ProposalError::CannotMergeWith.into()) }
        }
        _ => Ok(()),
    }
}

/// The proposal, if `actor` may see it; hidden ones look the same as missing ones.
pub fn load_visible(conn: &Connection, actor: &Actor, id: &str) -> Result<Proposal> {
    repo::load(conn, id)?.filter(|p| visibility::can_read_proposal(actor, p)).ok_or(Error::NotFound { what: "提案" })
}

pub fn get(store: &Store, actor: &Actor, id: &str) -> Result<Proposal> {
    store.read(|c| load_visible(c, actor, id))
}

/// Every revision of a draft, oldest first.
pub fn revisions(store: &Store, actor: &Actor, id: &str) -> Result<Vec<Revision>> {
    store.read(|c| {
        load_visible(c, actor, id)?;
        repo::revisions(c, id)
    })
}

/// The history, verified against its hash chain.
pub fn history(store: &Store, actor: &Actor, id: &str) -> Result<Vec<HistoryEntry>> {
    store.read(|c| {
        let p = load_visible(c, actor, id)?;
        let rows = repo::history_rows(c, id)?;
        history::verify(id, &rows, p.history_len, &p.history_head)
            .map_err(|e| Error::Storage(StorageError::new(StorageErrorKind::Corrupt, e.to_string())))
    })
}

/// Checks one proposal's history chain; the evidence says where it breaks.
pub fn verify_history(store: &Store, id: &str) -> Result<std::result::Result<(), TamperEvidence>> {
    store.read(|c| {
        let p = repo::load(c, id)?.ok_or(Error::NotFound { what: "提案" })?;
        let rows = repo::history_rows(c, id)?;
        Ok(history::verify(id, &rows, p.history_len, &p.history_head).map(|_| ()))
    })
}

/// Full-text search over the proposals `actor` may see, best first.
#[cfg(feature = "device")]
pub fn search(store: &Store, actor: &Actor, query: &str, limit: u32) -> Result<Vec<ProposalSummary>> {
    store.read(|c| {
        let mut found = Vec::new();
        let mut offset = 0;
        // On a phone nearly every stored proposal is visible, so one page is the usual case;
        // hidden hits only make us read on.
        loop {
            let rowids = search::search_proposal_rowids(c, query, limit, offset)?;
            let page = rowids.len() as u32;
            found.extend(
                repo::summaries_by_rowid(c, &rowids)?
                    .into_iter()
                    .filter(|(_, p)| visibility::can_read_proposal(actor, p))
                    .map(|(s, _)| s),
            );
            if found.len() >= limit as usize || page < limit {
                found.truncate(limit as usize);
                return Ok(found);
            }
            offset += page;
        }
    })
}

/// Proposals like a draft that `actor` may read, best first, leaving out `exclude` (the draft
/// itself) and drafts not yet filed (a member's own drafts are not what they look for).
#[cfg(feature = "device")]
pub fn similar(
    store: &Store,
    actor: &Actor,
    title: &str,
    text: &str,
    exclude: Option<&str>,
    limit: u32,
) -> Result<Vec<Proposal>> {
    store.read(|c| {
        // A few more than asked: some of the best may be the draft itself or hidden.
        let rowids: Vec<i64> =
            search::similar_proposal_rowids(c, title, text, limit + 8)?.into_iter().map(|(r, _)| r).collect();
        let mut found: Vec<Proposal> = repo::summaries_by_rowid(c, &rowids)?
            .into_iter()
            .map(|(_, p)| p)
            .filter(|p| Some(p.id.as_str()) != exclude && !p.state.is_private())
            .filter(|p| visibility::can_read_proposal(actor, p))
            .collect();
        found.truncate(limit as usize);
        Ok(found)
    })
}

/// The proposals `actor` is party to (as proposer, invitee or unit).
pub fn list_mine(store: &Store, actor: &Actor, limit: u32) -> Result<Vec<ProposalSummary>> {
    let party = actor.unit_id.as_deref().unwrap_or(&actor.person_id);
    store.read(|c| repo::list_by_party(c, party, limit))
}
