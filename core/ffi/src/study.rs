//! 委员学习, 线上读书 and 信息发布 across the FFI.

use lvzhi_client::ActionForm;
use std::sync::Arc;

use lvzhi_client::study::{MaterialDetail, MaterialItem, ReadingNoteLine, ReadingView, StudyHit};
use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::files::Attachment;
use lvzhi_domain::news::{News, NewsDraft};
use lvzhi_domain::study::material::{Material, MaterialDraft, Study, StudyNote, VideoLink};
use lvzhi_domain::study::reading::{Guide, ReadingItem, ReadingNote, ReadingPlan};

use crate::app::{FfiResult, LvzhiApp};
use crate::listeners::Subscription;

#[uniffi::remote(Record)]
pub struct VideoLink {
    pub url: String,
    pub title: String,
    pub minutes: u32,
}

#[uniffi::remote(Record)]
pub struct MaterialDraft {
    pub title: String,
    pub body: String,
    pub series: Option<String>,
    pub order: u32,
    #[uniffi(default = [])]
    pub attachments: Vec<Attachment>,
    pub video: Option<VideoLink>,
    pub audience: Audience,
}

#[uniffi::remote(Record)]
pub struct Material {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub body: String,
    pub series: Option<String>,
    pub order: u32,
    pub attachments: Vec<Attachment>,
    pub video: Option<VideoLink>,
    pub audience: Audience,
    pub published_at_ms: i64,
    pub published_by: String,
    pub version: u32,
    pub withdrawn: Option<String>,
}

#[uniffi::remote(Record)]
pub struct StudyNote {
    pub id: String,
    pub quote: Option<String>,
    pub text: String,
    pub at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct Study {
    pub material_id: String,
    pub person_id: String,
    pub studied_at_ms: Option<i64>,
    pub notes: Vec<StudyNote>,
}

#[uniffi::remote(Record)]
pub struct MaterialItem {
    pub material: Material,
    pub studied: bool,
    pub notes: u32,
}

#[uniffi::remote(Record)]
pub struct MaterialDetail {
    pub material: Material,
    pub study: Option<Study>,
    pub publisher_name: String,
    pub actions: Vec<ActionForm>,
}

#[uniffi::remote(Record)]
pub struct ReadingItem {
    pub title: String,
    pub author: String,
    pub material_id: Option<String>,
    pub from_ms: i64,
    pub to_ms: i64,
}

#[uniffi::remote(Record)]
pub struct Guide {
    pub id: String,
    pub author_id: String,
    pub title: String,
    pub text: String,
    pub at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct ReadingPlan {
    pub group_id: String,
    pub org_id: String,
    pub items: Vec<ReadingItem>,
    pub lead_readers: Vec<String>,
    pub guides: Vec<Guide>,
    pub updated_at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct ReadingNote {
    pub id: String,
    pub group_id: String,
    pub person_id: String,
    pub day: String,
    pub text: String,
    pub at_ms: i64,
}

#[uniffi::remote(Record)]
pub struct ReadingNoteLine {
    pub note: ReadingNote,
    pub author_name: String,
}

#[uniffi::remote(Record)]
pub struct ReadingView {
    pub plan: Option<ReadingPlan>,
    pub lead_names: Vec<String>,
    pub notes: Vec<ReadingNoteLine>,
    pub i_lead: bool,
}

#[uniffi::remote(Record)]
pub struct NewsDraft {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub cover: Option<Attachment>,
    pub subordinates: bool,
}

#[uniffi::remote(Record)]
pub struct News {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub cover: Option<Attachment>,
    pub subordinates: bool,
    pub published_at_ms: i64,
    pub published_by: String,
    pub withdrawn: Option<String>,
}

#[uniffi::remote(Record)]
pub struct StudyHit {
    pub kind_label: String,
    pub id: String,
    pub title: String,
}

#[uniffi::export(with_foreign)]
pub trait MaterialListListener: Send + Sync {
    fn on_materials(&self, materials: Vec<MaterialItem>);
}

#[uniffi::export(with_foreign)]
pub trait NewsListener: Send + Sync {
    fn on_news(&self, news: Vec<News>);
}

#[uniffi::export]
impl LvzhiApp {
    // 委员学习

    pub fn materials(&self) -> FfiResult<Vec<MaterialItem>> {
        Ok(self.client().materials()?)
    }

    pub fn material(&self, id: String) -> FfiResult<MaterialDetail> {
        Ok(self.client().material(&id)?)
    }

    pub fn publish_material(&self, org_id: Option<String>, draft: MaterialDraft) -> FfiResult<String> {
        Ok(self.client().publish_material(org_id.as_deref(), draft)?)
    }

    pub fn withdraw_material(&self, id: String, reason: String) -> FfiResult<()> {
        Ok(self.client().withdraw_material(&id, &reason)?)
    }

    pub fn mark_studied(&self, material_id: String) -> FfiResult<()> {
        Ok(self.client().mark_studied(&material_id)?)
    }

    pub fn write_study_note(&self, material_id: String, quote: Option<String>, text: String) -> FfiResult<String> {
        Ok(self.client().write_study_note(&material_id, quote.as_deref(), &text)?)
    }

    pub fn share_study_note(&self, material_id: String, note_id: String, group_id: String) -> FfiResult<String> {
        Ok(self.client().share_study_note(&material_id, &note_id, &group_id)?)
    }

    pub fn observe_materials(&self, listener: Arc<dyn MaterialListListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_materials(move |m| listener.on_materials(m)))
    }

    // 线上读书

    pub fn reading(&self, group_id: String) -> FfiResult<ReadingView> {
        Ok(self.client().reading(&group_id)?)
    }

    pub fn set_reading_plan(
        &self,
        group_id: String,
        items: Vec<ReadingItem>,
        lead_readers: Vec<String>,
    ) -> FfiResult<()> {
        Ok(self.client().set_reading_plan(&group_id, items, lead_readers)?)
    }

    pub fn post_guide(&self, group_id: String, title: String, text: String) -> FfiResult<String> {
        Ok(self.client().post_guide(&group_id, &title, &text)?)
    }

    pub fn write_reading_note(&self, group_id: String, day: String, text: String) -> FfiResult<()> {
        Ok(self.client().write_reading_note(&group_id, &day, &text)?)
    }

    // 信息发布

    pub fn news_feed(&self) -> FfiResult<Vec<News>> {
        Ok(self.client().news_feed(100)?)
    }

    pub fn news_item(&self, id: String) -> FfiResult<News> {
        Ok(self.client().news(&id)?)
    }

    pub fn publish_news(&self, org_id: Option<String>, draft: NewsDraft) -> FfiResult<String> {
        Ok(self.client().publish_news(org_id.as_deref(), draft)?)
    }

    pub fn withdraw_news(&self, id: String, reason: String) -> FfiResult<()> {
        Ok(self.client().withdraw_news(&id, &reason)?)
    }

    pub fn search_study(&self, query: String) -> FfiResult<Vec<StudyHit>> {
        Ok(self.client().search_study(&query)?)
    }

    pub fn observe_news(&self, listener: Arc<dyn NewsListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_news(move |n| listener.on_news(n)))
    }
}
