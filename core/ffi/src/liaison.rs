//! 委员档案, 联络联系 and 委员工作室 across the FFI: the member's file and corrections, the
//! directory (no phones), the register and log of contacts with the drafts made from them, the
//! studios with the member's duty days and their messages; staff's parts too.

use lvzhi_client::liaison::{
    ContactLogLine, ContactSummary, CorrectionLine, DirectoryLine, DraftLink, FileLine, MyFile, StudioLine,
    StudioMessageLine,
};
use lvzhi_domain::files::Attachment;
use lvzhi_domain::liaison::RaisedFrom;
use lvzhi_domain::liaison::contacts::{
    Contact, ContactDraft, ContactLog, ContactLogDraft, ContactWay, SectorActivity, SectorReport,
};
use lvzhi_domain::liaison::studio::{DutyDay, Studio, StudioAnswer, StudioDraft, StudioMessage};
use lvzhi_domain::member_file::{CorrectionState, FileChange, FileCorrection, FileFields, Gender, MemberFile};

use crate::app::{FfiResult, LvzhiApp, on_runtime};

#[uniffi::remote(Enum)]
pub enum RaisedFrom {
    ContactLog(String),
    StudioMessage(String),
}

#[uniffi::remote(Enum)]
pub enum Gender {
    Male,
    Female,
}

#[uniffi::remote(Record)]
pub struct FileFields {
    pub gender: Option<Gender>,
    pub ethnicity: String,
    pub party: String,
    pub employer_title: String,
    pub term: String,
    pub phone: String,
}

#[uniffi::remote(Record)]
pub struct FileChange {
    pub version: u32,
    pub by: String,
    pub at_ms: i64,
    pub fields: Vec<String>,
    pub correction_id: Option<String>,
}

#[uniffi::remote(Record)]
pub struct MemberFile {
    pub person_id: String,
    pub org_id: String,
    pub fields: FileFields,
    pub version: u32,
    pub updated_at_ms: i64,
    pub history: Vec<FileChange>,
}

#[uniffi::remote(Enum)]
pub enum CorrectionState {
    Pending,
    Approved,
    Returned,
}

#[uniffi::remote(Record)]
pub struct FileCorrection {
    pub id: String,
    pub person_id: String,
    pub org_id: String,
    pub base_version: u32,
    pub base: FileFields,
    pub proposed: FileFields,
    pub note: String,
    pub state: CorrectionState,
    pub asked_at_ms: i64,
    pub decided_by: Option<String>,
    pub decided_at_ms: Option<i64>,
    pub reason: Option<String>,
}

#[uniffi::remote(Record)]
pub struct MyFile {
    pub file: Option<MemberFile>,
    pub corrections: Vec<FileCorrection>,
    pub pending: bool,
}

#[uniffi::remote(Record)]
pub struct DirectoryLine {
    pub person_id: String,
    pub name: String,
    pub groups: Vec<String>,
    pub employer_title: String,
}

#[uniffi::remote(Record)]
pub struct FileLine {
    pub person_id: String,
    pub name: String,
    pub file: Option<MemberFile>,
}

#[uniffi::remote(Record)]
pub struct CorrectionLine {
    pub correction: FileCorrection,
    pub name: String,
    pub current: Option<FileFields>,
    pub changes: Vec<String>,
}

#[uniffi::remote(Enum)]
pub enum ContactWay {
    Visit,
    Forum,
    Phone,
    Online,
}

#[uniffi::remote(Record)]
pub struct ContactDraft {
    pub name: String,
    pub sector: String,
    pub phone: String,
    pub note: String,
}

