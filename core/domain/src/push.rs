//! Push notifications: which phone maker's channel a device is reached through, what a person
//! is told about, and when. The server sends; the phone registers its token and keeps the same
//! settings (they travel through sync), so both read these rules from here.
//!
//! A push names a kind and a count ("3 条新通知"), never a notice's title or text: the vendors'
//! servers see nothing of the content; the phone wakes, syncs, and shows the real text from
//! its own database.

use std::collections::BTreeMap;

use chrono::{Duration, TimeZone, Timelike};
use serde::{Deserialize, Serialize};

use crate::time::{Timestamp, cst};

/// The channel a device is reached through: Google's does not exist in mainland China, so each
/// phone maker's own, and APNs on iPhones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushVendor {
    /// Apple Push Notification service (iPhone).
    Apns,
    /// Huawei HMS Push Kit.
    Hms,
    /// Honor Push.
    Honor,
    /// Xiaomi MiPush.
    Xiaomi,
    /// OPPO Push (also OnePlus, realme).
    Oppo,
    /// vivo Push (also iQOO).
    Vivo,
}

impl PushVendor {
    pub const ALL: [PushVendor; 6] =
        [PushVendor::Apns, PushVendor::Hms, PushVendor::Honor, PushVendor::Xiaomi, PushVendor::Oppo, PushVendor::Vivo];

    pub fn as_str(self) -> &'static str {
        match self {
            PushVendor::Apns => "apns",
            PushVendor::Hms => "hms",
            PushVendor::Honor => "honor",
            PushVendor::Xiaomi => "xiaomi",
            PushVendor::Oppo => "oppo",
            PushVendor::Vivo => "vivo",
        }
    }

    pub fn parse(s: &str) -> Option<PushVendor> {
        PushVendor::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The channel of an Android phone by its maker (`Build.MANUFACTURER`): Huawei's, Honor's,
    /// Xiaomi's (and Redmi's), OPPO's (with OnePlus and realme), vivo's (with iQOO); `None` for
    /// makers without their own channel in mainland China (the app then relies on syncing when
    /// opened, and urgent text messages).
    pub fn for_manufacturer(manufacturer: &str) -> Option<PushVendor> {
        match manufacturer.trim().to_ascii_lowercase().as_str() {
            "huawei" => Some(PushVendor::Hms),
            "honor" => Some(PushVendor::Honor),
            "xiaomi" | "redmi" | "poco" => Some(PushVendor::Xiaomi),
            "oppo" | "oneplus" | "realme" => Some(PushVendor::Oppo),
            "vivo" | "iqoo" => Some(PushVendor::Vivo),
            "apple" => Some(PushVendor::Apns),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PushVendor::Apns => "苹果推送",
            PushVendor::Hms => "华为推送",
            PushVendor::Honor => "荣耀推送",
            PushVendor::Xiaomi => "小米推送",
            PushVendor::Oppo => "OPPO推送",
            PushVendor::Vivo => "vivo推送",
        }
    }
}

/// Longest device token any vendor hands out, with room (HMS's are about 130 characters).
pub const MAX_TOKEN_LEN: usize = 512;

/// Whether `token` can be a device token of `vendor`: printable ASCII, not empty, not too long;
/// an APNs token is hexadecimal. The phone refuses a bad one as the server would.
pub fn check_token(vendor: PushVendor, token: &str) -> Result<(), String> {
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Err(format!("推送令牌长度不对（{}）", vendor.label()));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!("推送令牌含有不允许的字符（{}）", vendor.label()));
    }
    if vendor == PushVendor::Apns && !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("苹果推送令牌应为十六进制".into());
    }
    Ok(())
}

/// What a person may be told about. Each is a real duty or a reply to their own work; none is
/// marketing, and every vendor is asked to file them as work messages (私信/系统消息).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushKind {
    /// A notice reached me.
    Notice,
    /// A meeting invitation reached me.
    Meeting,
    /// A meeting of mine changed or was cancelled.
    MeetingChanged,
    /// A proposal of mine was replied to by its handling unit.
    ProposalReply,
    /// A proposal of mine waits for my rating (测评).
    ProposalRating,
    /// I am invited to co-sign a proposal.
    CoSign,
    /// A 社情民意 of mine has feedback (adopted, passed on, a leader's comment).
    ReportFeedback,
    /// Someone @mentioned me in a group.
    Mention,
    /// Staff and units: new work in my queue.
    StaffWork,
    /// A resident left a message at a 委员工作室 I am on duty at (or attached to).
    StudioMessage,
}

