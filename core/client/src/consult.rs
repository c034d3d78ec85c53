//! 社情民意, 网络议政, remote-consultation speeches and 协商在基层 as the apps use them. Every
//! action is a mutation applied here at once and queued (refused offline with the server's
//! reason); lists read the local database, so drafting a report or a post works for days with
//! no network. Only the statistics of the organisations below come from the server.

use lvzhi_domain::actions::{ActionForm, ActionKind};
use lvzhi_domain::consult::grassroots::{ConsensusStatus, Consultation, ConsultationDraft};
use lvzhi_domain::consult::report::{
    self, FieldChange, Report, ReportContent, ReportState, StaffStep, StatsRow, USUAL_CHARS,
};
use lvzhi_domain::consult::topic::{Post, Topic, TopicDraft};
use lvzhi_domain::duty::DutyError;
use lvzhi_domain::form::ChoiceOption;
use lvzhi_domain::ids::new_id;
use lvzhi_domain::protocol::{ActingAs, MutationKind};
use lvzhi_domain::time::to_millis;
use lvzhi_sql::Connection;
use lvzhi_store::consult::repo::{self, Found};
use lvzhi_store::forms;
pub use lvzhi_store::forms::SendUpOption;
use lvzhi_store::{duty, org};
use lvzhi_sync::Result;

use crate::client::Client;

/// A report in a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportItem {
    pub id: String,
    pub title: String,
    pub state: ReportState,
    pub state_label: String,
    pub org_name: String,
    /// The authors' names, the lead author first (or the group that is the author).
    pub authors: String,
    pub updated_at_ms: i64,
    /// Characters of the text (the usual report is at most 1,500).
    pub chars: u32,
    pub mine: bool,
    /// Adopted by a higher organisation's periodical.
    pub adopted_above: bool,
    pub from_proposal: Option<String>,
}

/// An organisation's edition with what it changed in the authors' text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EditionView {
    pub org_name: String,
    pub issue: String,
    pub at_ms: i64,
    pub content: ReportContent,
    pub changes: Vec<FieldChange>,
}

/// One step of a report's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StepView {
    pub action_label: String,
    pub actor_name: String,
    pub at_ms: i64,
    pub state_label: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReportDetail {
    pub item: ReportItem,
    pub report: Report,
    pub editions: Vec<EditionView>,
    pub history: Vec<StepView>,
    /// Whether the hash chain of the history checks out.
    pub history_intact: bool,
    /// A warning to show above the text (longer than usual), if any.
    pub length_warning: Option<String>,
    pub can_edit: bool,
    /// Staff steps this user may take now (codes of `StaffStep`: accept, return, reject, edit,
    /// send_up, instruct, feed_back).
    pub staff_steps: Vec<String>,
    /// Where staff may send it (the CPPCC, party committee and government of each level
    /// above), when `send_up` is available.
    pub send_up_options: Vec<SendUpOption>,
    /// The steps above (and 提交 for the author) as forms to render; 编发 is the editor's.
    pub actions: Vec<ActionForm>,
}

/// A meeting's speakers by name, in the order they asked or were put in.
pub(crate) fn speaker_lines(c: &Connection, meeting_id: &str) -> lvzhi_store::Result<Vec<SpeakerLine>> {
    repo::speech_requests_of_meeting(c, meeting_id)?
        .into_iter()
        .map(|s| {
            Ok(SpeakerLine {
                name: name_of(c, &s.person_id)?,
                person_id: s.person_id,
                text: s.text,
                order: s.order,
                spoke: s.spoke_at_ms.is_some(),
            })
        })
        .collect()
}

/// The bodies above `org_id` a report may go to, nearest level first.
/// A topic in a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopicItem {
    pub id: String,
    pub title: String,
    pub org_name: String,
    /// 未开始 / 进行中 / 已结束 / 已发布综述
    pub status_label: String,
    pub opens_at_ms: i64,
    pub closes_at_ms: i64,
    pub posts: u32,
    pub my_posts: u32,
}

