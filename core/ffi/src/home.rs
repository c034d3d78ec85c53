//! 首页, local notifications for 待办 and their switches, check-in by a scanned code, and QR
//! codes for the apps to draw.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use lvzhi_client::duty::{MeetingItem, NoticeItem};
use lvzhi_client::home::HomeView;
use lvzhi_client::rows::{QrMatrix, Reminder, ReminderKind, ReminderSettings, ScheduledReminder};
use lvzhi_domain::news::News;

use crate::app::{FfiResult, LvzhiApp};
use crate::error::LvzhiError;
use crate::listeners::Subscription;

#[uniffi::remote(Record)]
pub struct HomeView {
    pub todo: Vec<Reminder>,
    pub unread_notices: Vec<NoticeItem>,
    pub unread_count: u32,
    pub meetings: Vec<MeetingItem>,
    pub news: Vec<News>,
    pub unsent: u32,
    pub is_member: bool,
}

#[uniffi::remote(Record)]
pub struct ReminderSettings {
    pub notice_reply: bool,
    pub meeting: bool,
    pub co_sign: bool,
    pub evaluation: bool,
}

#[uniffi::remote(Record)]
pub struct ScheduledReminder {
    pub key: String,
    pub kind: ReminderKind,
    pub title: String,
    pub body: String,
    pub at_ms: i64,
    pub entity: String,
    pub id: String,
}

#[uniffi::remote(Record)]
pub struct QrMatrix {
    pub size: u32,
    pub dark: Vec<bool>,
}

#[uniffi::export(with_foreign)]
pub trait HomeListener: Send + Sync {
    fn on_home(&self, home: HomeView);
}

#[uniffi::export]
impl LvzhiApp {
    /// The home page: 待办, unread notices, the coming week's meetings, news, unsent work.
    pub fn home(&self) -> FfiResult<HomeView> {
        Ok(self.client().home()?)
    }

    pub fn observe_home(&self, listener: Arc<dyn HomeListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_home(move |h| listener.on_home(h)))
    }

    pub fn reminder_settings(&self) -> FfiResult<ReminderSettings> {
        Ok(self.client().reminder_settings()?)
    }

    pub fn set_reminder_settings(&self, settings: ReminderSettings) -> FfiResult<()> {
        Ok(self.client().set_reminder_settings(settings)?)
    }

    /// The local notifications to hand to the system now, replacing those handed before: after
    /// each sync and each change of settings.
    pub fn reminder_schedule(&self) -> FfiResult<Vec<ScheduledReminder>> {
        Ok(self.client().reminder_schedule()?)
    }

    /// Check-in with a scanned or pasted code (it names its meeting), verified offline. Returns
    /// the meeting's id.
    pub fn check_in_with_code(&self, code: String) -> FfiResult<String> {
        Ok(self.client().check_in_with_code(&code)?)
    }
}

/// The QR code of `text` (a check-in code) for the app to draw, module by module.
#[uniffi::export]
pub fn qr_code(text: String) -> FfiResult<QrMatrix> {
    lvzhi_client::home::qr_matrix(&text)
        .ok_or_else(|| LvzhiError::Invalid { message: "内容过长，无法生成二维码".into() })
}

/// The schedule [`LvzhiApp::reminder_schedule`] makes, for given 待办, first-seen times and
/// instant: what a test (or a preview) of a fixture day asks.
#[uniffi::export]
pub fn plan_reminders(
    reminders: Vec<Reminder>,
    first_seen_ms: HashMap<String, i64>,
    now_ms: i64,
    settings: ReminderSettings,
) -> Vec<ScheduledReminder> {
    let first_seen: BTreeMap<String, i64> = first_seen_ms.into_iter().collect();
    lvzhi_client::home::plan_reminders(&reminders, &first_seen, now_ms, &settings)
}

/// 「通知回执」, 「会议活动」, 「联名邀请」, 「办理测评」: a switch's and a notification channel's name.
#[uniffi::export]
pub fn reminder_kind_label(kind: ReminderKind) -> String {
    kind.label().into()
}
