//! 委员学习, 线上读书 and 信息发布 as the screens show them: the materials by series with
//! whether the member studied each, one material with the member's notes and highlights, a
//! reading group's plan with its 导读 and notes, and the news feed. Nothing here counts or
//! ranks anyone.

use lvzhi_domain::actions::{ActionForm, ActionKind};
use lvzhi_domain::ids::new_id;
use lvzhi_domain::news::{News, NewsDraft};
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::study::material::{Material, MaterialDraft, Study};
use lvzhi_domain::study::reading::{ReadingItem, ReadingNote, ReadingPlan};
use lvzhi_store::org;
use lvzhi_store::study::repo;
use lvzhi_sync::Result;

use crate::Client;

/// A material in the list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MaterialItem {
    pub material: Material,
    /// The member marked it studied (on this phone or another of theirs).
    pub studied: bool,
    pub notes: u32,
}

/// One material with the member's own study of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MaterialDetail {
    pub material: Material,
    pub study: Option<Study>,
    pub publisher_name: String,
    /// 标为已学 for a member who has not; 撤回资料 for its staff while published.
    pub actions: Vec<ActionForm>,
}

/// A reading note with its writer's name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReadingNoteLine {
    pub note: ReadingNote,
    pub author_name: String,
}

/// A reading group's page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReadingView {
    pub plan: Option<ReadingPlan>,
    pub lead_names: Vec<String>,
    /// Newest first.
    pub notes: Vec<ReadingNoteLine>,
    /// Whether this member leads the reading (may post 导读).
    pub i_lead: bool,
}

/// A material or news item matching a search.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StudyHit {
    /// 学习资料 / 信息
    pub kind_label: String,
    pub id: String,
    pub title: String,
}

use org::person_name as name_of;

impl Client {
    // --- 委员学习 ------------------------------------------------------------------------------

    /// Materials on this phone, by series and order; withdrawn ones stay (with their reason).
    pub fn materials(&self) -> Result<Vec<MaterialItem>> {
        let (me, _) = self.sync().identity()?;
        Ok(self.store().read(|c| {
            repo::materials(c)?
                .into_iter()
                .map(|m| {
                    let s = repo::study(c, &m.id, &me)?;
                    Ok(MaterialItem {
                        studied: s.as_ref().is_some_and(|s| s.studied_at_ms.is_some()),
                        notes: s.map_or(0, |s| s.notes.len() as u32),
                        material: m,
                    })
                })
                .collect::<lvzhi_store::Result<Vec<_>>>()
        })?)
    }

    pub fn material(&self, id: &str) -> Result<MaterialDetail> {
        let (me, _) = self.sync().identity()?;
        let actors = self.actors()?;
        Ok(self.store().read(|c| {
            let m = repo::material(c, id)?.ok_or(lvzhi_store::Error::NotFound { what: "学习资料" })?;
            let study = repo::study(c, id, &me)?;
            let live = m.withdrawn.is_none();
            let member = actors.iter().any(|(a, _)| a.role == Role::Member);
            let staff = actors.iter().any(|(_, a)| a.is_staff_of(&m.org_id));
            let studied = study.as_ref().is_some_and(|s| s.studied_at_ms.is_some());
            let kinds = [
                (live && member && !studied, ActionKind::MaterialMarkStudied),
                (live && staff, ActionKind::MaterialWithdraw),
            ];
            Ok::<_, lvzhi_store::Error>(MaterialDetail {
                study,
                publisher_name: name_of(c, &m.published_by)?,
                material: m,
                actions: lvzhi_store::forms::offered(kinds),
            })
        })?)
    }

    /// Staff: publishes a material to an audience of their organisation.
    pub fn publish_material(&self, org_id: Option<&str>, draft: MaterialDraft) -> Result<String> {
        let id = new_id();
        self.record_duty(&self.staff_role(org_id)?, MutationKind::PublishMaterial { material_id: id.clone(), draft })?;
        Ok(id)
    }

    fn material_staff(&self, id: &str) -> Result<lvzhi_domain::protocol::ActingAs> {
        let org_id = self
            .store()
            .read(|c| Ok::<_, lvzhi_store::Error>(repo::material(c, id)?.map(|m| m.org_id)))?
            .ok_or(lvzhi_store::Error::NotFound { what: "学习资料" })?;
        self.staff_role(Some(&org_id))
    }

    pub fn revise_material(&self, id: &str, draft: MaterialDraft) -> Result<()> {
        self.record_duty(&self.material_staff(id)?, MutationKind::ReviseMaterial { material_id: id.into(), draft })
    }

    pub fn withdraw_material(&self, id: &str, reason: &str) -> Result<()> {
        let kind = MutationKind::WithdrawMaterial { material_id: id.into(), reason: reason.into() };
        self.record_duty(&self.material_staff(id)?, kind)
    }

    /// The member marks a material studied (offline too); it goes into their duty record.
    pub fn mark_studied(&self, material_id: &str) -> Result<()> {
        self.record_duty(&self.member_or_any_role()?, MutationKind::MarkStudied { material_id: material_id.into() })
    }

    /// A private note, highlighting `quote` from the text if given; returns its id.
    pub fn write_study_note(&self, material_id: &str, quote: Option<&str>, text: &str) -> Result<String> {
        let note_id = new_id();
        let kind = MutationKind::WriteStudyNote {
            material_id: material_id.into(),
            note_id: note_id.clone(),
            quote: quote.map(Into::into),
            text: text.into(),
        };
        self.record_duty(&self.member_or_any_role()?, kind)?;
        Ok(note_id)
    }

