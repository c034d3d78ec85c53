//! The phone makers' push channels and APNs, one adapter each, behind one enum: each takes a
//! batch of pushes (the kind and a count, never content) and says what became of each.
//!
//! Every adapter follows its vendor's documented contract — authentication (APNs' ES256 JWT,
//! OAuth client credentials, signed auth tokens), the fields that file a message as a work
//! message (私信/系统消息) rather than marketing, payload limits, batching, and the error codes
//! for an expired auth token (refreshed once and retried), an invalid device token (reported, so
//! the queue prunes it) and throttling or a used-up daily quota (retried later).

use std::time::Duration;

use lvzhi_domain::push::{PushText, PushVendor};

pub mod apns;
pub(crate) mod common;
pub mod hms;
pub mod honor;
pub mod oppo;
pub mod vivo;
pub mod xiaomi;

/// One push to one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The device's token, as its vendor gave it to the phone.
    pub token: String,
    /// "履职" and "3 条新通知": kinds and counts only.
    pub text: PushText,
    /// What the app opens when the push is tapped: a kind (`notice`, …) or `mixed`.
    pub kind: String,
    /// Unique per push and device, the same on every retry: vendors that take a request id
    /// (vivo's `requestId`, APNs' `apns-id`) drop a repeat of it.
    pub message_id: String,
    /// The same for every push to one person's devices until it is read: the phone replaces a
    /// shown notification with the same id instead of stacking a second (APNs'
    /// `apns-collapse-id`, HMS's and Honor's `tag`, Xiaomi's and OPPO's `notify_id`).
    pub collapse_id: String,
}

/// What became of one push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The vendor took it.
    Sent,
    /// The vendor says this token is no longer valid (uninstalled, expired): prune the device.
    InvalidToken { reason: String },
    /// Throttled, a daily quota used up, or the vendor unavailable: try again after `after`.
    Retry { after: Duration, reason: String },
    /// Refused for good (a malformed request): record it, do not retry.
    Failed { reason: String },
}

/// One configured vendor.
pub enum Vendor {
    Apns(apns::Apns),
    Hms(hms::Hms),
    Honor(honor::Honor),
    Xiaomi(xiaomi::Xiaomi),
    Oppo(oppo::Oppo),
    Vivo(vivo::Vivo),
}

impl Vendor {
    pub fn kind(&self) -> PushVendor {
        match self {
            Vendor::Apns(_) => PushVendor::Apns,
            Vendor::Hms(_) => PushVendor::Hms,
            Vendor::Honor(_) => PushVendor::Honor,
            Vendor::Xiaomi(_) => PushVendor::Xiaomi,
            Vendor::Oppo(_) => PushVendor::Oppo,
            Vendor::Vivo(_) => PushVendor::Vivo,
        }
    }

    /// Sends `batch` (at most [`Vendor::max_batch`]); one answer per push, in order.
    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        match self {
            Vendor::Apns(v) => v.send(batch).await,
            Vendor::Hms(v) => v.send(batch).await,
            Vendor::Honor(v) => v.send(batch).await,
            Vendor::Xiaomi(v) => v.send(batch).await,
            Vendor::Oppo(v) => v.send(batch).await,
            Vendor::Vivo(v) => v.send(batch).await,
        }
    }

    /// How many pushes one call of [`Vendor::send`] takes.
    pub fn max_batch(&self) -> usize {
        match self {
            Vendor::Apns(_) => apns::MAX_BATCH,
            Vendor::Hms(_) => hms::MAX_BATCH,
            Vendor::Honor(_) => honor::MAX_BATCH,
            Vendor::Xiaomi(_) => xiaomi::MAX_BATCH,
            Vendor::Oppo(_) => oppo::MAX_BATCH,
            Vendor::Vivo(_) => vivo::MAX_BATCH,
        }
    }
}