/// A post as members see it (a hidden post shows only why).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PostView {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub reply_to: Option<String>,
    /// Empty when hidden (staff read `hidden_text`).
    pub text: String,
    pub hidden_reason: Option<String>,
    pub hidden_text: Option<String>,
    pub written_at_ms: i64,
    pub edited: bool,
    pub seconds: u32,
    pub seconded_by_me: bool,
    pub mine: bool,
    /// Quoted by the topic's summary (综述采用).
    pub used: bool,
    /// 附议 and 隐藏, as this user may take them now.
    pub actions: Vec<ActionForm>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopicDetail {
    pub item: TopicItem,
    pub topic: Topic,
    pub posts: Vec<PostView>,
    pub can_post: bool,
    pub can_manage: bool,
    /// The topic's own actions for this user now (结束议题, 发布综述 with the posts to quote);
    /// each post's 附议 and 隐藏 go by its flags.
    pub actions: Vec<ActionForm>,
}

/// A speaker at a remote consultation, for the staff's list and the member's own status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpeakerLine {
    pub person_id: String,
    pub name: String,
    pub text: String,
    pub order: Option<u32>,
    pub spoke: bool,
}

/// A grassroots consultation in a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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

/// A search hit among reports, topics and posts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsultHit {
    /// 社情民意 / 议题 / 意见
    pub kind_label: String,
    /// The report's or topic's id (a post's topic).
    pub id: String,
    pub title: String,
}

use org::{organisation_name as org_name, person_name as name_of};

impl Client {
    // --- 社情民意 --------------------------------------------------------------------------

    fn report_item(c: &Connection, r: &Report, me: &str) -> lvzhi_store::Result<ReportItem> {
        let authors = match &r.author_group {
            Some(g) => {
                org::member_groups(c, &r.org_id)?.into_iter().find(|x| &x.id == g).map_or_else(|| g.clone(), |x| x.name)
            }
            None => r.author_ids.iter().map(|a| name_of(c, a)).collect::<lvzhi_store::Result<Vec<_>>>()?.join("、"),
        };
        Ok(ReportItem {
            id: r.id.clone(),
            title: r.content.title.clone(),
            state: r.state,
            state_label: r.state.label().into(),
            org_name: org_name(c, &r.org_id)?,
            authors,
            updated_at_ms: r.updated_at_ms,
            chars: r.content.chars(),
            mine: r.is_author(me),
            adopted_above: r.adopted_above(),
            from_proposal: r.from_proposal.clone(),
        })
    }

    /// Reports on this phone (a member's own; staff also their organisation's and those sent
    /// up to it), latest change first; `state` filters.
    pub fn reports(&self, state: Option<ReportState>) -> Result<Vec<ReportItem>> {
        let me = self.person_id()?;
        Ok(self.store().read(|c| {
            repo::reports(c)?
                .iter()
                .filter(|r| state.is_none_or(|s| r.state == s))
                .map(|r| Self::report_item(c, r, &me))
                .collect::<lvzhi_store::Result<Vec<_>>>()
        })?)
    }

