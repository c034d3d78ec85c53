//! Push on the phone: the app hands over the token its vendor's SDK (or APNs) gives it, and
//! shows the person's push switches and quiet hours, which travel through sync. A push only
//! wakes the app, which then syncs.

use lvzhi_domain::push::{NotificationSettings, PushKind, PushVendor};

use crate::app::{FfiResult, LvzhiApp};

#[uniffi::remote(Enum)]
pub enum PushVendor {
    Apns,
    Hms,
    Honor,
    Xiaomi,
    Oppo,
    Vivo,
}

#[uniffi::remote(Enum)]
pub enum PushKind {
    Notice,
    Meeting,
    MeetingChanged,
    ProposalReply,
    ProposalRating,
    CoSign,
    ReportFeedback,
    Mention,
    StaffWork,
    StudioMessage,
}

#[uniffi::remote(Record)]
pub struct NotificationSettings {
    pub enabled: bool,
    pub off: Vec<PushKind>,
    pub quiet_from_minute: u16,
    pub quiet_until_minute: u16,
}

#[uniffi::export]
impl LvzhiApp {
    /// Registers this phone's push token (after every login and whenever the SDK refreshes
    /// it); it reaches the server with the next sync.
    pub fn register_push_token(&self, vendor: PushVendor, token: String) -> FfiResult<()> {
        Ok(self.client().register_push_token(vendor, &token)?)
    }

    /// The person's push settings.
    pub fn notification_settings(&self) -> FfiResult<NotificationSettings> {
        Ok(self.client().notification_settings()?)
    }

    /// Changes them: here at once, on the server and the person's other phones after a sync.
    pub fn set_notification_settings(&self, settings: NotificationSettings) -> FfiResult<()> {
        Ok(self.client().set_notification_settings(settings)?)
    }
}

/// Every kind of push, in the order the settings list them.
#[uniffi::export]
pub fn push_kinds() -> Vec<PushKind> {
    PushKind::ALL.to_vec()
}

/// A kind's switch name (「新通知」, 「会议邀请」, …).
#[uniffi::export]
pub fn push_kind_label(kind: PushKind) -> String {
    kind.label().into()
}

/// The push channel of an Android phone by `Build.MANUFACTURER`; `None` without one.
#[uniffi::export]
pub fn push_vendor_for_manufacturer(manufacturer: String) -> Option<PushVendor> {
    PushVendor::for_manufacturer(&manufacturer)
}
