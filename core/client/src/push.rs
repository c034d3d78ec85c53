//! Push on the phone: the token the vendor's SDK (or APNs) gives the app is registered with
//! the server through sync, and the person's push settings — which kinds, quiet hours — are
//! changed here and travel to their other phones. A push only wakes the app: it syncs and
//! shows the real text from its own database.

use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::push::{self, NotificationSettings, PushVendor};
use lvzhi_sync::Result;
use lvzhi_sync::outbox::{meta_get, meta_set};

use crate::client::Client;

/// The token last registered from this phone (a new one is sent; the same one is not again).
const TOKEN_KEY: &str = "push_token";

impl Client {
    /// Registers this phone's push token; it reaches the server with the next sync. The same
    /// token again changes nothing; a refreshed one replaces the old on the server.
    pub fn register_push_token(&self, vendor: PushVendor, token: &str) -> Result<()> {
        push::check_token(vendor, token).map_err(lvzhi_store::Error::Invalid)?;
        let registered: Option<(PushVendor, String)> = self.store().read(|c| meta_get(c, TOKEN_KEY))?;
        if registered.as_ref().is_some_and(|(v, t)| *v == vendor && t == token) {
            return Ok(());
        }
        let kind = MutationKind::RegisterPushToken { vendor, token: token.to_string() };
        self.sync().record(&self.member_or_any_role()?, kind)?;
        self.store().write(|tx| meta_set(tx, TOKEN_KEY, &(vendor, token.to_string())))?;
        Ok(())
    }

    /// Forgets which token was registered: the next registration is sent whatever it is.
    pub(crate) fn forget_push_token(&self) -> Result<()> {
        Ok(self.store().write(|tx| lvzhi_store::device::outbox::meta_delete(tx, TOKEN_KEY))?)
    }

    /// The person's push settings (the defaults until changed on any of their phones).
    pub fn notification_settings(&self) -> Result<NotificationSettings> {
        let me = self.person_id()?;
        Ok(self.store().read(|c| lvzhi_store::push::settings(c, &me))?)
    }

    /// Changes the push settings: in force on this phone at once, on the server and the
    /// person's other phones after the next sync.
    pub fn set_notification_settings(&self, settings: NotificationSettings) -> Result<()> {
        settings.check().map_err(lvzhi_store::Error::Invalid)?;
        self.sync().record(&self.member_or_any_role()?, MutationKind::SetNotificationSettings { settings })?;
        Ok(())
    }
}
