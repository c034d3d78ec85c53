//! The per-scope change log: every change of every entity, in each scope that may see it, with
//! a server sequence number that is the phones' cursor. Deletions and lost access are
//! tombstones. Compaction drops changes superseded before the horizon; a cursor older than that
//! gets a reset of its scope.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use lvzhi_domain::chat::ChatMessage;
use lvzhi_domain::consult::topic::Post;
use lvzhi_domain::duty::notice::Notice;
use lvzhi_domain::news::News;
use lvzhi_domain::org::OrgSettings;
use lvzhi_domain::protocol::{Change, EntityKind, MembershipData, ReadMarkerData, ScopePage};
use lvzhi_domain::study::material::Material;
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};
use lvzhi_store::proposal::repo;
use lvzhi_store::{chat, org};

use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::visibility;

use crate::scopes::{group_scope, org_scope, proposal_scopes, user_scope};

pub fn emit(
    tx: &Transaction<'_>,
    scope: &str,
    kind: EntityKind,
    id: &str,
    data: Option<&str>,
    now: Timestamp,
) -> lvzhi_store::Result<()> {
    tx.prepare_cached("INSERT INTO change_log (scope, entity, entity_id, data, at) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![scope, kind.as_str(), id, data, to_millis(now)])?;
    // The scope's head moves with it, here on SQLite (server migration 0005: a trigger made
    // every change cost a statement journal); PostgreSQL's trigger moves it there.
    if tx.dialect() == lvzhi_sql::Dialect::Sqlite {
        let seq = tx.last_insert_rowid()?;
        tx.prepare_cached(
            "INSERT INTO scope_heads (scope, seq) VALUES (?1, ?2) ON CONFLICT (scope) DO UPDATE SET seq = excluded.seq",
        )?
        .execute(params![scope, seq])?;
    }
    Ok(())
}

/// The redacted form of a withdrawn or hidden item, and the scopes that keep its whole
/// (`visibility::whole_copy_scopes`); every other scope of the item receives `data`.
struct Redacted {
    data: String,
    whole: BTreeSet<String>,
}

impl Redacted {
    /// `Some` when `item` has a redacted form now.
    fn of<T: serde::Serialize>(
        item: &T,
        redact: impl Fn(&T) -> Option<T>,
        whole: BTreeSet<String>,
    ) -> lvzhi_store::Result<Option<Redacted>> {
        let data = redact(item).map(|r| serde_json::to_string(&r)).transpose()?;
        Ok(data.map(|data| Redacted { data, whole }))
    }
}

/// Writes an entity's new state to every scope in `scopes` (the redacted form where it has
/// one, outside the scopes that keep the whole), and tombstones to the scopes that held it
/// before but may no longer.
fn emit_to_scopes(
    tx: &Transaction<'_>,
    kind: EntityKind,
    id: &str,
    data: &str,
    scopes: &BTreeSet<String>,
    redacted: Option<&Redacted>,
    now: Timestamp,
) -> lvzhi_store::Result<()> {
    let old_scopes: BTreeSet<String> = {
        let mut stmt = tx.prepare_cached("SELECT scope FROM entity_scopes WHERE entity = ?1 AND entity_id = ?2")?;
        stmt.query_map(params![kind.as_str(), id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?
    };
    // The scopes that keep the whole of a redacted item hold it even when they are not among
    // its audience's (a hidden post's author).
    let mut all = scopes.clone();
    all.extend(redacted.iter().flat_map(|r| r.whole.iter().cloned()));
    for scope in &all {
        let cut = redacted.filter(|r| !r.whole.contains(scope));
        if cut.is_some() {
            // Earlier changes of the item still hold its whole text: a phone syncing this scope
            // from the start must find only the redacted form.
            tx.prepare_cached("DELETE FROM change_log WHERE scope = ?1 AND entity = ?2 AND entity_id = ?3")?
                .execute(params![scope, kind.as_str(), id])?;
        }
        emit(tx, scope, kind, id, Some(cut.map_or(data, |r| r.data.as_str())), now)?;
        tx.prepare_cached(
            "INSERT INTO entity_scopes (entity, entity_id, scope, redacted) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (entity, entity_id, scope) DO UPDATE SET redacted = excluded.redacted
             WHERE entity_scopes.redacted <> excluded.redacted",
        )?
        .execute(params![kind.as_str(), id, scope, i64::from(cut.is_some())])?;
    }
    for scope in old_scopes.difference(&all) {
        emit(tx, scope, kind, id, None, now)?;
        tx.prepare_cached("DELETE FROM entity_scopes WHERE entity = ?1 AND entity_id = ?2 AND scope = ?3")?
            .execute(params![kind.as_str(), id, scope])?;
    }
    Ok(())
}

/// A proposal's new state, to every scope that may see it.
pub fn emit_proposal(tx: &Transaction<'_>, id: &str, now: Timestamp) -> lvzhi_store::Result<()> {
    let Some(bundle) = repo::read_bundle(tx, id)? else {
        return Ok(());
    };
    let data = serde_json::to_string(&bundle)?;
    emit_to_scopes(tx, EntityKind::Proposal, id, &data, &proposal_scopes(&bundle.proposal), None, now)
}

/// A duty entity's new state (a notice, receipt, audience list, meeting, attendance, record
/// entry, rule table or feedback), to every scope that may see it.
pub fn emit_entity(tx: &Transaction<'_>, kind: EntityKind, id: &str, now: Timestamp) -> lvzhi_store::Result<()> {
    use lvzhi_store::consult::repo as consult;
    use lvzhi_store::duty::{audience, repo as duty};
    use lvzhi_store::liaison::repo as liaison;
    use lvzhi_store::member_file as files;
    use lvzhi_store::study::repo as study;
    let personal = |person: &str, org: &str| visibility::personal_scopes(person, org);
    let whole = |org: &str| visibility::whole_copy_scopes(org, None);
    // A withdrawn notice, material or news item, or a hidden post, goes redacted to the scopes
    // that do not keep its whole.
    let mut redacted = None;
    let (data, scopes) = match kind {
        EntityKind::Notice => {
            let Some(n) = duty::notice(tx, id)? else { return Ok(()) };
            let scopes = visibility::notice_scopes(&n, &audience::targets(tx, &n)?, &audience::people(tx, &n)?);
            redacted = Redacted::of(&n, Notice::redacted, whole(&n.org_id))?;
            (serde_json::to_string(&n)?, scopes)
        }
        EntityKind::NoticeAudience => {
            let Some(a) = duty::audience(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&a)?, visibility::notice_audience_scopes(&a.org_id))
        }
        EntityKind::NoticeReceipt => {
            let Some((notice_id, person)) = id.split_once('@') else { return Ok(()) };
            let (Some(r), Some(n)) = (duty::receipt(tx, notice_id, person)?, duty::notice(tx, notice_id)?) else {
                return Ok(());
            };
            (serde_json::to_string(&r)?, personal(person, &n.org_id))
        }
        EntityKind::Meeting => {
            let Some(m) = duty::meeting(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&m)?, visibility::meeting_scopes(&m))
        }
        EntityKind::Attendance => {
            let Some((meeting_id, person)) = id.split_once('@') else { return Ok(()) };
            let (Some(a), Some(m)) = (duty::attendance(tx, meeting_id, person)?, duty::meeting(tx, meeting_id)?) else {
                return Ok(());
            };
            (serde_json::to_string(&a)?, personal(person, &m.org_id))
        }
        EntityKind::DutyEntry => {
            let Some(e) = duty::entry(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&e)?, personal(&e.person_id, &e.org_id))
        }
        EntityKind::DutyRules => {
            let r = duty::rules(tx, id)?;
            (serde_json::to_string(&r)?, visibility::rules_scopes(id))
        }
        EntityKind::Feedback => {
            let Some(f) = duty::feedback(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&f)?, personal(&f.person_id, &f.org_id))
        }
        EntityKind::Report => {
            let Some(r) = consult::report(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&r)?, visibility::report_scopes(&r))
        }
        EntityKind::Topic => {
            let Some(t) = consult::topic(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&t)?, topic_scopes(tx, &t)?)
        }
        EntityKind::Post => {
            let Some(p) = consult::post(tx, id)? else { return Ok(()) };
            let Some(t) = consult::topic(tx, &p.topic_id)? else { return Ok(()) };
            redacted = Redacted::of(&p, Post::redacted, visibility::whole_copy_scopes(&t.org_id, Some(&p.author_id)))?;
            (serde_json::to_string(&p)?, topic_scopes(tx, &t)?)
        }
        EntityKind::SpeechRequest => {
            let Some((meeting_id, person)) = id.split_once('@') else { return Ok(()) };
            let (Some(s), Some(m)) = (consult::speech_request(tx, meeting_id, person)?, duty::meeting(tx, meeting_id)?)
            else {
                return Ok(());
            };
            (serde_json::to_string(&s)?, personal(person, &m.org_id))
        }
        EntityKind::Consultation => {
            let Some(c) = consult::consultation(tx, id)? else { return Ok(()) };
            let ancestors: Vec<String> = org::ancestry(tx, &c.org_id)?.into_iter().skip(1).map(|o| o.id).collect();
            (serde_json::to_string(&c)?, visibility::consultation_scopes(&c, &ancestors))
        }
        EntityKind::Material => {
            let Some(m) = study::material(tx, id)? else { return Ok(()) };
            redacted = Redacted::of(&m, Material::redacted, whole(&m.org_id))?;
            (serde_json::to_string(&m)?, audience_scopes_of(tx, &m.org_id, &m.audience)?)
        }
        EntityKind::Study => {
            let Some((material_id, person)) = id.split_once('@') else { return Ok(()) };
            let Some(s) = study::study(tx, material_id, person)? else { return Ok(()) };
            (serde_json::to_string(&s)?, visibility::study_scopes(person))
        }
        EntityKind::ReadingPlan => {
            let Some(p) = study::plan(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&p)?, visibility::reading_plan_scopes(&p.group_id, &p.org_id))
        }
        EntityKind::ReadingNote => {
            let Some(n) = study::note(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&n)?, visibility::reading_scopes(&n.group_id, Some(&n.person_id)))
        }
        EntityKind::News => {
            let Some(n) = study::news_item(tx, id)? else { return Ok(()) };
            let audience = Audience::Organisation { subordinates: n.subordinates };
            redacted = Redacted::of(&n, News::redacted, whole(&n.org_id))?;
            (serde_json::to_string(&n)?, audience_scopes_of(tx, &n.org_id, &audience)?)
        }
        EntityKind::NotificationSettings => {
            let Some(row) = lvzhi_store::push::settings_row(tx, id)? else { return Ok(()) };
            (row, visibility::notification_settings_scopes(id))
        }
        EntityKind::MemberFile => {
            let Some(f) = files::file(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&f)?, visibility::member_file_scopes(&f.person_id, &f.org_id))
        }
        EntityKind::FileCorrection => {
            let Some(c) = files::correction(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&c)?, visibility::member_file_scopes(&c.person_id, &c.org_id))
        }
        EntityKind::DirectoryEntry => {
            let Some(e) = files::directory_entry(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&e)?, visibility::directory_scopes(&e.org_id))
        }
        EntityKind::Contact => {
            let Some(c) = liaison::contact(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&c)?, visibility::contact_scopes(&c.owner_id))
        }
        EntityKind::ContactLog => {
            let Some(l) = liaison::log(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&l)?, visibility::contact_scopes(&l.owner_id))
        }
        EntityKind::Studio => {
            let Some(s) = liaison::studio(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&s)?, visibility::studio_scopes(&s.org_id))
        }
        EntityKind::StudioMessage => {
            let Some(m) = liaison::message(tx, id)? else { return Ok(()) };
            let Some(s) = liaison::studio(tx, &m.studio_id)? else { return Ok(()) };
            // A member who has left the organisation no longer receives the studio's messages.
            let mut current = Vec::new();
            for p in &s.member_ids {
                if org::is_member(tx, p, &s.org_id)? {
                    current.push(p.clone());
                }
            }
            (serde_json::to_string(&m)?, visibility::studio_message_scopes(&s.org_id, &current))
        }
        EntityKind::ContactFacts => {
            let Some(f) = liaison::contact_facts(tx, id)? else { return Ok(()) };
            (serde_json::to_string(&f)?, visibility::contact_facts_scopes(&f.org_id))
        }
        _ => return Ok(()),
    };
    emit_to_scopes(tx, kind, id, &data, &scopes, redacted.as_ref(), now)
}

