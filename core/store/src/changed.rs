//! What a write changed, as every feature's apply reports it: the entities touched, by kind and
//! id. The server writes each to the scopes that may read it; the phone rebuilds the
//! aggregates they belong to.

use lvzhi_domain::protocol::EntityKind;

/// Entities a write changed, by kind and id.
pub type Entities = Vec<(EntityKind, String)>;
