//! Who is logged in on this device: login, token refresh and logout over HTTP, the tokens kept
//! in `sync_meta`, and the roles they carry.

use lvzhi_domain::org::{Role, RoleGrant};
use lvzhi_domain::protocol::{ActingAs, ErrorBody, LoginRequest, RefreshRequest, Tokens};

use crate::engine::SyncClient;
use crate::error::{Error, Result};
use crate::outbox::{meta_get, meta_set};
use crate::transport::read_json;

impl SyncClient {
    pub async fn login(&self, login: &str, password: &str, device_name: &str) -> Result<Tokens> {
        let body = LoginRequest { login: login.into(), password: password.into(), device_name: device_name.into() };
        let resp = self.transport.post_raw("/v1/login", &body).await?;
        if resp.status() == reqwest::StatusCode::UNAUTHORIZED {
            // Here 401 means wrong credentials, not an expired session: say so.
            let reason = resp.json::<ErrorBody>().await.map(|b| b.error).unwrap_or_else(|_| "账号或密码错误".into());
            return Err(Error::Refused(reason));
        }
        let tokens: Tokens = read_json(resp).await?;
        // Another person's data never shows to this one: a phone changing hands starts empty.
        let previous = self.store.read(|c| meta_get::<String>(c, "owner"))?;
        if previous.is_some_and(|p| p != tokens.person_id) {
            self.wipe()?;
        }
        self.store.write(|tx| {
            meta_set(tx, "owner", &tokens.person_id)?;
            meta_set(tx, "tokens", &tokens)
        })?;
        Ok(tokens)
    }

    /// Work the server has not accepted yet (pending or refused), which logging out would lose.
    pub fn unsent(&self) -> Result<u32> {
        let (pending, refused) = self.store.read(crate::outbox::counts)?;
        Ok(pending + refused)
    }

    /// Logs out: the server forgets the session, and this device forgets everything of this
    /// person (their drafts, messages, tokens). Refused with [`Error::UnsentWork`] while work is
    /// unsent, unless `discard_unsent` (the member confirmed).
    pub async fn logout(&self, discard_unsent: bool) -> Result<()> {
        let count = self.unsent()?;
        if count > 0 && !discard_unsent {
            return Err(Error::UnsentWork { count });
        }
        if let Some(token) = self.access_token()? {
            // Best effort: the session is forgotten here even if the server is unreachable.
            self.transport.post_and_forget("/v1/logout", &token).await;
        }
        self.wipe()
    }

    /// Empties this device's database and starts again as a new device.
    fn wipe(&self) -> Result<()> {
        self.store.write(|tx| {
            lvzhi_store::wipe::wipe_device(tx)?;
            meta_set(tx, "client_id", &lvzhi_domain::ids::new_id())
        })?;
        // Deleted rows must not linger in free pages of the file.
        self.store.vacuum()?;
        self.refresh_counts()?;
        self.set_status(|s| s.last_success_ms = None);
        Ok(())
    }

    pub fn tokens(&self) -> Result<Option<Tokens>> {
        Ok(self.store.read(|c| meta_get::<Tokens>(c, "tokens"))?)
    }

    fn save_tokens(&self, tokens: &Tokens) -> Result<()> {
        Ok(self.store.write(|tx| meta_set(tx, "tokens", tokens))?)
    }

    pub(crate) fn access_token(&self) -> Result<Option<String>> {
        Ok(self.tokens()?.map(|t| t.access_token))
    }

    /// Trades the refresh token for new tokens.
    pub(crate) async fn refresh(&self) -> Result<()> {
        let tokens = self.tokens()?.ok_or(Error::Unauthorized)?;
        let fresh: Tokens =
            self.transport.post_json("/v1/refresh", &RefreshRequest { refresh_token: tokens.refresh_token }).await?;
        self.save_tokens(&fresh)
    }

    /// The logged-in person and their role grants (works offline).
    pub fn identity(&self) -> Result<(String, Vec<RoleGrant>)> {
        let tokens = self.tokens()?.ok_or(Error::Unauthorized)?;
        Ok((tokens.person_id, tokens.grants))
    }

    /// The member role of the logged-in person, the usual way to act.
    pub fn member_role(&self) -> Result<ActingAs> {
        let (_, grants) = self.identity()?;
        grants
            .iter()
            .find(|g| g.role == Role::Member)
            .map(|g| ActingAs { role: g.role, org_id: g.org_id.clone() })
            .ok_or_else(|| Error::invalid("您不是委员，不能起草提案"))
    }

    /// The role to act in where any will do (chat): the first the person holds.
    pub fn any_role(&self) -> Result<ActingAs> {
        let (_, grants) = self.identity()?;
        grants.first().map(|g| ActingAs { role: g.role, org_id: g.org_id.clone() }).ok_or(Error::Unauthorized)
    }
}