/// The messages of the studios `person_id` is attached to in `org_id`, written again to their
/// scopes (after the person's membership changed: one who left stops receiving them).
pub fn emit_studio_messages_of(
    tx: &Transaction<'_>,
    person_id: &str,
    org_id: &str,
    now: Timestamp,
) -> lvzhi_store::Result<()> {
    use lvzhi_store::liaison::repo as liaison;
    for s in liaison::studios_of_org(tx, org_id)?.into_iter().filter(|s| s.is_member(person_id)) {
        for m in liaison::messages_of_studio(tx, &s.id)? {
            emit_entity(tx, EntityKind::StudioMessage, &m.id, now)?;
        }
    }
    Ok(())
}

/// Something staff of `org_id` send to an audience: its scopes (the organisations it reaches,
/// or the people a group or named audience resolves to) and its staff's.
fn audience_scopes_of(tx: &Transaction<'_>, org_id: &str, a: &Audience) -> lvzhi_store::Result<BTreeSet<String>> {
    use lvzhi_store::duty::audience;
    let targets = audience::targets_of(tx, org_id, a)?;
    let people = audience::people_of(tx, org_id, a)?;
    Ok(visibility::audience_scopes(org_id, a, &targets, &people))
}

/// A topic and each of its posts go to the topic's audience and its staff.
fn topic_scopes(
    tx: &Transaction<'_>,
    t: &lvzhi_domain::consult::topic::Topic,
) -> lvzhi_store::Result<BTreeSet<String>> {
    audience_scopes_of(tx, &t.org_id, &t.audience)
}

