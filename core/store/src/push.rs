//! Push settings and device tokens, the same on the phone (at once, offline) and on the server
//! (to decide). The settings are a person's own row, which travels to their other phones through
//! their `user:` scope; a token is checked here and kept by the server's push module with the
//! device's session (a phone needs no copy).

use lvzhi_domain::org::Actor;
use lvzhi_domain::protocol::{EntityKind, MutationKind};
use lvzhi_domain::push::{self, NotificationSettings, PersonSettings};
use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};
use serde::Deserialize;

use crate::changed::Entities;
use crate::error::{Error, Result};

/// A person's settings: the defaults (everything on, quiet 22:00–07:00) until they change them.
pub fn settings(c: &Connection, person_id: &str) -> Result<NotificationSettings> {
    Ok(match settings_row(c, person_id)? {
        Some(json) => serde_json::from_str::<PersonSettings>(&json)?.settings,
        None => NotificationSettings::default(),
    })
}

pub fn save_settings(tx: &Transaction<'_>, s: &PersonSettings) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO notification_settings (person_id, data) VALUES (?1, ?2)
         ON CONFLICT (person_id) DO UPDATE SET data = excluded.data",
    )?
    .execute(params![s.person_id, serde_json::to_string(s)?])?;
    Ok(())
}

/// The whole row as it travels (`EntityKind::NotificationSettings`); `None` for the defaults.
pub fn settings_row(c: &Connection, person_id: &str) -> Result<Option<String>> {
    Ok(c.prepare_cached("SELECT data FROM notification_settings WHERE person_id = ?1")?
        .query_row([person_id], |r| r.get(0))
        .optional()?)
}

/// Phones: the server's copy arrived.
pub fn install(tx: &Transaction<'_>, json: &serde_json::Value) -> Result<()> {
    save_settings(tx, &PersonSettings::deserialize(json)?)
}

/// Phones: the row left the person's scope (never, in practice: it is their own).
pub fn remove(tx: &Transaction<'_>, person_id: &str) -> Result<()> {
    tx.execute("DELETE FROM notification_settings WHERE person_id = ?1", [person_id])?;
    Ok(())
}

/// Applies a push mutation; `None` when `kind` is not one. A token's device and session are
/// the server's to record (it knows them; the rules here only check the token).
pub fn apply(tx: &Transaction<'_>, actor: &Actor, kind: &MutationKind) -> Result<Option<Entities>> {
    match kind {
        MutationKind::RegisterPushToken { vendor, token } => {
            push::check_token(*vendor, token).map_err(Error::Invalid)?;
            Ok(Some(Vec::new()))
        }
        MutationKind::SetNotificationSettings { settings } => {
            settings.check().map_err(Error::Invalid)?;
            let row = PersonSettings { person_id: actor.person_id.clone(), settings: settings.clone() };
            save_settings(tx, &row)?;
            Ok(Some(vec![(EntityKind::NotificationSettings, actor.person_id.clone())]))
        }
        _ => Ok(None),
    }
}