    pub fn report(&self, id: &str) -> Result<ReportDetail> {
        let me = self.person_id()?;
        let staff_orgs = self.staff_orgs()?;
        Ok(self.store().read(|c| {
            let r = repo::report(c, id)?.ok_or(lvzhi_store::Error::NotFound { what: "社情民意信息" })?;
            let mut editions = Vec::new();
            for e in &r.editions {
                editions.push(EditionView {
                    org_name: org_name(c, &e.org_id)?,
                    issue: e.issue.clone(),
                    at_ms: e.at_ms,
                    content: e.content.clone(),
                    changes: report::changes(&r.content, &e.content),
                });
            }
            let mut history = Vec::new();
            for s in &r.history {
                history.push(StepView {
                    action_label: report::step_label(&s.action).into(),
                    actor_name: name_of(c, &s.actor_id)?,
                    at_ms: s.at_ms,
                    state_label: s.to_state.label().into(),
                    note: s.note.clone(),
                });
            }
            let chars = r.content.chars();
            let staff_steps = forms::report_steps(&r, &staff_orgs);
            let send_up_options = if staff_steps.iter().any(|s| s == "send_up") {
                forms::send_up_options(c, &r.org_id)?
            } else {
                Vec::new()
            };
            let can_edit = r.is_author(&me) && r.state.is_private();
            let actions = forms::report_forms(can_edit, &staff_steps, &send_up_options);
            Ok::<_, lvzhi_store::Error>(ReportDetail {
                item: Self::report_item(c, &r, &me)?,
                editions,
                history,
                history_intact: report::verify_history(&r).is_ok(),
                length_warning: (chars > USUAL_CHARS)
                    .then(|| format!("正文{chars}字，社情民意信息一般不超过{USUAL_CHARS}字，建议精简")),
                can_edit,
                send_up_options,
                staff_steps,
                actions,
                report: r,
            })
        })?)
    }

    /// A member starts a report (alone, with co-authors, or for a 专委会/界别); returns its id.
    pub fn create_report(
        &self,
        content: ReportContent,
        co_authors: Vec<String>,
        author_group: Option<String>,
    ) -> Result<String> {
        let id = new_id();
        let kind = MutationKind::CreateReport { report_id: id.clone(), content, co_authors, author_group };
        self.record_duty(&self.sync().member_role()?, kind)?;
        Ok(id)
    }

    pub fn save_report(&self, id: &str, content: ReportContent) -> Result<()> {
        self.record_duty(&self.sync().member_role()?, MutationKind::SaveReport { report_id: id.into(), content })
    }

    pub fn submit_report(&self, id: &str) -> Result<()> {
        self.record_duty(&self.sync().member_role()?, MutationKind::SubmitReport { report_id: id.into() })
    }

    /// A staff step: as staff of the report's organisation, or (to adopt it) of a higher one it
    /// was sent to.
    pub fn report_step(&self, id: &str, step: StaffStep) -> Result<()> {
        let r = self
            .store()
            .read(|c| repo::report(c, id))?
            .ok_or(lvzhi_store::Error::NotFound { what: "社情民意信息" })?;
        let roles = self.staff_roles()?;
        let acting: ActingAs = roles
            .iter()
            .find(|a| a.org_id == r.org_id)
            .or_else(|| roles.iter().find(|a| r.upper_orgs().contains(&a.org_id)))
            .cloned()
            .ok_or(DutyError::NotStaff)?;
        self.record_duty(&acting, MutationKind::ReportStep { report_id: id.into(), step })
    }

    /// Statistics of an organisation the user works in as staff and those under it (network).
    pub async fn report_stats(&self, org_id: Option<&str>) -> Result<Vec<StatsRow>> {
        let org = match org_id {
            Some(o) => o.to_string(),
            None => self.staff_role(None)?.org_id,
        };
        self.sync().report_stats(&org).await
    }

    // --- 网络议政 --------------------------------------------------------------------------

    fn topic_item(c: &Connection, t: &Topic, me: &str, now_ms: i64) -> lvzhi_store::Result<TopicItem> {
        let (posts, my_posts) = repo::post_counts(c, &t.id, me)?;
        Ok(TopicItem {
            id: t.id.clone(),
            title: t.title.clone(),
            org_name: org_name(c, &t.org_id)?,
            status_label: t.status_label(now_ms).into(),
            opens_at_ms: t.opens_at_ms,
            closes_at_ms: t.closes_at_ms,
            posts,
            my_posts,
        })
    }

    /// Topics on this phone, the latest to close first.
    pub fn topics(&self) -> Result<Vec<TopicItem>> {
        let me = self.person_id()?;
        let now = to_millis(self.now());
        Ok(self.store().read(|c| {
            repo::topics(c)?.iter().map(|t| Self::topic_item(c, t, &me, now)).collect::<lvzhi_store::Result<Vec<_>>>()
        })?)
    }