impl PushKind {
    pub const ALL: [PushKind; 10] = [
        PushKind::Notice,
        PushKind::Meeting,
        PushKind::MeetingChanged,
        PushKind::ProposalReply,
        PushKind::ProposalRating,
        PushKind::CoSign,
        PushKind::ReportFeedback,
        PushKind::Mention,
        PushKind::StaffWork,
        PushKind::StudioMessage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PushKind::Notice => "notice",
            PushKind::Meeting => "meeting",
            PushKind::MeetingChanged => "meeting_changed",
            PushKind::ProposalReply => "proposal_reply",
            PushKind::ProposalRating => "proposal_rating",
            PushKind::CoSign => "co_sign",
            PushKind::ReportFeedback => "report_feedback",
            PushKind::Mention => "mention",
            PushKind::StaffWork => "staff_work",
            PushKind::StudioMessage => "studio_message",
        }
    }

    pub fn parse(s: &str) -> Option<PushKind> {
        PushKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The switch's name in 设置.
    pub fn label(self) -> &'static str {
        match self {
            PushKind::Notice => "新通知",
            PushKind::Meeting => "会议邀请",
            PushKind::MeetingChanged => "会议变更",
            PushKind::ProposalReply => "提案答复",
            PushKind::ProposalRating => "待测评提案",
            PushKind::CoSign => "联名邀请",
            PushKind::ReportFeedback => "社情民意反馈",
            PushKind::Mention => "群聊@我",
            PushKind::StaffWork => "待办工作",
            PushKind::StudioMessage => "工作室留言",
        }
    }

    /// What `n` of these read as in a push: "3 条新通知".
    fn counted(self, n: u32) -> String {
        match self {
            PushKind::Notice => format!("{n} 条新通知"),
            PushKind::Meeting => format!("{n} 个会议邀请"),
            PushKind::MeetingChanged => format!("{n} 个会议有变更"),
            PushKind::ProposalReply => format!("{n} 件提案已答复"),
            PushKind::ProposalRating => format!("{n} 件提案待测评"),
            PushKind::CoSign => format!("{n} 个联名邀请"),
            PushKind::ReportFeedback => format!("{n} 条社情民意有反馈"),
            PushKind::Mention => format!("群聊中有 {n} 条消息@您"),
            PushKind::StaffWork => format!("{n} 项新的待办工作"),
            PushKind::StudioMessage => format!("{n} 条工作室留言"),
        }
    }
}

/// A person's push settings: kept on the server (which sends) and on each of their phones
/// (which shows the switches), the same through sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    /// Push at all.
    pub enabled: bool,
    /// Kinds switched off (every kind is on unless named here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub off: Vec<PushKind>,
    /// No push between these minutes of the day, China time (22:00–07:00 by default); what
    /// comes then waits for the morning. Equal minutes: no quiet hours.
    pub quiet_from_minute: u16,
    pub quiet_until_minute: u16,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings { enabled: true, off: Vec::new(), quiet_from_minute: 22 * 60, quiet_until_minute: 7 * 60 }
    }
}

impl NotificationSettings {
    pub fn allows(&self, kind: PushKind) -> bool {
        self.enabled && !self.off.contains(&kind)
    }

    /// Settings a person may save: minutes within a day, each kind named once.
    pub fn check(&self) -> Result<(), String> {
        if self.quiet_from_minute >= 24 * 60 || self.quiet_until_minute >= 24 * 60 {
            return Err("免打扰时间不对".into());
        }
        let mut seen = self.off.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.off.len() {
            return Err("通知类别重复".into());
        }
        Ok(())
    }

