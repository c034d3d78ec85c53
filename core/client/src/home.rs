//! 首页: what needs the member now, in one read — 待办 with due times, unread notices, the
//! coming week's meetings, the newest news and what is not yet sent — and the local
//! notifications the phone's system should show for 待办 (`reminder_schedule`), with the
//! member's switch per kind. Check-in from a scanned code, which names its meeting.

use std::collections::BTreeMap;

use lvzhi_domain::duty::checkin;
use lvzhi_domain::news::News;
use lvzhi_domain::time::to_millis;
use lvzhi_store::duty::reminders::{self, Reminder, ReminderSettings, ScheduledReminder};
use lvzhi_sync::Result;
use lvzhi_sync::outbox::{meta_get, meta_set};

pub use lvzhi_media::qr::qr_matrix;
pub use lvzhi_store::duty::reminders::schedule as plan_reminders;

use crate::client::Client;
use crate::duty::{MeetingItem, NoticeItem};

/// How far ahead the home page lists meetings.
const WEEK_MS: i64 = 7 * 24 * 3600 * 1000;
/// How many unread notices and news items the home page shows (the tabs list them all).
const UNREAD_SHOWN: usize = 5;
const NEWS_SHOWN: u32 = 3;

const SETTINGS_KEY: &str = "reminder_settings";
const FIRST_SEEN_KEY: &str = "reminder_first_seen";

/// The home page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HomeView {
    /// 待办, soonest first.
    pub todo: Vec<Reminder>,
    /// The newest unread notices addressed to this person.
    pub unread_notices: Vec<NoticeItem>,
    pub unread_count: u32,
    /// Meetings not cancelled that are under way or start within seven days, soonest first.
    pub meetings: Vec<MeetingItem>,
    pub news: Vec<News>,
    /// Writes not yet accepted by the server.
    pub unsent: u32,
    /// Whether this person writes as a member (写提案, 社情民意 and 签到 shortcuts).
    pub is_member: bool,
}

impl Client {
    pub fn home(&self) -> Result<HomeView> {
        let now = to_millis(self.now());
        let mut unread: Vec<NoticeItem> =
            self.notices()?.into_iter().filter(|n| n.addressed_to_me && !n.read && !n.withdrawn).collect();
        unread.sort_by(|a, b| (b.published_at_ms, &b.id).cmp(&(a.published_at_ms, &a.id)));
        let unread_count = u32::try_from(unread.len()).unwrap_or(u32::MAX);
        unread.truncate(UNREAD_SHOWN);
        let mut meetings: Vec<MeetingItem> = self
            .meetings()?
            .into_iter()
            .filter(|m| !m.cancelled && m.ends_at_ms >= now && m.starts_at_ms <= now + WEEK_MS)
            .filter(|m| m.open || m.my_reply_label.is_some())
            .collect();
        meetings.sort_by_key(|m| m.starts_at_ms);
        Ok(HomeView {
            todo: self.reminders()?,
            unread_notices: unread,
            unread_count,
            meetings,
            news: self.news_feed(NEWS_SHOWN)?,
            unsent: self.unsent()?,
            is_member: self.sync().member_role().is_ok(),
        })
    }

    /// The home page now and after every change.
    pub fn watch_home(&self, on_home: impl Fn(HomeView) + Send + 'static) -> crate::TaskHandle {
        let client = self.clone();
        crate::live::watch_value(self.watch_changes(), |_| true, move || client.home().ok(), on_home)
    }

    // --- Local notifications -------------------------------------------------------------

    pub fn reminder_settings(&self) -> Result<ReminderSettings> {
        Ok(self.store().read(|c| meta_get::<ReminderSettings>(c, SETTINGS_KEY))?.unwrap_or_default())
    }

    pub fn set_reminder_settings(&self, settings: ReminderSettings) -> Result<()> {
        Ok(self.store().write(|tx| meta_set(tx, SETTINGS_KEY, &settings))?)
    }

    /// The notifications to hand to the phone's system now, replacing those handed before
    /// (apps call it after each sync and each change of settings). Remembers when each 待办
    /// was first listed, so that its one reminder is not moved on by later schedules.
    pub fn reminder_schedule(&self) -> Result<Vec<ScheduledReminder>> {
        let now = to_millis(self.now());
        let todo = self.reminders()?;
        let settings = self.reminder_settings()?;
        let before: BTreeMap<String, i64> = self.store().read(|c| meta_get(c, FIRST_SEEN_KEY))?.unwrap_or_default();
        // Only what is still to do: a done item's entry goes with it.
        let first_seen: BTreeMap<String, i64> = todo
            .iter()
            .map(|r| {
                let key = reminders::reminder_key(r);
                let at = before.get(&key).copied().unwrap_or(now);
                (key, at)
            })
            .collect();
        // Written only when 待办 changed: most schedules (after each sync) change nothing.
        if first_seen != before {
            self.store().write(|tx| meta_set(tx, FIRST_SEEN_KEY, &first_seen))?;
        }
        Ok(reminders::schedule(&todo, &first_seen, now, &settings))
    }

    // --- 签到 -----------------------------------------------------------------------------

    /// Check-in with a scanned (or pasted) code, which names its meeting: verified here at once
    /// with that meeting's key, offline. Returns the meeting's id.
    pub fn check_in_with_code(&self, code: &str) -> Result<String> {
        let meeting_id = checkin::meeting_named(code)?;
        self.check_in(&meeting_id, code)?;
        Ok(meeting_id)
    }
}
