//! The append-only history of a proposal, hash-chained with SHA-256.
//!
//! Each entry records who did what, in which role, when and why; its hash covers its canonical
//! JSON, which includes the previous entry's hash. The proposal itself keeps the chain's head,
//! so a device can check that no entry was rewritten, removed or inserted, and later compare
//! its head with the server's.

use serde::{Deserialize, Serialize};

use super::model::ProposalState;
use crate::ids::sha256_hex;
use crate::org::Role;
use crate::time::Timestamp;

/// One recorded transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub proposal_id: String,
    /// 1, 2, 3... without gaps.
    pub seq: u32,
    /// The action's code, e.g. `submit` (see `Action::code`).
    pub action: String,
    pub from_state: Option<ProposalState>,
    pub to_state: ProposalState,
    pub actor_id: String,
    pub role: Role,
    pub at: Timestamp,
    pub reason: Option<String>,
    /// The action's arguments as given.
    pub detail: serde_json::Value,
    pub prev_hash: String,
}

/// An entry with its hash, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainedEntry {
    pub entry: HistoryEntry,
    /// The exact bytes the hash covers.
    pub canonical: String,
    pub hash: String,
}

impl ChainedEntry {
    pub fn new(entry: HistoryEntry) -> ChainedEntry {
        // serde_json writes struct fields in declaration order and object keys sorted, so the
        // same entry always gives the same bytes.
        let canonical = serde_json::to_string(&entry).expect("history entries always serialise");
        let hash = sha256_hex(canonical.as_bytes());
        ChainedEntry { entry, canonical, hash }
    }
}

/// The `prev_hash` of a proposal's first entry: binds the chain to the proposal's id.
pub fn genesis_hash(proposal_id: &str) -> String {
    sha256_hex(format!("lvzhi-proposal:{proposal_id}").as_bytes())
}

/// Where a history fails verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("history of proposal {proposal_id} fails at entry {seq}: {problem}")]
pub struct TamperEvidence {
    pub proposal_id: String,
    pub seq: u32,
    pub problem: String,
}

/// A stored row, before it is trusted.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub seq: u32,
    pub canonical: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Checks a whole stored history (in `seq` order) against the head the proposal records.
pub fn verify(
    proposal_id: &str,
    rows: &[StoredEntry],
    head_len: u32,
    head_hash: &str,
) -> Result<Vec<HistoryEntry>, TamperEvidence> {
    let fail = |seq: u32, problem: &str| TamperEvidence {
        proposal_id: proposal_id.to_string(),
        seq,
        problem: problem.to_string(),
    };
    let mut prev = genesis_hash(proposal_id);
    let mut entries = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let expected_seq = i as u32 + 1;
        if row.seq != expected_seq {
            return Err(fail(expected_seq, "entry missing or out of order"));
        }
        if sha256_hex(row.canonical.as_bytes()) != row.hash {
            return Err(fail(row.seq, "content does not match its hash"));
        }
        let entry: HistoryEntry =
            serde_json::from_str(&row.canonical).map_err(|_| fail(row.seq, "content is not a history entry"))?;
        if entry.seq != row.seq || entry.proposal_id != proposal_id {
            return Err(fail(row.seq, "entry belongs elsewhere"));
        }
        if entry.prev_hash != prev || row.prev_hash != prev {
            return Err(fail(row.seq, "link to the previous entry is broken"));
        }
        prev = row.hash.clone();
        entries.push(entry);
    }
    if rows.len() as u32 != head_len || prev != head_hash {
        return Err(fail(rows.len() as u32 + 1, "history was cut short or extended"));
    }
    Ok(entries)
}

impl HistoryEntry {
    /// What happened, as a person reads it in the history: 起草提案, 立案, 交办…
    pub fn label(&self) -> String {
        match self.action.as_str() {
            "create" => "起草提案".into(),
            _ => serde_json::from_value::<crate::proposal::Action>(self.detail.clone())
                .map(|a| a.label().to_string())
                .unwrap_or(self.action.clone()),
        }
    }
}
