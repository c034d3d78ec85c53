//! Study-group chat as the apps use it: messages shown at once as 发送中 and queued, recall,
//! read markers, retry, the group list with unread counts, timelines (live), history paging and
//! offline search.

use lvzhi_domain::chat::{GroupKind, Outgoing};
use lvzhi_domain::ids::new_id;
use lvzhi_domain::protocol::{ActingAs, MutationKind};
use lvzhi_store::chat::{self, GroupSummary, MessageState, TimelineItem};
use lvzhi_sync::Result;

use crate::client::Client;
use crate::live::{self, ListUpdate};
use crate::task::TaskHandle;

impl Client {
    /// Staff create a study group with its members; returns its id.
    pub fn create_group(
        &self,
        acting_as: &ActingAs,
        name: &str,
        kind: GroupKind,
        members: Vec<String>,
    ) -> Result<String> {
        let group_id = new_id();
        self.sync().record(
            acting_as,
            MutationKind::CreateGroup { group_id: group_id.clone(), name: name.into(), kind, members },
        )?;
        Ok(group_id)
    }

    /// Creates a group in the first of the user's roles that manages groups.
    pub fn create_group_as_staff(&self, name: &str, kind: GroupKind, members: Vec<String>) -> Result<String> {
        let acting = self
            .actors()?
            .into_iter()
            .map(|(acting, _)| acting)
            .find(|a| a.role.is_staff())
            .ok_or(lvzhi_domain::chat::ChatError::NotGroupStaff)?;
        self.create_group(&acting, name, kind, members)
    }

    pub fn set_group_members(
        &self,
        acting_as: &ActingAs,
        group_id: &str,
        add: Vec<String>,
        remove: Vec<String>,
    ) -> Result<()> {
        self.sync().record(acting_as, MutationKind::SetGroupMembers { group_id: group_id.into(), add, remove })?;
        Ok(())
    }

    pub fn leave_group(&self, group_id: &str) -> Result<()> {
        self.sync().record(&self.sync().any_role()?, MutationKind::LeaveGroup { group_id: group_id.into() })?;
        Ok(())
    }

    /// Shows the message at once as 发送中 and queues it; returns its id.
    pub fn send_message(
        &self,
        group_id: &str,
        text: &str,
        reply_to: Option<String>,
        mentions: Vec<String>,
    ) -> Result<String> {
        self.send_message_with_files(group_id, text, reply_to, mentions, Vec::new())
    }

    /// A message with files attached ([`Client::attach_file`]): shown here at once, sent when
    /// its files are uploaded.
    pub fn send_message_with_files(
        &self,
        group_id: &str,
        text: &str,
        reply_to: Option<String>,
        mentions: Vec<String>,
        attachments: Vec<lvzhi_domain::files::Attachment>,
    ) -> Result<String> {
        let message_id = new_id();
        let message = Outgoing {
            message_id: message_id.clone(),
            group_id: group_id.into(),
            text: text.into(),
            reply_to,
            mentions,
            attachments,
        };
        self.sync().record(&self.sync().any_role()?, MutationKind::SendMessage { message })?;
        Ok(message_id)
    }

    pub fn recall_message(&self, message_id: &str) -> Result<()> {
        let acting = self.sync().any_role()?;
        self.sync().record(&acting, MutationKind::RecallMessage { message_id: message_id.into() })?;
        Ok(())
    }

    pub fn delete_message(&self, acting_as: &ActingAs, message_id: &str) -> Result<()> {
        self.sync().record(acting_as, MutationKind::DeleteMessage { message_id: message_id.into() })?;
        Ok(())
    }

    /// Staff delete a message in a group of their organisation (it shows as deleted for all).
    pub fn delete_message_as_staff(&self, message_id: &str) -> Result<()> {
        let org = self
            .store()
            .read(|c| {
                let Some(m) = chat::repo::message(c, message_id)? else { return Ok(None) };
                Ok::<_, lvzhi_store::Error>(chat::repo::group(c, &m.group_id)?.map(|g| g.org_id))
            })?
            .ok_or(lvzhi_sync::Error::not_found("消息"))?;
        let acting = self
            .actors()?
            .into_iter()
            .map(|(acting, _)| acting)
            .find(|a| a.role.is_staff() && a.org_id == org)
            .ok_or(lvzhi_domain::chat::ChatError::NotGroupStaff)?;
        self.delete_message(&acting, message_id)
    }