    pub fn topic(&self, id: &str) -> Result<TopicDetail> {
        let me = self.person_id()?;
        let now = to_millis(self.now());
        let staff_orgs = self.staff_orgs()?;
        Ok(self.store().read(|c| {
            let t = repo::topic(c, id)?.ok_or(lvzhi_store::Error::NotFound { what: "议题" })?;
            let can_manage = staff_orgs.contains(&t.org_id);
            let quoted = t.summary.as_ref().map(|s| s.quoted.clone()).unwrap_or_default();
            let can_post =
                t.check_in_time(now, now).is_ok() && duty::audience::reaches(c, &t.org_id, &t.audience, &me)?;
            let mut posts = Vec::new();
            for p in repo::posts_of_topic(c, id)? {
                posts.push(post_view(c, &p, &me, &quoted, can_manage, can_post)?);
            }
            let shown = posts.iter().filter(|p| p.hidden_reason.is_none());
            let quotable = shown.map(|p| ChoiceOption::new(p.id.clone(), format!("{}：{}", p.author_name, p.text)));
            let actions = forms::topic_forms(&t, can_manage, quotable.collect(), now);
            Ok::<_, lvzhi_store::Error>(TopicDetail {
                item: Self::topic_item(c, &t, &me, now)?,
                topic: t,
                posts,
                can_post,
                can_manage,
                actions,
            })
        })?)
    }

    /// Staff open a topic; returns its id.
    pub fn open_topic(&self, org_id: Option<&str>, draft: TopicDraft) -> Result<String> {
        let id = new_id();
        self.record_duty(&self.staff_role(org_id)?, MutationKind::OpenTopic { topic_id: id.clone(), draft })?;
        Ok(id)
    }

    fn topic_staff(&self, topic_id: &str) -> Result<ActingAs> {
        let org_id = self
            .store()
            .read(|c| Ok::<_, lvzhi_store::Error>(repo::topic(c, topic_id)?.map(|t| t.org_id)))?
            .ok_or(lvzhi_store::Error::NotFound { what: "议题" })?;
        self.staff_role(Some(&org_id))
    }

    fn post_topic_staff(&self, post_id: &str) -> Result<ActingAs> {
        let topic_id = self
            .store()
            .read(|c| Ok::<_, lvzhi_store::Error>(repo::post(c, post_id)?.map(|p| p.topic_id)))?
            .ok_or(lvzhi_store::Error::NotFound { what: "意见" })?;
        self.topic_staff(&topic_id)
    }

    pub fn close_topic(&self, topic_id: &str) -> Result<()> {
        self.record_duty(&self.topic_staff(topic_id)?, MutationKind::CloseTopic { topic_id: topic_id.into() })
    }

    pub fn summarise_topic(&self, topic_id: &str, text: &str, quoted: Vec<String>) -> Result<()> {
        let kind = MutationKind::SummariseTopic { topic_id: topic_id.into(), text: text.into(), quoted };
        self.record_duty(&self.topic_staff(topic_id)?, kind)
    }

    /// A member posts (or replies), stamped with the time it was written here; returns its id.
    pub fn write_post(&self, topic_id: &str, reply_to: Option<&str>, text: &str) -> Result<String> {
        let id = new_id();
        let kind = MutationKind::WritePost {
            post_id: id.clone(),
            topic_id: topic_id.into(),
            reply_to: reply_to.map(Into::into),
            text: text.into(),
            written_at_ms: to_millis(self.now()),
        };
        self.record_duty(&self.sync().member_role()?, kind)?;
        Ok(id)
    }

    pub fn edit_post(&self, post_id: &str, text: &str) -> Result<()> {
        let kind =
            MutationKind::EditPost { post_id: post_id.into(), text: text.into(), written_at_ms: to_millis(self.now()) };
        self.record_duty(&self.sync().member_role()?, kind)
    }

