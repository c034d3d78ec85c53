//! 社情民意, 网络议政, remote-consultation speeches and 协商在基层 for the apps: the values
//! that cross (restated for UniFFI over the crates that own them, like `duty.rs`), the calls on
//! `LvzhiApp`, and the live lists' listeners.

use lvzhi_client::ActionForm;
use std::sync::Arc;

use lvzhi_client::consult::{
    ConsultHit, ConsultationItem, EditionView, PostView, ReportDetail, ReportItem, SendUpOption, SpeakerLine, StepView,
    TopicDetail, TopicItem,
};
use lvzhi_domain::consult::grassroots::{
    ConsensusDraft, ConsensusPoint, ConsensusStatus, Consultation, ConsultationDraft,
};
use lvzhi_domain::consult::report::{
    Body, Destination, Edition, FieldChange, Forwarding, Instruction, Level, Report, ReportContent, ReportState,
    StaffStep, StatsRow, Step,
};
use lvzhi_domain::consult::topic::{Summary, Topic, TopicDraft};
use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::org::Role;

use lvzhi_domain::files::Attachment;

use crate::app::{FfiResult, LvzhiApp, on_runtime};
use crate::listeners::Subscription;

// --- 社情民意 ------------------------------------------------------------------------------

#[uniffi::remote(Record)]
pub struct ReportContent {
    pub title: String,
    pub situation: String,
    pub analysis: String,
    pub suggestion: String,
    #[uniffi(default = [])]
    pub attachments: Vec<Attachment>,
}

#[uniffi::remote(Enum)]
pub enum ReportState {
    Draft,
    Submitted,
    Returned,
    Rejected,
    Accepted,
    Edited,
    SentUp,
    Instructed,
    FedBack,
}

#[uniffi::remote(Enum)]
pub enum Level {
    Province,
    Prefecture,
    County,
}

#[uniffi::remote(Enum)]
pub enum Body {
    Cppcc,
    PartyCommittee,
    Government,
}

#[uniffi::remote(Record)]
pub struct Destination {
    pub body: Body,
    pub level: Level,
    pub org_id: String,
}

#[uniffi::remote(Record)]
pub struct Forwarding {
    pub destinations: Vec<Destination>,
    pub date_ms: i64,
    pub by: String,
}