/// A chat group with its members, to each member's `user:` scope (a removed member gets a
/// tombstone, and with it the group leaves their phones).
pub fn emit_group(tx: &Transaction<'_>, group_id: &str, now: Timestamp) -> lvzhi_store::Result<()> {
    let Some(group) = chat::repo::group(tx, group_id)? else {
        return Ok(());
    };
    let scopes = visibility::group_scopes(&group.members);
    emit_to_scopes(tx, EntityKind::Group, group_id, &serde_json::to_string(&group)?, &scopes, None, now)
}

/// A message's current state, to its group's scope.
pub fn emit_message(tx: &Transaction<'_>, message_id: &str, now: Timestamp) -> lvzhi_store::Result<()> {
    match chat::repo::message(tx, message_id)? {
        Some(m) => emit_sent_message(tx, &m, now),
        None => Ok(()),
    }
}

/// A message as stored (just sent, or read back), to its group's scope.
pub fn emit_sent_message(tx: &Transaction<'_>, m: &ChatMessage, now: Timestamp) -> lvzhi_store::Result<()> {
    emit(tx, &group_scope(&m.group_id), EntityKind::Message, &m.id, Some(&serde_json::to_string(m)?), now)
}

/// A member's read marker, to their own scope (their other devices).
pub fn emit_read_marker(
    tx: &Transaction<'_>,
    group_id: &str,
    person_id: &str,
    now: Timestamp,
) -> lvzhi_store::Result<()> {
    let seq = chat::repo::read_marker(tx, group_id, person_id)?;
    let data = ReadMarkerData { group_id: group_id.into(), person_id: person_id.into(), seq };
    emit(tx, &user_scope(person_id), EntityKind::ReadMarker, group_id, Some(&serde_json::to_string(&data)?), now)
}

