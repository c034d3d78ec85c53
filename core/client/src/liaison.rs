//! 委员档案, 联络联系 and 委员工作室 as the screens show them: the member's own file with the
//! corrections they asked; the directory (no phones); the member's register and log of contacts
//! with the drafts made from them; the studios of the organisation with the member's duty days,
//! and the messages of the studios the member is attached to. Staff keep files, decide
//! corrections and set up studios here too. Everything is written offline and sent with sync.

use lvzhi_domain::ids::new_id;
use lvzhi_domain::liaison::contacts::{Contact, ContactDraft, ContactLog, ContactLogDraft, SectorReport};
use lvzhi_domain::liaison::studio::{Studio, StudioDraft, StudioMessage};
use lvzhi_domain::liaison::{RaiseInto, RaisedFrom, today};
use lvzhi_domain::member_file::{FileCorrection, FileFields, MemberFile};
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::time::to_millis;
use lvzhi_store::liaison::repo;
use lvzhi_store::{member_file, org};
use lvzhi_sync::Result;
use serde::{Deserialize, Serialize};

use crate::Client;

/// The member's own file with the corrections they asked (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MyFile {
    /// `None` until staff keep it.
    pub file: Option<MemberFile>,
    pub corrections: Vec<FileCorrection>,
    /// Whether a correction waits for staff (a second one is still allowed).
    pub pending: bool,
}

/// A person in the directory: name, 界别, 专委会, 单位职务 — never a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectoryLine {
    pub person_id: String,
    pub name: String,
    pub groups: Vec<String>,
    pub employer_title: String,
}

/// A file as staff see it, with the member's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileLine {
    pub person_id: String,
    pub name: String,
    pub file: Option<MemberFile>,
}

/// A correction waiting for staff, with the file it would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionLine {
    pub correction: FileCorrection,
    pub name: String,
    pub current: Option<FileFields>,
    /// The labels of the fields it changes.
    pub changes: Vec<String>,
}

/// A draft made from a contact or a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftLink {
    /// `report` or `proposal`.
    pub kind: String,
    pub id: String,
}

/// A contact in the member's log, with the names of the people met and the drafts made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactLogLine {
    pub log: ContactLog,
    pub way_label: String,
    pub names: Vec<String>,
    pub drafts: Vec<DraftLink>,
}

/// The member's 联络联系 this year, as facts (never a ranking): people reached against the
/// organisation's expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactSummary {
    pub year: i32,
    pub people_reached: u32,
    /// The organisation's yearly expectation (「联系界别群众 5 人」), if it has one.
    pub expected: Option<u32>,
    pub contacts_logged: u32,
}

/// A studio with its members' names and this member's part in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StudioLine {
    pub studio: Studio,
    pub member_names: Vec<String>,
    /// The member's duty days from today on.
    pub my_duty_days: Vec<String>,
    pub on_duty_today: bool,
    /// Messages not answered yet (for its members and staff).
    pub unanswered: u32,
}

/// A message left at a studio, as its members and staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StudioMessageLine {
    pub message: StudioMessage,
    pub studio_name: String,
    pub answered_by: Option<String>,
    pub drafts: Vec<DraftLink>,
}

fn links(c: &lvzhi_sql::Connection, org_id: &str, from: &RaisedFrom) -> lvzhi_store::Result<Vec<DraftLink>> {
    Ok(repo::drafts_from(c, org_id, from)?.into_iter().map(|(kind, id)| DraftLink { kind, id }).collect())
}

impl Client {
    // --- 委员档案 --------------------------------------------------------------------------

    pub fn my_file(&self) -> Result<MyFile> {
        let me = self.person_id()?;
        Ok(self.store().read(|c| {
            let corrections = member_file::corrections_of_person(c, &me)?;
            let pending = corrections.iter().any(|c| c.state == lvzhi_domain::member_file::CorrectionState::Pending);
            Ok::<_, lvzhi_store::Error>(MyFile { file: member_file::file(c, &me)?, corrections, pending })
        })?)
    }