#[uniffi::remote(Record)]
pub struct Contact {
    pub id: String,
    pub owner_id: String,
    pub org_id: String,
    pub name: String,
    pub sector: String,
    pub phone: String,
    pub note: String,
    pub removed: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct ContactLogDraft {
    pub contact_ids: Vec<String>,
    pub date: String,
    pub way: ContactWay,
    pub raised: String,
}

#[uniffi::remote(Record)]
pub struct ContactLog {
    pub id: String,
    pub owner_id: String,
    pub org_id: String,
    pub contact_ids: Vec<String>,
    pub date: String,
    pub way: ContactWay,
    pub raised: String,
    pub logged_at_ms: i64,
    pub updated_at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct DraftLink {
    pub kind: String,
    pub id: String,
}

#[uniffi::remote(Record)]
pub struct ContactLogLine {
    pub log: ContactLog,
    pub way_label: String,
    pub names: Vec<String>,
    pub drafts: Vec<DraftLink>,
}

#[uniffi::remote(Record)]
pub struct ContactSummary {
    pub year: i32,
    pub people_reached: u32,
    pub expected: Option<u32>,
    pub contacts_logged: u32,
}

#[uniffi::remote(Record)]
pub struct SectorActivity {
    pub org_id: String,
    pub org_name: String,
    pub month: String,
    pub members: u32,
    pub active_members: u32,
    pub contacts: u32,
    pub people: u32,
    pub raised: u32,
    pub withheld: bool,
}

#[uniffi::remote(Record)]
pub struct SectorReport {
    pub group_id: String,
    pub sector_name: String,
    pub org_name: String,
    pub rows: Vec<SectorActivity>,
}

#[uniffi::remote(Record)]
pub struct DutyDay {
    pub date: String,
    pub person_ids: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct StudioDraft {
    pub name: String,
    pub place: String,
    pub opening_hours: String,
    pub member_ids: Vec<String>,
    pub roster: Vec<DutyDay>,
    pub open: bool,
}

#[uniffi::remote(Record)]
pub struct Studio {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub place: String,
    pub opening_hours: String,
    pub member_ids: Vec<String>,
    pub roster: Vec<DutyDay>,
    pub open: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct StudioAnswer {
    pub text: String,
    pub by: String,
    pub at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct StudioMessage {
    pub id: String,
    pub studio_id: String,
    pub org_id: String,
    pub text: String,
    pub name: String,
    pub phone: String,
    pub photo: Option<Attachment>,
    pub received_at_ms: i64,
    pub date: String,
    pub answer: Option<StudioAnswer>,
    pub raised_by: Option<String>,
}

#[uniffi::remote(Record)]
pub struct StudioLine {
    pub studio: Studio,
    pub member_names: Vec<String>,
    pub my_duty_days: Vec<String>,
    pub on_duty_today: bool,
    pub unanswered: u32,
}

#[uniffi::remote(Record)]
pub struct StudioMessageLine {
    pub message: StudioMessage,
    pub studio_name: String,
    pub answered_by: Option<String>,
    pub drafts: Vec<DraftLink>,
}

#[uniffi::export]
impl LvzhiApp {
    // --- 委员档案 ---

    pub fn my_file(&self) -> FfiResult<MyFile> {
        Ok(self.client().my_file()?)
    }

    /// Asks staff to correct the member's file; returns the correction's id.
    pub fn request_file_correction(&self, proposed: FileFields, note: String) -> FfiResult<String> {
        Ok(self.client().request_file_correction(proposed, &note)?)
    }

    /// The members of the user's organisations: name, 界别, 专委会, 单位职务 (never a phone).
    pub fn directory(&self, query: Option<String>) -> FfiResult<Vec<DirectoryLine>> {
        Ok(self.client().directory(query.as_deref())?)
    }

    pub fn member_files(&self) -> FfiResult<Vec<FileLine>> {
        Ok(self.client().member_files()?)
    }

    pub fn keep_member_file(&self, person_id: String, fields: FileFields) -> FfiResult<()> {
        Ok(self.client().keep_member_file(&person_id, fields)?)
    }

    pub fn pending_corrections(&self) -> FfiResult<Vec<CorrectionLine>> {
        Ok(self.client().pending_corrections()?)
    }

    pub fn decide_file_correction(&self, id: String, approve: bool, reason: String) -> FfiResult<()> {
        Ok(self.client().decide_file_correction(&id, approve, &reason)?)
    }

    // --- 联络联系 ---

    pub fn contacts(&self) -> FfiResult<Vec<Contact>> {
        Ok(self.client().contacts()?)
    }

    /// Adds a person to the register (`id` absent) or corrects one; returns the id.
    pub fn save_contact(&self, id: Option<String>, draft: ContactDraft) -> FfiResult<String> {
        Ok(self.client().save_contact(id.as_deref(), draft)?)
    }

    pub fn remove_contact(&self, id: String) -> FfiResult<()> {
        Ok(self.client().remove_contact(&id)?)
    }

    pub fn contact_log(&self) -> FfiResult<Vec<ContactLogLine>> {
        Ok(self.client().contact_log()?)
    }

    /// Logs a contact (`id` absent) or corrects one; returns the id.
    pub fn log_contact(&self, id: Option<String>, draft: ContactLogDraft) -> FfiResult<String> {
        Ok(self.client().log_contact(id.as_deref(), draft)?)
    }

    pub fn contact_summary(&self) -> FfiResult<ContactSummary> {
        Ok(self.client().contact_summary()?)
    }

    /// A 社情民意 draft of what a contact raised, linked to it; returns the report's id.
    pub fn report_from_contact(&self, log_id: String) -> FfiResult<String> {
        Ok(self.client().report_from_contact(&log_id)?)
    }

    /// A proposal draft of what a contact raised; returns the proposal's id.
    pub fn proposal_from_contact(&self, log_id: String, session_id: String) -> FfiResult<String> {
        Ok(self.client().proposal_from_contact(&log_id, &session_id)?)
    }

    /// A convener's sectors by organisation and month (network; empty for others).
    pub async fn sector_activity(&self) -> FfiResult<Vec<SectorReport>> {
        let client = self.client().clone();
        on_runtime(async move { client.sector_activity().await }).await
    }

    // --- 委员工作室 ---

    pub fn studios(&self) -> FfiResult<Vec<StudioLine>> {
        Ok(self.client().studios()?)
    }

    pub fn studio_messages(&self) -> FfiResult<Vec<StudioMessageLine>> {
        Ok(self.client().studio_messages()?)
    }

    pub fn answer_studio_message(&self, id: String, answer: String) -> FfiResult<()> {
        Ok(self.client().answer_studio_message(&id, &answer)?)
    }

    /// A 社情民意 draft of a resident's message (without their name or phone); returns its id.
    pub fn report_from_message(&self, message_id: String) -> FfiResult<String> {
        Ok(self.client().report_from_message(&message_id)?)
    }

    pub fn save_studio(&self, id: Option<String>, draft: StudioDraft) -> FfiResult<String> {
        Ok(self.client().save_studio(id.as_deref(), draft)?)
    }
}

/// A way of contact's label (走访, 座谈, 电话, 线上).
#[uniffi::export]
pub fn contact_way_label(way: ContactWay) -> String {
    way.label().into()
}

/// Every way of contact, in the order a form lists them.
#[uniffi::export]
pub fn contact_ways() -> Vec<ContactWay> {
    ContactWay::ALL.to_vec()
}

/// Today's date in China (`YYYY-MM-DD`), what a new contact's date starts as.
#[uniffi::export]
pub fn china_today() -> String {
    lvzhi_domain::liaison::today(lvzhi_domain::time::to_millis(lvzhi_domain::time::now()))
        .format("%Y-%m-%d")
        .to_string()
}