/// Writes an organisation's reference data to its scope: its ancestors' records and its own,
/// terms and sessions, handling units, sectors and committees, and its people with their roles.
pub fn emit_org_reference(tx: &Transaction<'_>, org_id: &str, now: Timestamp) -> lvzhi_store::Result<()> {
    let scope = org_scope(org_id);
    let mut chain = org::ancestry(tx, org_id)?;
    chain.reverse();
    for o in &chain {
        let settings: Option<OrgSettings> = org::org_settings(tx, &o.id).ok();
        let mut value = serde_json::to_value(o)?;
        value["settings"] = serde_json::to_value(settings)?;
        emit(tx, &scope, EntityKind::Organisation, &o.id, Some(&value.to_string()), now)?;
    }
    let rows = |sql: &str| -> lvzhi_store::Result<Vec<String>> {
        let mut stmt = tx.prepare(sql)?;
        Ok(stmt.query_map([org_id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?)
    };
    let terms = org::terms(tx, org_id)?;
    for t in terms {
        emit(tx, &scope, EntityKind::Term, &t.id, Some(&serde_json::to_string(&t)?), now)?;
    }
    for s in org::sessions_of(tx, org_id)? {
        emit(tx, &scope, EntityKind::Session, &s.id, Some(&serde_json::to_string(&s)?), now)?;
    }
    for u in org::units_of(tx, org_id)? {
        emit(tx, &scope, EntityKind::Unit, &u.id, Some(&serde_json::to_string(&u)?), now)?;
    }
    let groups = org::member_groups(tx, org_id)?;
    for g in groups {
        emit(tx, &scope, EntityKind::MemberGroup, &g.id, Some(&serde_json::to_string(&g)?), now)?;
    }
    for person_id in rows("SELECT DISTINCT person_id FROM role_grants WHERE org_id = ?1")? {
        emit_membership(tx, &person_id, org_id, now)?;
    }
    Ok(())
}

/// A person's record and roles in one organisation, to that organisation's scope.
pub fn emit_membership(tx: &Transaction<'_>, person_id: &str, org_id: &str, now: Timestamp) -> lvzhi_store::Result<()> {
    let person = org::get_person(tx, person_id)?.ok_or(lvzhi_store::Error::NotFound { what: "人员" })?;
    let grants: Vec<_> = org::roles_of(tx, person_id)?.into_iter().filter(|g| g.org_id == org_id).collect();
    let groups = org::groups_of(tx, person_id)?.into_iter().filter(|g| g.org_id == org_id).map(|g| g.id).collect();
    let id = format!("{person_id}@{org_id}");
    let data = if grants.is_empty() {
        None
    } else {
        Some(serde_json::to_string(&MembershipData { person, org_id: org_id.to_string(), grants, groups })?)
    };
    emit(tx, &org_scope(org_id), EntityKind::Membership, &id, data.as_deref(), now)
}

/// The newest change of `scope` (0 when it has none), kept by a trigger on `change_log`.
pub fn head(conn: &Connection, scope: &str) -> lvzhi_store::Result<u64> {
    let seq: Option<i64> = conn
        .prepare_cached("SELECT seq FROM scope_heads WHERE scope = ?1")?
        .query_row([scope], |r| r.get(0))
        .optional()?;
    Ok(seq.unwrap_or(0) as u64)
}

/// The next page of `scope` after `cursor`: at most `max_rows` changes, within `budget` bytes of
/// data (at least one change).
/// Within a page only the newest change of each entity is sent.
pub fn page(
    conn: &Connection,
    scope: &str,
    cursor: u64,
    initial_messages: u32,
    max_rows: usize,
    budget: &mut usize,
) -> lvzhi_store::Result<ScopePage> {
    let horizon: Option<i64> = conn
        .prepare_cached("SELECT min_cursor FROM scope_horizons WHERE scope = ?1")?
        .query_row([scope], |r| r.get(0))
        .optional()?;
    // A cursor older than the compaction horizon, or issued before a restore from a backup,
    // cannot continue: the scope starts over.
    let reset = cursor > 0
        && (horizon.is_some_and(|h| (cursor as i64) < h) || crate::backup::cursor_before_restore(conn, cursor)?);
    let mut from = if reset { 0 } else { cursor };
    // A group new to this phone starts with its recent messages; older ones come on demand.
    if from == 0 && scope.starts_with("group:") {
        let start: Option<i64> = conn
            .prepare_cached(
                "SELECT seq FROM change_log WHERE scope = ?1 AND entity = 'message' ORDER BY seq DESC LIMIT 1 OFFSET ?2",
            )?
            .query_row(params![scope, initial_messages], |r| r.get(0))
            .optional()?;
        from = start.map_or(0, |s| s as u64);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT seq, entity, entity_id, data FROM change_log WHERE scope = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let mut rows = stmt.query(params![scope, from as i64, max_rows as i64])?;
    let mut changes: Vec<Change> = Vec::new();
    let mut last = from;
    let mut more = false;
    while let Some(r) = rows.next()? {
        let data: Option<String> = r.get(3)?;
        let size = data.as_ref().map_or(64, |d| d.len() + 64);
        if !changes.is_empty() && size > *budget {
            more = true;
            break;
        }
        *budget = budget.saturating_sub(size);
        let entity: String = r.get(1)?;
        let Some(entity) = EntityKind::parse(&entity) else { continue };
        last = r.get::<_, i64>(0)? as u64;
        changes.push(Change {
            seq: last,
            entity,
            id: r.get(2)?,
            data: data.map(|d| serde_json::from_str(&d)).transpose()?,
        });
    }
    if changes.len() == max_rows {
        more = true;
    }
    // Only the newest change of each entity matters.
    let mut newest: HashMap<(EntityKind, String), u64> = HashMap::new();
    for c in &changes {
        newest.insert((c.entity, c.id.clone()), c.seq);
    }
    changes.retain(|c| newest.get(&(c.entity, c.id.clone())) == Some(&c.seq));
    Ok(ScopePage { scope: scope.to_string(), changes, cursor: last.max(from), reset, more })
}

/// Drops changes older than `horizon` that a newer change of the same entity supersedes, and
/// tombstones older than it; cursors from before the horizon then get a reset.
pub fn compact(tx: &Transaction<'_>, horizon: Timestamp) -> lvzhi_store::Result<usize> {
    let cutoff = to_millis(horizon);
    let removed = tx.execute(
        "DELETE FROM change_log WHERE at < ?1 AND (data IS NULL OR EXISTS (
             SELECT 1 FROM change_log newer WHERE newer.scope = change_log.scope AND newer.entity = change_log.entity
                 AND newer.entity_id = change_log.entity_id AND newer.seq > change_log.seq))",
        [cutoff],
    )?;
    tx.execute(
        "INSERT INTO scope_horizons (scope, min_cursor)
         SELECT scope, max(seq) FROM change_log WHERE at < ?1 GROUP BY scope
         ON CONFLICT (scope) DO UPDATE SET min_cursor = excluded.min_cursor",
        [cutoff],
    )?;
    Ok(removed)
}

/// The change log's last position, before a transaction writes to it.
pub fn log_end(tx: &Transaction<'_>) -> lvzhi_store::Result<i64> {
    Ok(tx.query_row("SELECT coalesce(max(seq), 0) FROM change_log", [], |r| r.get(0))?)
}

/// The scopes changed after `log_end` with their new heads, for waking long-polls.
pub fn written_since(tx: &Transaction<'_>, log_end: i64) -> lvzhi_store::Result<Vec<(String, u64)>> {
    // Not `GROUP BY scope`: SQLite would answer that from the (scope, seq) index by walking the
    // whole log; the rows after `log_end` are few and found by seq.
    let mut stmt = tx.prepare_cached("SELECT scope, seq FROM change_log WHERE seq > ?1")?;
    let mut heads: BTreeMap<String, u64> = BTreeMap::new();
    for row in stmt.query_map([log_end], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (scope, seq) = row?;
        let head = heads.entry(scope).or_default();
        *head = (*head).max(seq as u64);
    }
    Ok(heads.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lvzhi_store::{DbKind, Store};

    fn head_of(store: &Store, scope: &str) -> u64 {
        store.read(|c| head(c, scope)).unwrap()
    }

    #[test]
    fn every_change_written_moves_its_scopes_head_in_the_same_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("server.db"), DbKind::Server).unwrap();
        let now = lvzhi_domain::time::now();
        let (county, group) = ("org:yn-12-03", "group:g-binchuan-reading");
        assert_eq!(head_of(&store, county), 0, "an empty scope is at 0");
        store
            .write(|tx| {
                emit(tx, county, EntityKind::Notice, "n1", Some("{}"), now)?;
                emit(tx, group, EntityKind::Message, "m1", Some("{}"), now)?;
                emit(tx, county, EntityKind::Notice, "n2", Some("{}"), now)
            })
            .unwrap();
        let newest = |scope: &str| -> u64 {
            let sql = "SELECT max(seq) FROM change_log WHERE scope = ?1";
            let seq: lvzhi_store::Result<i64> = store.read(|c| Ok(c.query_row(sql, [scope], |r| r.get(0))?));
            seq.unwrap() as u64
        };
        assert_eq!(head_of(&store, county), newest(county));
        assert_eq!(head_of(&store, group), newest(group));
        assert!(head_of(&store, county) > head_of(&store, group));

        // A transaction that fails leaves neither the change nor the head behind.
        let before = head_of(&store, group);
        let failed: lvzhi_store::Result<()> = store.write(|tx| {
            emit(tx, group, EntityKind::Message, "m2", Some("{}"), now)?;
            Err(lvzhi_store::Error::from(lvzhi_sql::Error::QueryReturnedNoRows))
        });
        assert!(failed.is_err());
        assert_eq!(head_of(&store, group), before);
        assert_eq!(newest(group), before);
    }
}