    /// The member asks a correction of their file; staff decide it. Returns its id.
    pub fn request_file_correction(&self, proposed: FileFields, note: &str) -> Result<String> {
        let id = format!("{}@{}", self.person_id()?, new_id());
        let kind = MutationKind::RequestFileCorrection { correction_id: id.clone(), proposed, note: note.into() };
        self.record_duty(&self.sync().member_role()?, kind)?;
        Ok(id)
    }

    /// The members of the user's organisations with what anyone may see of them, by name;
    /// `query` filters by name, group or title.
    pub fn directory(&self, query: Option<&str>) -> Result<Vec<DirectoryLine>> {
        let orgs: Vec<String> = self.actors()?.into_iter().map(|(a, _)| a.org_id).collect();
        let q = query.map(str::trim).filter(|q| !q.is_empty());
        Ok(self.store().read(|c| {
            let mut out: Vec<DirectoryLine> = Vec::new();
            for o in &orgs {
                for (person_id, name) in org::members_of(c, o)? {
                    if out.iter().any(|l| l.person_id == person_id) {
                        continue;
                    }
                    let groups: Vec<String> =
                        org::groups_of(c, &person_id)?.into_iter().filter(|g| &g.org_id == o).map(|g| g.name).collect();
                    let employer_title =
                        member_file::directory_entry(c, &person_id)?.map(|e| e.employer_title).unwrap_or_default();
                    out.push(DirectoryLine { person_id, name, groups, employer_title });
                }
            }
            out.retain(|l| {
                q.is_none_or(|q| {
                    l.name.contains(q) || l.employer_title.contains(q) || l.groups.iter().any(|g| g.contains(q))
                })
            });
            out.sort_by(|a, b| (&a.name, &a.person_id).cmp(&(&b.name, &b.person_id)));
            Ok::<_, lvzhi_store::Error>(out)
        })?)
    }

    /// Staff: the members of their organisation with their files.
    pub fn member_files(&self) -> Result<Vec<FileLine>> {
        let acting = self.staff_role(None)?;
        Ok(self.store().read(|c| {
            org::members_of(c, &acting.org_id)?
                .into_iter()
                .map(|(person_id, name)| Ok(FileLine { file: member_file::file(c, &person_id)?, person_id, name }))
                .collect::<lvzhi_store::Result<Vec<_>>>()
        })?)
    }

    /// Staff keep a member's file.
    pub fn keep_member_file(&self, person_id: &str, fields: FileFields) -> Result<()> {
        let acting = self.staff_role(None)?;
        self.record_duty(&acting, MutationKind::KeepMemberFile { person_id: person_id.into(), fields })
    }

    /// Staff: corrections waiting in their organisations, oldest first.
    pub fn pending_corrections(&self) -> Result<Vec<CorrectionLine>> {
        let orgs = self.staff_orgs()?;
        Ok(self.store().read(|c| {
            let mut out = Vec::new();
            for o in &orgs {
                for corr in member_file::corrections_of_org(c, o, true)? {
                    let current = member_file::file(c, &corr.person_id)?.map(|f| f.fields);
                    let changes = current
                        .as_ref()
                        .map(|f| corr.proposed.changed_from(f).into_iter().map(String::from).collect())
                        .unwrap_or_default();
                    let name = org::person_name(c, &corr.person_id)?;
                    out.push(CorrectionLine { correction: corr, name, current, changes });
                }
            }
            Ok::<_, lvzhi_store::Error>(out)
        })?)
    }

    pub fn decide_file_correction(&self, id: &str, approve: bool, reason: &str) -> Result<()> {
        let corr = self.store().read(|c| member_file::correction(c, id))?;
        let org = corr.map(|c| c.org_id);
        let acting = self.staff_role(org.as_deref())?;
        let kind = MutationKind::DecideFileCorrection { correction_id: id.into(), approve, reason: reason.into() };
        self.record_duty(&acting, kind)
    }

