//! Text messages for what is urgent (a notice marked 紧急, a meeting cancelled within a day) to
//! people no push reaches: one provider interface, with Alibaba Cloud's and Tencent Cloud's SMS
//! APIs behind it. The message is a template the provider has approved, filled with a kind and
//! a count only.

use crate::push::vendors::Delivery;

pub mod aliyun;
pub mod tencent;

/// One text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sms {
    /// Mainland mobile number, 11 digits (the adapters add +86 where their API wants it).
    pub phone: String,
    /// The template's parameters, in order: e.g. [("kind", "紧急通知"), ("count", "1")].
    pub params: Vec<(String, String)>,
    /// Unique per message, the same on every retry (Alibaba's `OutId`, Tencent's `SessionContext`).
    pub message_id: String,
}

/// The configured provider.
pub enum SmsProvider {
    Aliyun(aliyun::Aliyun),
    Tencent(tencent::Tencent),
}

impl SmsProvider {
    pub fn name(&self) -> &'static str {
        match self {
            SmsProvider::Aliyun(_) => "aliyun",
            SmsProvider::Tencent(_) => "tencent",
        }
    }

    /// Sends one message. `InvalidToken` here means the number is not a valid mobile number.
    pub async fn send(&self, sms: &Sms) -> Delivery {
        match self {
            SmsProvider::Aliyun(p) => p.send(sms).await,
            SmsProvider::Tencent(p) => p.send(sms).await,
        }
    }
}