    /// 附议
    pub fn second_post(&self, post_id: &str) -> Result<()> {
        let kind = MutationKind::SecondPost { post_id: post_id.into(), written_at_ms: to_millis(self.now()) };
        self.record_duty(&self.sync().member_role()?, kind)
    }

    pub fn hide_post(&self, post_id: &str, reason: &str) -> Result<()> {
        let kind = MutationKind::HidePost { post_id: post_id.into(), reason: reason.into() };
        self.record_duty(&self.post_topic_staff(post_id)?, kind)
    }

    // --- 远程协商 --------------------------------------------------------------------------

    /// A member applies to speak at a remote consultation with a written speech.
    pub fn apply_to_speak(&self, meeting_id: &str, text: &str) -> Result<()> {
        let kind = MutationKind::ApplyToSpeak { meeting_id: meeting_id.into(), text: text.into() };
        self.record_duty(&self.sync().member_role()?, kind)
    }

    fn meeting_org(&self, meeting_id: &str) -> Result<String> {
        Ok(self
            .store()
            .read(|c| Ok::<_, lvzhi_store::Error>(duty::repo::meeting(c, meeting_id)?.map(|m| m.org_id)))?
            .ok_or(lvzhi_store::Error::NotFound { what: "会议活动" })?)
    }

    pub fn order_speakers(&self, meeting_id: &str, person_ids: Vec<String>) -> Result<()> {
        let acting = self.staff_role(Some(&self.meeting_org(meeting_id)?))?;
        self.record_duty(&acting, MutationKind::OrderSpeakers { meeting_id: meeting_id.into(), person_ids })
    }

    pub fn mark_spoke(&self, meeting_id: &str, person_id: &str) -> Result<()> {
        let acting = self.staff_role(Some(&self.meeting_org(meeting_id)?))?;
        self.record_duty(
            &acting,
            MutationKind::MarkSpoke { meeting_id: meeting_id.into(), person_id: person_id.into() },
        )
    }

    /// The speakers of a meeting this phone holds (staff: everyone who applied, in order; a
    /// member: their own application).
    pub fn speakers(&self, meeting_id: &str) -> Result<Vec<SpeakerLine>> {
        Ok(self.store().read(|c| speaker_lines(c, meeting_id))?)
    }

    // --- 协商在基层 ------------------------------------------------------------------------

    /// County staff or a member record a consultation; returns its id.
    pub fn record_consultation(&self, draft: ConsultationDraft) -> Result<String> {
        let id = new_id();
        let acting = self.staff_role(None).or_else(|_| self.sync().member_role())?;
        self.record_duty(&acting, MutationKind::RecordConsultation { consultation_id: id.clone(), draft })?;
        Ok(id)
    }

    pub fn follow_up_consensus(&self, id: &str, point_id: &str, status: ConsensusStatus, note: &str) -> Result<()> {
        let org_id = self
            .store()
            .read(|c| Ok::<_, lvzhi_store::Error>(repo::consultation(c, id)?.map(|x| x.org_id)))?
            .ok_or(lvzhi_store::Error::NotFound { what: "基层协商" })?;
        let acting = self.staff_role(Some(&org_id)).or_else(|_| self.sync().member_role())?;
        let kind = MutationKind::FollowUpConsensus {
            consultation_id: id.into(),
            point_id: point_id.into(),
            status,
            note: note.into(),
            date_ms: to_millis(self.now()),
        };
        self.record_duty(&acting, kind)
    }