    /// When a push due at `at` may go out: `at` itself, or the end of the quiet hours it falls in.
    pub fn outside_quiet_hours(&self, at: Timestamp) -> Timestamp {
        let (from, until) = (u32::from(self.quiet_from_minute), u32::from(self.quiet_until_minute));
        if from == until {
            return at;
        }
        let local = at.with_timezone(&cst());
        let minute = local.hour() * 60 + local.minute();
        let quiet = if from < until { (from..until).contains(&minute) } else { minute >= from || minute < until };
        if !quiet {
            return at;
        }
        // The end of this quiet period: today at `until`, or tomorrow when it is already past.
        let midnight = cst()
            .from_local_datetime(&local.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or(at);
        let mut end = midnight + Duration::minutes(i64::from(until));
        if end <= at {
            end += Duration::days(1);
        }
        end
    }
}

/// A person's settings as they travel through sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSettings {
    pub person_id: String,
    pub settings: NotificationSettings,
}

/// What one push says for the items it gathers: a title and a line naming kinds and counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushText {
    pub title: String,
    pub body: String,
    /// The badge: how many items in all.
    pub count: u32,
}

/// The text of one push for several items close together ("3 条新通知"; of different kinds,
/// "您有 4 条新消息：2 条新通知，1 个会议邀请，…"), with no content of any item.
pub fn summary(counts: &BTreeMap<PushKind, u32>) -> PushText {
    let total: u32 = counts.values().sum();
    let parts: Vec<String> = counts.iter().filter(|(_, n)| **n > 0).map(|(k, n)| k.counted(*n)).collect();
    let body = match parts.as_slice() {
        [one] => one.clone(),
        _ => format!("您有 {total} 条新消息：{}", parts.join("，")),
    };
    PushText { title: "履职".into(), body, count: total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn china(d: u32, h: u32, m: u32) -> Timestamp {
        cst().with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap().with_timezone(&chrono::Utc)
    }

    #[test]
    fn a_push_in_the_quiet_hours_waits_for_the_morning() {
        let s = NotificationSettings::default();
        assert_eq!(s.outside_quiet_hours(china(7, 21, 59)), china(7, 21, 59));
        assert_eq!(s.outside_quiet_hours(china(7, 22, 0)), china(8, 7, 0));
        assert_eq!(s.outside_quiet_hours(china(8, 3, 15)), china(8, 7, 0));
        assert_eq!(s.outside_quiet_hours(china(8, 7, 0)), china(8, 7, 0));
        let day = NotificationSettings { quiet_from_minute: 12 * 60, quiet_until_minute: 14 * 60, ..s.clone() };
        assert_eq!(day.outside_quiet_hours(china(8, 13, 0)), china(8, 14, 0));
        assert_eq!(day.outside_quiet_hours(china(8, 23, 0)), china(8, 23, 0));
        let none = NotificationSettings { quiet_from_minute: 0, quiet_until_minute: 0, ..s };
        assert_eq!(none.outside_quiet_hours(china(8, 3, 0)), china(8, 3, 0));
    }

    #[test]
    fn a_summary_names_kinds_and_counts_only() {
        let one = summary(&BTreeMap::from([(PushKind::Notice, 3)]));
        assert_eq!((one.body.as_str(), one.count), ("3 条新通知", 3));
        let mixed = summary(&BTreeMap::from([(PushKind::Notice, 2), (PushKind::Mention, 1)]));
        assert_eq!(mixed.body, "您有 3 条新消息：2 条新通知，群聊中有 1 条消息@您");
    }

    #[test]
    fn tokens_are_checked_alike_on_phone_and_server() {
        assert!(check_token(PushVendor::Apns, &"ab12".repeat(16)).is_ok());
        assert!(check_token(PushVendor::Apns, "not-hex").is_err());
        assert!(check_token(PushVendor::Hms, "").is_err());
        assert!(check_token(PushVendor::Xiaomi, "a b").is_err());
        assert!(check_token(PushVendor::Vivo, &"x".repeat(MAX_TOKEN_LEN + 1)).is_err());
        let twice = NotificationSettings { off: vec![PushKind::Notice, PushKind::Notice], ..Default::default() };
        assert!(twice.check().is_err());
    }
}