    /// Shares one of the member's notes into a chat group (the note itself stays private; the
    /// group gets a message quoting it). Returns the message's id.
    pub fn share_study_note(&self, material_id: &str, note_id: &str, group_id: &str) -> Result<String> {
        let d = self.material(material_id)?;
        let note = d
            .study
            .and_then(|s| s.notes.into_iter().find(|n| n.id == note_id))
            .ok_or(lvzhi_store::Error::NotFound { what: "学习笔记" })?;
        let quote = note.quote.map(|q| format!("\n“{q}”")).unwrap_or_default();
        let text = format!("【学习笔记】《{}》{quote}\n{}", d.material.title, note.text);
        self.send_message(group_id, &text, None, Vec::new())
    }

    // --- 线上读书 ------------------------------------------------------------------------------

    pub fn reading(&self, group_id: &str) -> Result<ReadingView> {
        let (me, _) = self.sync().identity()?;
        Ok(self.store().read(|c| {
            let plan = repo::plan(c, group_id)?;
            let lead_names = match &plan {
                Some(p) => p.lead_readers.iter().map(|l| name_of(c, l)).collect::<lvzhi_store::Result<_>>()?,
                None => Vec::new(),
            };
            let notes = repo::notes_of_group(c, group_id)?
                .into_iter()
                .map(|n| Ok(ReadingNoteLine { author_name: name_of(c, &n.person_id)?, note: n }))
                .collect::<lvzhi_store::Result<_>>()?;
            Ok::<_, lvzhi_store::Error>(ReadingView {
                i_lead: plan.as_ref().is_some_and(|p| p.lead_readers.contains(&me)),
                plan,
                lead_names,
                notes,
            })
        })?)
    }

    /// Staff: the books or materials of a reading group, when each is read, who leads.
    pub fn set_reading_plan(&self, group_id: &str, items: Vec<ReadingItem>, lead_readers: Vec<String>) -> Result<()> {
        let org_id = self
            .store()
            .read(|c| Ok::<_, lvzhi_store::Error>(lvzhi_store::chat::repo::group(c, group_id)?.map(|g| g.org_id)))?
            .ok_or(lvzhi_store::Error::NotFound { what: "读书群" })?;
        let kind = MutationKind::SetReadingPlan { group_id: group_id.into(), items, lead_readers };
        self.record_duty(&self.staff_role(Some(&org_id))?, kind)
    }

    /// A lead reader's 导读; returns its id.
    pub fn post_guide(&self, group_id: &str, title: &str, text: &str) -> Result<String> {
        let guide_id = new_id();
        let kind = MutationKind::PostGuide {
            group_id: group_id.into(),
            guide_id: guide_id.clone(),
            title: title.into(),
            text: text.into(),
        };
        self.record_duty(&self.member_or_any_role()?, kind)?;
        Ok(guide_id)
    }

    /// The member's note on `day`'s reading (`2027-03-05`); writing again that day replaces it.
    pub fn write_reading_note(&self, group_id: &str, day: &str, text: &str) -> Result<()> {
        let (me, _) = self.sync().identity()?;
        let kind = MutationKind::WriteReadingNote {
            note_id: lvzhi_domain::study::reading::note_id(group_id, &me, day),
            group_id: group_id.into(),
            day: day.into(),
            text: text.into(),
        };
        self.record_duty(&self.member_or_any_role()?, kind)
    }

    // --- 信息发布 ------------------------------------------------------------------------------

    /// The news of the member's organisation and the levels above, newest first.
    pub fn news_feed(&self, limit: u32) -> Result<Vec<News>> {
        Ok(self.store().read(|c| repo::feed(c, limit))?)
    }

    pub fn news(&self, id: &str) -> Result<News> {
        Ok(self.store().read(|c| repo::news_item(c, id)?.ok_or(lvzhi_store::Error::NotFound { what: "信息" }))?)
    }

    pub fn publish_news(&self, org_id: Option<&str>, draft: NewsDraft) -> Result<String> {
        let id = new_id();
        self.record_duty(&self.staff_role(org_id)?, MutationKind::PublishNews { news_id: id.clone(), draft })?;
        Ok(id)
    }

    pub fn withdraw_news(&self, id: &str, reason: &str) -> Result<()> {
        let org_id = self.news(id)?.org_id;
        let kind = MutationKind::WithdrawNews { news_id: id.into(), reason: reason.into() };
        self.record_duty(&self.staff_role(Some(&org_id))?, kind)
    }

    /// Materials and news matching what the member typed (one or two characters too).
    pub fn search_study(&self, query: &str) -> Result<Vec<StudyHit>> {
        Ok(self.store().read(|c| {
            let mut out = Vec::new();
            for (kind, id) in repo::search(c, query, 50)? {
                let hit = match kind {
                    repo::Found::Material => repo::material(c, &id)?.map(|m| StudyHit {
                        kind_label: "学习资料".into(),
                        id: m.id,
                        title: m.title,
                    }),
                    repo::Found::News => repo::news_item(c, &id)?.map(|n| StudyHit {
                        kind_label: "信息".into(),
                        id: n.id,
                        title: n.title,
                    }),
                };
                out.extend(hit);
            }
            Ok::<_, lvzhi_store::Error>(out)
        })?)
    }

    /// The materials list, live.
    pub fn watch_materials(&self, on_items: impl Fn(Vec<MaterialItem>) + Send + 'static) -> crate::TaskHandle {
        let client = self.clone();
        crate::live::watch_value(
            self.watch_changes(),
            |c| !c.aggregates.is_empty(),
            move || client.materials().ok(),
            on_items,
        )
    }

    /// The news feed, live.
    pub fn watch_news(&self, on_items: impl Fn(Vec<News>) + Send + 'static) -> crate::TaskHandle {
        let client = self.clone();
        crate::live::watch_value(
            self.watch_changes(),
            |c| !c.aggregates.is_empty(),
            move || client.news_feed(100).ok(),
            on_items,
        )
    }
}