    /// Consultations on this phone (a county's own; above it, those of the organisations
    /// below), newest first.
    pub fn consultations(&self) -> Result<Vec<ConsultationItem>> {
        Ok(self.store().read(|c| {
            repo::consultations(c)?
                .iter()
                .map(|x| {
                    Ok(ConsultationItem {
                        id: x.id.clone(),
                        org_name: org_name(c, &x.org_id)?,
                        township: x.township.clone(),
                        topic: x.topic.clone(),
                        date_ms: x.date_ms,
                        residents: x.residents,
                        members: x.member_ids.len() as u32,
                        points: x.points.len() as u32,
                        points_done: x.done() as u32,
                    })
                })
                .collect::<lvzhi_store::Result<Vec<_>>>()
        })?)
    }

    pub fn consultation(&self, id: &str) -> Result<Consultation> {
        Ok(self
            .store()
            .read(|c| repo::consultation(c, id))?
            .ok_or(lvzhi_store::Error::NotFound { what: "基层协商" })?)
    }

    // --- Search ----------------------------------------------------------------------------

    /// Reports, topics and posts on this phone matching `query` (one or two characters too).
    pub fn search_consult(&self, query: &str) -> Result<Vec<ConsultHit>> {
        Ok(self.store().read(|c| {
            let mut out = Vec::new();
            for (kind, id) in repo::search(c, query, 50)? {
                let hit = match kind {
                    Found::Report => repo::report(c, &id)?.map(|r| ConsultHit {
                        kind_label: "社情民意".into(),
                        id,
                        title: r.content.title,
                    }),
                    Found::Topic => {
                        repo::topic(c, &id)?.map(|t| ConsultHit { kind_label: "议题".into(), id, title: t.title })
                    }
                    Found::Post => match repo::post(c, &id)? {
                        Some(p) => repo::topic(c, &p.topic_id)?.map(|t| ConsultHit {
                            kind_label: "意见".into(),
                            id: t.id,
                            title: p.text.chars().take(40).collect(),
                        }),
                        None => None,
                    },
                };
                out.extend(hit);
            }
            Ok::<_, lvzhi_store::Error>(out)
        })?)
    }
}

fn post_view(
    c: &Connection,
    p: &Post,
    me: &str,
    quoted: &[String],
    staff: bool,
    can_post: bool,
) -> lvzhi_store::Result<PostView> {
    let hidden = p.hidden.as_ref();
    let seconded_by_me = p.seconds.iter().any(|s| s == me);
    let kinds = [
        (can_post && hidden.is_none() && p.author_id != me && !seconded_by_me, ActionKind::PostSecond),
        (staff && hidden.is_none(), ActionKind::PostHide),
    ];
    Ok(PostView {
        actions: lvzhi_store::forms::offered(kinds),
        id: p.id.clone(),
        author_id: p.author_id.clone(),
        author_name: name_of(c, &p.author_id)?,
        reply_to: p.reply_to.clone(),
        text: if hidden.is_some() { String::new() } else { p.text.clone() },
        hidden_reason: hidden.map(|h| h.reason.clone()),
        hidden_text: hidden.filter(|_| staff || p.author_id == me).map(|_| p.text.clone()),
        written_at_ms: p.written_at_ms,
        edited: p.edited_at_ms.is_some(),
        seconds: p.seconds.len() as u32,
        seconded_by_me,
        mine: p.author_id == me,
        used: quoted.contains(&p.id),
    })
}

impl Client {
    /// The report list, live: now, then whenever a report, topic or post changes.
    pub fn watch_reports(&self, on_reports: impl Fn(Vec<ReportItem>) + Send + 'static) -> crate::TaskHandle {
        let client = self.clone();
        crate::live::watch_value(
            self.watch_changes(),
            |c| !c.aggregates.is_empty(),
            move || client.reports(None).ok(),
            on_reports,
        )
    }

    /// The topic list, live.
    pub fn watch_topics(&self, on_topics: impl Fn(Vec<TopicItem>) + Send + 'static) -> crate::TaskHandle {
        let client = self.clone();
        crate::live::watch_value(
            self.watch_changes(),
            |c| !c.aggregates.is_empty(),
            move || client.topics().ok(),
            on_topics,
        )
    }
}
