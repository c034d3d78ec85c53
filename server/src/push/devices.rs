//! The devices push reaches (`push_devices`): registered through sync with the session they
//! logged in with, gone when that session ends or the vendor says the token is dead.

use lvzhi_domain::push::PushVendor;
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Connection, Transaction, params};

/// Registers (or moves) a device's token. The token leaves any other device that held it: a
/// phone reinstalled, or handed to someone else, reaches only its new owner.
pub fn register(
    tx: &Transaction<'_>,
    person_id: &str,
    client_id: &str,
    session_id: &str,
    vendor: PushVendor,
    token: &str,
    now: Timestamp,
) -> lvzhi_store::Result<()> {
    tx.prepare_cached("DELETE FROM push_devices WHERE vendor = ?1 AND token = ?2 AND client_id <> ?3")?
        .execute(params![vendor.as_str(), token, client_id])?;
    tx.prepare_cached(
        "INSERT INTO push_devices (client_id, person_id, session_id, vendor, token, registered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (client_id) DO UPDATE SET person_id = excluded.person_id, session_id = excluded.session_id,
             vendor = excluded.vendor, token = excluded.token, registered_at = excluded.registered_at",
    )?
    .execute(params![client_id, person_id, session_id, vendor.as_str(), token, to_millis(now)])?;
    Ok(())
}

/// A session ended (logout, revoked from another device, an account disabled): its device is
/// reached no more.
pub fn forget_session(tx: &Transaction<'_>, session_id: &str) -> lvzhi_store::Result<usize> {
    Ok(tx.prepare_cached("DELETE FROM push_devices WHERE session_id = ?1")?.execute([session_id])?)
}

/// The vendor said this token is no longer valid.
pub fn forget_token(tx: &Transaction<'_>, vendor: &str, token: &str) -> lvzhi_store::Result<usize> {
    Ok(tx
        .prepare_cached("DELETE FROM push_devices WHERE vendor = ?1 AND token = ?2")?
        .execute(params![vendor, token])?)
}

/// A person's devices whose session is still live: (client id, vendor, token).
pub fn of_person(c: &Connection, person_id: &str) -> lvzhi_store::Result<Vec<(String, String, String)>> {
    let mut stmt = c.prepare_cached(
        "SELECT d.client_id, d.vendor, d.token FROM push_devices d
         JOIN auth_sessions s ON s.id = d.session_id
         WHERE d.person_id = ?1 AND s.revoked_at IS NULL ORDER BY d.client_id",
    )?;
    let rows = stmt.query_map([person_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}