#[uniffi::remote(Record)]
pub struct Edition {
    pub org_id: String,
    pub issue: String,
    pub content: ReportContent,
    pub by: String,
    pub at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct Instruction {
    pub leader: String,
    pub level: Level,
    pub text: String,
    pub date_ms: i64,
    pub recorded_by: String,
}

#[uniffi::remote(Record)]
pub struct Step {
    pub seq: u32,
    pub action: String,
    pub actor_id: String,
    pub role: Role,
    pub org_id: String,
    pub at_ms: i64,
    pub to_state: ReportState,
    pub note: String,
    pub prev_hash: String,
    pub hash: String,
}

#[uniffi::remote(Record)]
pub struct Report {
    pub id: String,
    pub org_id: String,
    pub author_ids: Vec<String>,
    pub author_group: Option<String>,
    pub content: ReportContent,
    pub state: ReportState,
    pub created_at_ms: i64,
    pub submitted_at_ms: Option<i64>,
    pub accepted_at_ms: Option<i64>,
    pub reason: Option<String>,
    pub editions: Vec<Edition>,
    pub forwardings: Vec<Forwarding>,
    pub instructions: Vec<Instruction>,
    pub feedback: Option<String>,
    pub from_proposal: Option<String>,
    pub source: Option<lvzhi_domain::liaison::RaisedFrom>,
    pub history: Vec<Step>,
    pub updated_at_ms: i64,
}

#[uniffi::remote(Enum)]
pub enum StaffStep {
    Accept,
    Return { reason: String },
    Reject { reason: String },
    Edit { issue: String, content: ReportContent },
    SendUp { destinations: Vec<Destination>, date_ms: i64 },
    Instruct { leader: String, level: Level, text: String, date_ms: i64 },
    FeedBack { text: String },
}

#[uniffi::remote(Record)]
pub struct FieldChange {
    pub field: String,
    pub original: String,
    pub edited: String,
}

#[uniffi::remote(Record)]
pub struct ReportItem {
    pub id: String,
    pub title: String,
    pub state: ReportState,
    pub state_label: String,
    pub org_name: String,
    pub authors: String,
    pub updated_at_ms: i64,
    pub chars: u32,
    pub mine: bool,
    pub adopted_above: bool,
    pub from_proposal: Option<String>,
}

#[uniffi::remote(Record)]
pub struct EditionView {
    pub org_name: String,
    pub issue: String,
    pub at_ms: i64,
    pub content: ReportContent,
    pub changes: Vec<FieldChange>,
}

#[uniffi::remote(Record)]
pub struct StepView {
    pub action_label: String,
    pub actor_name: String,
    pub at_ms: i64,
    pub state_label: String,
    pub note: String,
}

#[uniffi::remote(Record)]
pub struct ReportDetail {
    pub item: ReportItem,
    pub report: Report,
    pub editions: Vec<EditionView>,
    pub history: Vec<StepView>,
    pub history_intact: bool,
    pub length_warning: Option<String>,
    pub can_edit: bool,
    pub staff_steps: Vec<String>,
    pub send_up_options: Vec<SendUpOption>,
    pub actions: Vec<ActionForm>,
}

#[uniffi::remote(Record)]
pub struct SendUpOption {
    pub label: String,
    pub destination: Destination,
}

#[uniffi::remote(Record)]
pub struct StatsRow {
    pub org_id: String,
    pub org_name: String,
    pub month: String,
    pub submitted: u32,
    pub accepted: u32,
    pub edited: u32,
    pub sent_up: u32,
    pub instructed: u32,
    pub adopted_above: u32,
    pub adopted_from_below: u32,
}

// --- 网络议政 ------------------------------------------------------------------------------

#[uniffi::remote(Record)]
pub struct TopicDraft {
    pub title: String,
    pub background: String,
    pub audience: Audience,
    pub opens_at_ms: i64,
    pub closes_at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct Summary {
    pub text: String,
    pub quoted: Vec<String>,
    pub by: String,
    pub at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct Topic {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub background: String,
    pub audience: Audience,
    pub opens_at_ms: i64,
    pub closes_at_ms: i64,
    pub grace_hours: u32,
    pub closed_early: bool,
    pub summary: Option<Summary>,
    pub created_by: String,
    pub created_at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct TopicItem {
    pub id: String,
    pub title: String,
    pub org_name: String,
    pub status_label: String,
    pub opens_at_ms: i64,
    pub closes_at_ms: i64,
    pub posts: u32,
    pub my_posts: u32,
}

#[uniffi::remote(Record)]
pub struct PostView {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub reply_to: Option<String>,
    pub text: String,
    pub hidden_reason: Option<String>,
    pub hidden_text: Option<String>,
    pub written_at_ms: i64,
    pub edited: bool,
    pub seconds: u32,
    pub seconded_by_me: bool,
    pub mine: bool,
    pub used: bool,
    pub actions: Vec<ActionForm>,
}

#[uniffi::remote(Record)]
pub struct TopicDetail {
    pub item: TopicItem,
    pub topic: Topic,
    pub posts: Vec<PostView>,
    pub can_post: bool,
    pub can_manage: bool,
    pub actions: Vec<ActionForm>,
}

#[uniffi::remote(Record)]
pub struct ConsultHit {
    pub kind_label: String,
    pub id: String,
    pub title: String,
}

// --- 远程协商, 协商在基层 --------------------------------------------------------------------

#[uniffi::remote(Record)]
pub struct SpeakerLine {
    pub person_id: String,
    pub name: String,
    pub text: String,
    pub order: Option<u32>,
    pub spoke: bool,
}

#[uniffi::remote(Enum)]
pub enum ConsensusStatus {
    InProgress,
    Done,
    NotDone,
}

#[uniffi::remote(Record)]
pub struct ConsensusDraft {
    pub text: String,
    pub unit: String,
}

#[uniffi::remote(Record)]
pub struct ConsultationDraft {
    pub township: String,
    pub topic: String,
    pub date_ms: i64,
    pub place: String,
    pub member_ids: Vec<String>,
    pub residents: u32,
    pub points: Vec<ConsensusDraft>,
}

#[uniffi::remote(Record)]
pub struct ConsensusPoint {
    pub id: String,
    pub text: String,
    pub unit: String,
    pub status: ConsensusStatus,
    pub note: String,
    pub updated_at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct Consultation {
    pub id: String,
    pub org_id: String,
    pub township: String,
    pub topic: String,
    pub date_ms: i64,
    pub place: String,
    pub member_ids: Vec<String>,
    pub residents: u32,
    pub points: Vec<ConsensusPoint>,
    pub recorded_by: String,
    pub created_at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct ConsultationItem {
    pub id: String,
    pub org_name: String,
    pub township: String,
    pub topic: String,
    pub date_ms: i64,
    pub residents: u32,
    pub members: u32,
    pub points: u32,
    pub points_done: u32,
}

// --- Listeners ---------------------------------------------------------------------------

#[uniffi::export(with_foreign)]
pub trait ReportListListener: Send + Sync {
    fn on_reports(&self, reports: Vec<ReportItem>);
}

#[uniffi::export(with_foreign)]
pub trait TopicListListener: Send + Sync {
    fn on_topics(&self, topics: Vec<TopicItem>);
}

// --- Calls -------------------------------------------------------------------------------

#[uniffi::export]
impl LvzhiApp {
    // 社情民意

    /// Reports on this device, latest change first; `state` filters (staff list by state).
    pub fn reports(&self, state: Option<ReportState>) -> FfiResult<Vec<ReportItem>> {
        Ok(self.client().reports(state)?)
    }

    pub fn report(&self, id: String) -> FfiResult<ReportDetail> {
        Ok(self.client().report(&id)?)
    }

    pub fn create_report(
        &self,
        content: ReportContent,
        co_authors: Vec<String>,
        author_group: Option<String>,
    ) -> FfiResult<String> {
        Ok(self.client().create_report(content, co_authors, author_group)?)
    }

    pub fn save_report(&self, id: String, content: ReportContent) -> FfiResult<()> {
        Ok(self.client().save_report(&id, content)?)
    }

    pub fn submit_report(&self, id: String) -> FfiResult<()> {
        Ok(self.client().submit_report(&id)?)
    }

    /// Staff: 受理, 退回, 不予采用, 编发 (or adopt, above), 报送, 批示, 反馈.
    pub fn report_step(&self, id: String, step: StaffStep) -> FfiResult<()> {
        Ok(self.client().report_step(&id, step)?)
    }

    /// Staff: statistics of their organisation (or one under it) by organisation and month
    /// (network).
    pub async fn report_stats(&self, org_id: Option<String>) -> FfiResult<Vec<StatsRow>> {
        let client = self.client().clone();
        on_runtime(async move { client.report_stats(org_id.as_deref()).await }).await
    }

    pub fn observe_reports(&self, listener: Arc<dyn ReportListListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_reports(move |r| listener.on_reports(r)))
    }

    // 网络议政

    pub fn topics(&self) -> FfiResult<Vec<TopicItem>> {
        Ok(self.client().topics()?)
    }

    pub fn topic(&self, id: String) -> FfiResult<TopicDetail> {
        Ok(self.client().topic(&id)?)
    }

    pub fn open_topic(&self, org_id: Option<String>, draft: TopicDraft) -> FfiResult<String> {
        Ok(self.client().open_topic(org_id.as_deref(), draft)?)
    }

    pub fn close_topic(&self, id: String) -> FfiResult<()> {
        Ok(self.client().close_topic(&id)?)
    }

    pub fn summarise_topic(&self, id: String, text: String, quoted: Vec<String>) -> FfiResult<()> {
        Ok(self.client().summarise_topic(&id, &text, quoted)?)
    }

    pub fn write_post(&self, topic_id: String, reply_to: Option<String>, text: String) -> FfiResult<String> {
        Ok(self.client().write_post(&topic_id, reply_to.as_deref(), &text)?)
    }

    pub fn edit_post(&self, post_id: String, text: String) -> FfiResult<()> {
        Ok(self.client().edit_post(&post_id, &text)?)
    }

    /// 附议
    pub fn second_post(&self, post_id: String) -> FfiResult<()> {
        Ok(self.client().second_post(&post_id)?)
    }

    pub fn hide_post(&self, post_id: String, reason: String) -> FfiResult<()> {
        Ok(self.client().hide_post(&post_id, &reason)?)
    }

    pub fn observe_topics(&self, listener: Arc<dyn TopicListListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_topics(move |t| listener.on_topics(t)))
    }

    pub fn search_consult(&self, query: String) -> FfiResult<Vec<ConsultHit>> {
        Ok(self.client().search_consult(&query)?)
    }

    // 远程协商

    pub fn apply_to_speak(&self, meeting_id: String, text: String) -> FfiResult<()> {
        Ok(self.client().apply_to_speak(&meeting_id, &text)?)
    }

    pub fn order_speakers(&self, meeting_id: String, person_ids: Vec<String>) -> FfiResult<()> {
        Ok(self.client().order_speakers(&meeting_id, person_ids)?)
    }

    pub fn mark_spoke(&self, meeting_id: String, person_id: String) -> FfiResult<()> {
        Ok(self.client().mark_spoke(&meeting_id, &person_id)?)
    }

    pub fn speakers(&self, meeting_id: String) -> FfiResult<Vec<SpeakerLine>> {
        Ok(self.client().speakers(&meeting_id)?)
    }

    // 协商在基层

    pub fn record_consultation(&self, draft: ConsultationDraft) -> FfiResult<String> {
        Ok(self.client().record_consultation(draft)?)
    }

    pub fn follow_up_consensus(
        &self,
        id: String,
        point_id: String,
        status: ConsensusStatus,
        note: String,
    ) -> FfiResult<()> {
        Ok(self.client().follow_up_consensus(&id, &point_id, status, &note)?)
    }

    pub fn consultations(&self) -> FfiResult<Vec<ConsultationItem>> {
        Ok(self.client().consultations()?)
    }

    pub fn consultation(&self, id: String) -> FfiResult<Consultation> {
        Ok(self.client().consultation(&id)?)
    }
}
