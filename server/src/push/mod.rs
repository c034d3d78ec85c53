//! Telling people when something needs them: push through APNs and each phone maker's channel,
//! and SMS for what is urgent. Phones never link this; they register their token through sync
//! (`MutationKind::RegisterPushToken`) and, woken, sync and show the real text from their own
//! database: a push names a kind and a count, never content.
//!
//! The way from a change to a device is durable ([`queue`]): the event is written in the
//! transaction of the change ([`events`]), a sender in each server process ([`sender`]) turns
//! events into pushes and hands them to the vendors ([`vendors`], [`sms`]).

pub mod config;
pub mod devices;
pub mod events;
pub mod queue;
pub mod secret;
pub mod sender;
pub mod sms;
pub mod vendors;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

pub use config::PushConfig;

/// Push as this process runs it: the vendors configured, and what wakes the sender.
pub struct Push {
    vendors: BTreeMap<String, Arc<vendors::Vendor>>,
    sms: Option<Arc<sms::SmsProvider>>,
    channels: queue::Channels,
    wake: Arc<tokio::sync::Notify>,
    /// How often the sender looks at the queue when nothing woke it (other processes' events,
    /// quiet hours ending, retries coming due).
    pub poll: Duration,
}

impl Push {
    /// The vendors and SMS provider of `config`; `None` when it names none (push off).
    pub fn new(config: &PushConfig) -> Result<Option<Push>, String> {
        let mut vendors = BTreeMap::new();
        let mut add = |v: vendors::Vendor| {
            vendors.insert(v.kind().as_str().to_string(), Arc::new(v));
        };
        if let Some(c) = &config.apns {
            add(vendors::Vendor::Apns(vendors::apns::Apns::new(c.clone()).map_err(|e| format!("apns: {e}"))?));
        }
        if let Some(c) = &config.hms {
            add(vendors::Vendor::Hms(vendors::hms::Hms::new(c.clone()).map_err(|e| format!("hms: {e}"))?));
        }
        if let Some(c) = &config.honor {
            add(vendors::Vendor::Honor(vendors::honor::Honor::new(c.clone()).map_err(|e| format!("honor: {e}"))?));
        }
        if let Some(c) = &config.xiaomi {
            add(vendors::Vendor::Xiaomi(vendors::xiaomi::Xiaomi::new(c.clone()).map_err(|e| format!("xiaomi: {e}"))?));
        }
        if let Some(c) = &config.oppo {
            add(vendors::Vendor::Oppo(vendors::oppo::Oppo::new(c.clone()).map_err(|e| format!("oppo: {e}"))?));
        }
        if let Some(c) = &config.vivo {
            add(vendors::Vendor::Vivo(vendors::vivo::Vivo::new(c.clone()).map_err(|e| format!("vivo: {e}"))?));
        }
        let sms = match &config.sms {
            Some(config::SmsConfig::Aliyun(c)) => {
                Some(sms::SmsProvider::Aliyun(sms::aliyun::Aliyun::new(c.clone()).map_err(|e| format!("sms: {e}"))?))
            }
            Some(config::SmsConfig::Tencent(c)) => {
                Some(sms::SmsProvider::Tencent(sms::tencent::Tencent::new(c.clone()).map_err(|e| format!("sms: {e}"))?))
            }
            None => None,
        };
        if vendors.is_empty() && sms.is_none() {
            return Ok(None);
        }
        let channels = queue::Channels {
            vendors: vendors.keys().cloned().collect(),
            sms: sms.is_some(),
            coalesce: config.coalesce(),
        };
        Ok(Some(Push {
            vendors,
            sms: sms.map(Arc::new),
            channels,
            wake: Arc::new(tokio::sync::Notify::new()),
            poll: Duration::from_millis(config.poll_millis.unwrap_or(1_000)),
        }))
    }

    /// Something was recorded: the sender looks now rather than at its next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// A line for the log at start: what is on.
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.vendors.keys().map(String::as_str).collect();
        let sms = self.sms.as_ref().map_or("off", |s| s.name());
        format!("push on: {}; SMS: {sms}", if names.is_empty() { "no vendor".to_string() } else { names.join(", ") })
    }
}
