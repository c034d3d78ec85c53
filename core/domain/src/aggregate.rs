//! Aggregates: the units the phone rebuilds from the server's versions of their parts plus
//! its pending mutations (proposals and chat have their own). Which aggregate a mutation or an
//! entity belongs to, and which entities make one, are in `protocol`.

use serde::{Deserialize, Serialize};

/// What a phone takes back and installs again as one: a notice with its receipts, a meeting
/// with its attendance, a report, a topic, a post, a material with its studies, a news item…
/// On the phone, its server version is installed again and the pending mutations on it
/// replayed when the server's answer arrives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "root", content = "id", rename_all = "snake_case")]
pub enum Aggregate {
    /// A notice with its receipts and its audience list.
    Notice(String),
    /// A meeting with its attendance.
    Meeting(String),
    /// A speech or a self-reported duty.
    Entry(String),
    Feedback(String),
    /// An organisation's point rules.
    Rules(String),
    /// A 社情民意 report.
    Report(String),
    /// A 网络议政 topic.
    Topic(String),
    /// One post on a topic (with its seconds).
    Post(String),
    /// A grassroots consultation with its points of consensus.
    Consultation(String),
    /// A study material with the studies of it on this phone.
    Material(String),
    /// A reading group's plan.
    ReadingPlan(String),
    ReadingNote(String),
    News(String),
    /// A member's file with the corrections asked of it (id = the person's).
    MemberFile(String),
    /// A person in a member's register.
    Contact(String),
    /// A contact in a member's log.
    ContactLog(String),
    /// A 委员工作室.
    Studio(String),
    /// A message left at a studio, with its answer.
    StudioMessage(String),
}