    // --- 联络联系 --------------------------------------------------------------------------

    /// The member's register: current people first, by name.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        let me = self.person_id()?;
        let mut all = self.store().read(|c| repo::contacts_of(c, &me))?;
        all.sort_by(|a, b| (a.removed, &a.name, &a.id).cmp(&(b.removed, &b.name, &b.id)));
        Ok(all)
    }

    /// Adds a person to the register (`id` `None`) or corrects one; returns the id.
    pub fn save_contact(&self, id: Option<&str>, draft: ContactDraft) -> Result<String> {
        let id = id.map_or_else(new_id, String::from);
        self.record_duty(&self.sync().member_role()?, MutationKind::SaveContact { contact_id: id.clone(), draft })?;
        Ok(id)
    }

    pub fn remove_contact(&self, id: &str) -> Result<()> {
        self.record_duty(&self.sync().member_role()?, MutationKind::RemoveContact { contact_id: id.into() })
    }

    /// The member's log, newest first, with the names of the people met and the drafts made.
    pub fn contact_log(&self) -> Result<Vec<ContactLogLine>> {
        let me = self.person_id()?;
        Ok(self.store().read(|c| {
            let register = repo::contacts_of(c, &me)?;
            let mut out = Vec::new();
            for log in repo::logs_of(c, &me)? {
                let names = log
                    .contact_ids
                    .iter()
                    .map(|id| {
                        register.iter().find(|r| &r.id == id).map_or_else(|| "（已删除）".into(), |r| r.name.clone())
                    })
                    .collect();
                let drafts = links(c, &log.org_id, &RaisedFrom::ContactLog(log.id.clone()))?;
                out.push(ContactLogLine { way_label: log.way.label().into(), names, drafts, log });
            }
            Ok::<_, lvzhi_store::Error>(out)
        })?)
    }

    /// Logs a contact (`id` `None`) or corrects a logged one; returns the id.
    pub fn log_contact(&self, id: Option<&str>, draft: ContactLogDraft) -> Result<String> {
        let id = id.map_or_else(new_id, String::from);
        self.record_duty(&self.sync().member_role()?, MutationKind::LogContact { log_id: id.clone(), draft })?;
        Ok(id)
    }

    /// The member's contacts this year against the organisation's expectation.
    pub fn contact_summary(&self) -> Result<ContactSummary> {
        let me = self.person_id()?;
        let acting = self.sync().member_role()?;
        let now_ms = to_millis(self.now());
        let year = lvzhi_domain::duty::record::year_of(now_ms);
        Ok(self.store().read(|c| {
            let logs = repo::logs_of(c, &me)?;
            let facts = lvzhi_domain::liaison::contacts::contact_facts(&logs);
            let people = facts.iter().filter(|f| lvzhi_domain::duty::record::year_of(f.at_ms) == year).count();
            let logged = logs.iter().filter(|l| l.date.starts_with(&year.to_string())).count();
            let rules = lvzhi_store::duty::repo::rules(c, &acting.org_id)?;
            Ok::<_, lvzhi_store::Error>(ContactSummary {
                year,
                people_reached: people as u32,
                expected: rules.expectations.get("contact_people").copied(),
                contacts_logged: logged as u32,
            })
        })?)
    }

    /// Makes a 社情民意 draft of what a contact raised, linked to it; returns the report's id.
    pub fn report_from_contact(&self, log_id: &str) -> Result<String> {
        self.raise(RaisedFrom::ContactLog(log_id.into()), None)
    }

    /// Makes a proposal draft of what a contact raised, for `session_id`; returns its id.
    pub fn proposal_from_contact(&self, log_id: &str, session_id: &str) -> Result<String> {
        self.raise(RaisedFrom::ContactLog(log_id.into()), Some(session_id))
    }

    fn raise(&self, from: RaisedFrom, proposal_session: Option<&str>) -> Result<String> {
        let id = new_id();
        let into = match proposal_session {
            None => RaiseInto::Report { report_id: id.clone() },
            Some(s) => RaiseInto::Proposal { proposal_id: id.clone(), session_id: s.into() },
        };
        self.record_duty(&self.sync().member_role()?, MutationKind::RaiseDraft { from, into })?;
        Ok(id)
    }

    /// A convener's sectors with their activity by organisation and month (from the server:
    /// phones hold no one else's log). Empty for a member who convenes none.
    pub async fn sector_activity(&self) -> Result<Vec<SectorReport>> {
        self.sync().sector_activity().await
    }

    // --- 委员工作室 ------------------------------------------------------------------------

    /// The studios of the user's organisations, with the member's duty days.
    pub fn studios(&self) -> Result<Vec<StudioLine>> {
        let me = self.person_id()?;
        let today = today(to_millis(self.now())).format("%Y-%m-%d").to_string();
        Ok(self.store().read(|c| {
            let messages = repo::messages(c)?;
            let mut out = Vec::new();
            for s in repo::studios(c)? {
                let member_names =
                    s.member_ids.iter().map(|m| org::person_name(c, m)).collect::<lvzhi_store::Result<Vec<_>>>()?;
                let my_duty_days = s
                    .roster
                    .iter()
                    .filter(|d| d.date >= today && d.person_ids.contains(&me))
                    .map(|d| d.date.clone())
                    .collect();
                let unanswered = messages.iter().filter(|m| m.studio_id == s.id && m.answer.is_none()).count() as u32;
                out.push(StudioLine {
                    on_duty_today: s.on_duty(&today).contains(&me),
                    member_names,
                    my_duty_days,
                    unanswered,
                    studio: s,
                });
            }
            Ok::<_, lvzhi_store::Error>(out)
        })?)
    }

    /// The messages this user may read (their studios', or all of their organisation's for
    /// staff), newest first.
    pub fn studio_messages(&self) -> Result<Vec<StudioMessageLine>> {
        Ok(self.store().read(|c| {
            let studios = repo::studios(c)?;
            let mut out = Vec::new();
            for m in repo::messages(c)? {
                let studio_name =
                    studios.iter().find(|s| s.id == m.studio_id).map(|s| s.name.clone()).unwrap_or_default();
                let answered_by = m.answer.as_ref().map(|a| org::person_name(c, &a.by)).transpose()?;
                let drafts = links(c, &m.org_id, &RaisedFrom::StudioMessage(m.id.clone()))?;
                out.push(StudioMessageLine { message: m, studio_name, answered_by, drafts });
            }
            Ok::<_, lvzhi_store::Error>(out)
        })?)
    }

    /// A member of the studio (or staff) answers a message; the resident reads it with their
    /// code.
    pub fn answer_studio_message(&self, id: &str, answer: &str) -> Result<()> {
        let m = self.store().read(|c| repo::message(c, id))?.ok_or(lvzhi_store::Error::NotFound { what: "留言" })?;
        let acting = self.sync().member_role().or_else(|_| self.staff_role(Some(&m.org_id)))?;
        self.record_duty(&acting, MutationKind::AnswerStudioMessage { message_id: id.into(), answer: answer.into() })
    }

    /// Makes a 社情民意 draft of a message (without the resident's name or phone); returns its id.
    pub fn report_from_message(&self, message_id: &str) -> Result<String> {
        self.raise(RaisedFrom::StudioMessage(message_id.into()), None)
    }

    /// Staff set up a studio (`id` `None`) or change one; returns its id.
    pub fn save_studio(&self, id: Option<&str>, draft: StudioDraft) -> Result<String> {
        let id = id.map_or_else(new_id, String::from);
        let acting = self.staff_role(None)?;
        self.record_duty(&acting, MutationKind::SaveStudio { studio_id: id.clone(), draft })?;
        Ok(id)
    }
}