    /// Marks a group read up to `seq` on this device and, through the server, on the others.
    pub fn mark_read(&self, group_id: &str, seq: u64) -> Result<()> {
        let (person_id, _) = self.sync().identity()?;
        if self.store().read(|c| chat::repo::read_marker(c, group_id, &person_id))? >= seq {
            return Ok(());
        }
        let acting = self.sync().any_role()?;
        self.sync().record(&acting, MutationKind::MarkRead { group_id: group_id.into(), seq })?;
        Ok(())
    }

    /// Sends every failed message of a group again ("retry all").
    pub fn retry_failed(&self, group_id: &str) -> Result<u32> {
        let failed: Vec<u64> = self
            .timeline(group_id, u32::MAX)?
            .into_iter()
            .filter(|i| matches!(i.state, MessageState::Failed { .. }))
            .filter_map(|i| i.outbox_id)
            .collect();
        for id in &failed {
            self.sync().resend(*id)?;
        }
        Ok(failed.len() as u32)
    }

    pub fn groups(&self) -> Result<Vec<GroupSummary>> {
        let (person_id, _) = self.sync().identity()?;
        Ok(self.store().read(|c| chat::repo::summaries(c, &person_id))?)
    }

    /// The newest `limit` messages and this phone's unsent ones.
    pub fn timeline(&self, group_id: &str, limit: u32) -> Result<Vec<TimelineItem>> {
        Ok(self.store().read(|c| chat::repo::timeline(c, group_id, limit))?)
    }

    /// Older messages kept on this phone, before `before_seq`.
    pub fn older_messages(&self, group_id: &str, before_seq: u64, limit: u32) -> Result<Vec<TimelineItem>> {
        Ok(self.store().read(|c| chat::repo::before(c, group_id, before_seq, limit))?)
    }

    /// Fetches older messages from the server, keeps them (readable offline from then on) and
    /// returns them as the timeline shows them.
    pub async fn fetch_older_messages(&self, group_id: &str, before_seq: u64, limit: u32) -> Result<Vec<TimelineItem>> {
        self.sync().fetch_older_messages(group_id, before_seq, limit).await?;
        self.older_messages(group_id, before_seq, limit)
    }

    /// Chinese full-text search over the messages of the user's groups, newest first.
    pub fn search_messages(&self, query: &str, limit: u32) -> Result<Vec<TimelineItem>> {
        let (person_id, _) = self.sync().identity()?;
        Ok(self.store().read(|c| chat::repo::search(c, &person_id, query, limit))?)
    }

    /// A live timeline: a snapshot, then diffs as messages arrive, move from 发送中 to their
    /// place in the server's order, or are recalled. Call within a Tokio runtime.
    pub fn watch_timeline(
        &self,
        group_id: &str,
        limit: u32,
        on_update: impl Fn(ListUpdate<TimelineItem>) + Send + 'static,
    ) -> TaskHandle {
        let (store, group, watched) = (self.store().clone(), group_id.to_string(), group_id.to_string());
        live::watch_list(
            self.watch_changes(),
            move |c| c.groups.contains(&watched),
            move || store.read(|c| chat::repo::timeline(c, &group, limit)).ok(),
            |i: &TimelineItem| i.id.as_str(),
            on_update,
        )
    }

    /// The group list, live: now, then whenever a group changes. Call within a Tokio runtime.
    pub fn watch_groups(&self, on_groups: impl Fn(Vec<GroupSummary>) + Send + 'static) -> TaskHandle {
        let client = self.clone();
        live::watch_value(self.watch_changes(), |c| !c.groups.is_empty(), move || client.groups().ok(), on_groups)
    }
}
