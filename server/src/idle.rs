//! What an idle sync needs, kept in memory: most syncs find every scope at its cursor, and the
//! answer should cost a few map lookups, not SQLite read transactions (whose shared locks on
//! the database file and its WAL index take a global lock inside SQLite, contended by every
//! worker thread; `scripts/bench` idle-sync-rate-wrk).
//!
//! - sessions (access-token hash → session and person, with the token's expiry);
//! - each person's scopes;
//! - each scope's head (the newest change);
//! - each device's owner and last decided mutation.
//!
//! This process's own writes keep it right: the writer raises heads and last-decided ids after
//! each commit (before long-polls are woken) and forgets the scopes of people whose chat groups
//! changed; logins, refreshes and revocations forget sessions. Values read from the database are
//! only inserted where nothing newer is known (heads and mutation ids only grow; a restore
//! replaces the file, and the server starts again). Every entry also expires after
//! [`LIFETIME`], so a write by another process (the `bootstrap` command on a running server's
//! file) shows within that time.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an entry is trusted without this process having seen the write.
pub const LIFETIME: Duration = Duration::from_secs(2);

struct Entry<T> {
    value: T,
    at: Instant,
}

impl<T: Clone> Entry<T> {
    fn fresh(&self) -> Option<T> {
        (self.at.elapsed() < LIFETIME).then(|| self.value.clone())
    }
}

/// A map of entries that expire; each with its own lock, so lookups of different kinds never
/// wait on one another.
struct Expiring<K, T>(Mutex<HashMap<K, Entry<T>>>);

impl<K: std::hash::Hash + Eq, T: Clone> Expiring<K, T> {
    fn new() -> Self {
        Expiring(Mutex::new(HashMap::new()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry<T>>> {
        // A panic while holding this lock leaves plain data behind: go on with it.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get<Q>(&self, key: &Q) -> Option<T>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.lock().get(key).and_then(Entry::fresh)
    }

    fn put(&self, key: K, value: T) {
        self.lock().insert(key, Entry { value, at: Instant::now() });
    }

    fn clear(&self) {
        self.lock().clear();
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedSession {
    pub session_id: String,
    pub person_id: String,
    pub access_expires_at: i64,
}

pub struct IdleCache {
    sessions: Expiring<String, CachedSession>,
    scopes: Expiring<String, std::sync::Arc<Vec<String>>>,
    heads: Expiring<String, u64>,
    /// client id → (owner, last decided mutation id); no owner for a device that never pushed.
    clients: Expiring<String, (Option<String>, u64)>,
}

impl Default for IdleCache {
    fn default() -> Self {
        IdleCache {
            sessions: Expiring::new(),
            scopes: Expiring::new(),
            heads: Expiring::new(),
            clients: Expiring::new(),
        }
    }
}

impl IdleCache {
    pub fn session(&self, access_hash: &str) -> Option<CachedSession> {
        self.sessions.get(access_hash)
    }

    pub fn remember_session(&self, access_hash: String, s: CachedSession) {
        self.sessions.put(access_hash, s);
    }

    /// A session was revoked or its tokens rotated.
    pub fn forget_sessions(&self) {
        self.sessions.clear();
    }

    pub fn scopes(&self, person_id: &str) -> Option<std::sync::Arc<Vec<String>>> {
        self.scopes.get(person_id)
    }

    pub fn remember_scopes(&self, person_id: String, scopes: std::sync::Arc<Vec<String>>) {
        self.scopes.put(person_id, scopes);
    }

    /// Someone's roles or chat groups changed.
    pub fn forget_scopes(&self) {
        self.scopes.clear();
    }

    pub fn head(&self, scope: &str) -> Option<u64> {
        self.heads.get(scope)
    }

    /// A head read from the database: kept unless something newer is known.
    pub fn remember_head(&self, scope: &str, head: u64) {
        let mut map = self.heads.lock();
        let now = Instant::now();
        match map.get_mut(scope) {
            Some(e) if e.value >= head && e.fresh().is_some() => {}
            Some(e) => *e = Entry { value: e.value.max(head), at: now },
            None => {
                map.insert(scope.to_string(), Entry { value: head, at: now });
            }
        }
    }

    /// The writer committed changes up to these heads.
    pub fn raise_heads(&self, heads: &[(String, u64)]) {
        let mut map = self.heads.lock();
        let now = Instant::now();
        for (scope, head) in heads {
            let e = map.entry(scope.clone()).or_insert(Entry { value: 0, at: now });
            *e = Entry { value: e.value.max(*head), at: now };
        }
    }

    pub fn client(&self, client_id: &str) -> Option<(Option<String>, u64)> {
        self.clients.get(client_id)
    }

    /// A device's owner (none: it never pushed) and last decided mutation: kept unless a later
    /// one is known.
    pub fn remember_client(&self, client_id: &str, owner: Option<&str>, last: u64) {
        let mut map = self.clients.lock();
        let now = Instant::now();
        let owner = owner.map(str::to_string);
        match map.get_mut(client_id) {
            Some(e) if e.value.1 >= last && e.value.0.is_some() >= owner.is_some() && e.fresh().is_some() => {}
            Some(e) => *e = Entry { value: (owner.or(e.value.0.take()), e.value.1.max(last)), at: now },
            None => {
                map.insert(client_id.to_string(), Entry { value: (owner, last), at: now });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_read_before_a_commit_never_hides_the_commit() {
        let c = IdleCache::default();
        // The writer commits 7 while a reader still holds an older snapshot (5).
        c.raise_heads(&[("org:yn".into(), 7)]);
        c.remember_head("org:yn", 5);
        assert_eq!(c.head("org:yn"), Some(7));
        c.remember_head("user:a", 3);
        c.raise_heads(&[("user:a".into(), 4)]);
        assert_eq!(c.head("user:a"), Some(4));
        c.remember_client("c1", None, 0);
        c.remember_client("c1", Some("p"), 9);
        c.remember_client("c1", Some("p"), 8);
        assert_eq!(c.client("c1"), Some((Some("p".into()), 9)));
    }
}
