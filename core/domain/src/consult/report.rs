//! 社情民意信息: a member (or several jointly, or a 专委会/界别 as the author) writes one matter
//! per report (the situation, the analysis, a suggestion; about 1,500 characters) and submits
//! it; staff 受理 (or 退回/不予采用 with a reason), 编发 it into a numbered issue of the
//! organisation's 《社情民意》 (the edited text kept beside the member's), 报送 it to the bodies
//! above, record a leader's 批示 and tell the authors the outcome (反馈).
//!
//! A report sent to a higher CPPCC becomes visible to that organisation's staff, who may adopt
//! it into their own periodical (a county report adopted by the prefecture): the upward flow
//! follows the committee tree. Every step is appended to a SHA-256 hash chain kept in the
//! report, so any copy can be checked for a rewritten step.

use serde::{Deserialize, Serialize};

use super::{ConsultError, body, check_member, check_staff, note, title};
use crate::ids::sha256_hex;
use crate::org::{Actor, Role};

/// The usual length of a report; the apps warn above it.
pub const USUAL_CHARS: u32 = 1500;

/// What the authors write.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportContent {
    pub title: String,
    /// 基本情况
    pub situation: String,
    /// 问题分析
    pub analysis: String,
    /// 意见建议
    pub suggestion: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::files::Attachment>,
}

impl ReportContent {
    /// Characters of the text (title excluded), the figure the length rule counts.
    pub fn chars(&self) -> u32 {
        (self.situation.chars().count() + self.analysis.chars().count() + self.suggestion.chars().count()) as u32
    }

    fn checked(&self) -> Result<ReportContent, ConsultError> {
        Ok(ReportContent {
            title: title(&self.title)?,
            situation: body("基本情况", &self.situation, false)?,
            analysis: body("问题分析", &self.analysis, false)?,
            suggestion: body("意见建议", &self.suggestion, false)?,
            attachments: self.attachments.clone(),
        })
    }

    /// The fields a submitted report must have.
    fn check_complete(&self, max_chars: u32) -> Result<(), ConsultError> {
        if self.situation.trim().is_empty() {
            return Err(ConsultError::EmptyReport { what: "基本情况" });
        }
        if self.suggestion.trim().is_empty() {
            return Err(ConsultError::EmptyReport { what: "意见建议" });
        }
        if self.chars() > max_chars {
            return Err(ConsultError::ReportTooLong { chars: self.chars(), max: max_chars });
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

impl ReportState {
    pub const ALL: [ReportState; 9] = [
        ReportState::Draft,
        ReportState::Submitted,
        ReportState::Returned,
        ReportState::Rejected,
        ReportState::Accepted,
        ReportState::Edited,
        ReportState::SentUp,
        ReportState::Instructed,
        ReportState::FedBack,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ReportState::Draft => "草稿",
            ReportState::Submitted => "已报送",
            ReportState::Returned => "已退回",
            ReportState::Rejected => "不予采用",
            ReportState::Accepted => "已受理",
            ReportState::Edited => "已编发",
            ReportState::SentUp => "已报送上级",
            ReportState::Instructed => "已批示",
            ReportState::FedBack => "已反馈",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReportState::Draft => "draft",
            ReportState::Submitted => "submitted",
            ReportState::Returned => "returned",
            ReportState::Rejected => "rejected",
            ReportState::Accepted => "accepted",
            ReportState::Edited => "edited",
            ReportState::SentUp => "sent_up",
            ReportState::Instructed => "instructed",
            ReportState::FedBack => "fed_back",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Drafts and returned reports are the authors' alone.
    pub fn is_private(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::Returned)
    }
}

/// The level of a body a report is sent to, and of a leader who instructs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    Prefecture,
    County,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Province, Level::Prefecture, Level::County];

    pub fn label(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::Prefecture => "州市级",
            Level::County => "县级",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Which body at that level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// 政协: a higher CPPCC organisation, whose staff then see the report and may adopt it.
    Cppcc,
    /// 党委
    PartyCommittee,
    /// 政府
    Government,
}

impl Body {
    pub fn label(self) -> &'static str {
        match self {
            Body::Cppcc => "政协",
            Body::PartyCommittee => "党委",
            Body::Government => "政府",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Body::Cppcc => "cppcc",
            Body::PartyCommittee => "party_committee",
            Body::Government => "government",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Body::Cppcc, Body::PartyCommittee, Body::Government].into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a report was sent: the body and the organisation (the committee of that level, whose
/// name the apps show: 红河州委, 红河州政府 are written as the prefecture's organisation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Destination {
    pub body: Body,
    pub level: Level,
    pub org_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forwarding {
    pub destinations: Vec<Destination>,
    pub date_ms: i64,
    pub by: String,
}

/// An organisation's edited text in one issue of its 《社情民意》.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    pub org_id: String,
    /// 期号, e.g. 「2026年第12期」.
    pub issue: String,
    pub content: ReportContent,
    pub by: String,
    pub at_ms: i64,
}

/// A leader's written instruction (批示).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instruction {
    pub leader: String,
    pub level: Level,
    pub text: String,
    pub date_ms: i64,
    pub recorded_by: String,
}

/// One step of the history; `hash` covers every other field, `prev_hash` included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub seq: u32,
    pub action: String,
    pub actor_id: String,
    pub role: Role,
    pub org_id: String,
    pub at_ms: i64,
    pub to_state: ReportState,
    /// The reason or a short account of what the step recorded.
    pub note: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Step {
    fn digest(&self) -> String {
        let mut unsigned = self.clone();
        unsigned.hash = String::new();
        sha256_hex(serde_json::to_string(&unsigned).expect("steps always serialise").as_bytes())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: String,
    pub org_id: String,
    /// The lead author first, then the co-authors.
    pub author_ids: Vec<String>,
    /// A 专委会 or 界别 that is the author (its id), written by the lead author for it.
    pub author_group: Option<String>,
    /// The authors' text (never changed by staff: their edits are editions).
    pub content: ReportContent,
    pub state: ReportState,
    pub created_at_ms: i64,
    pub submitted_at_ms: Option<i64>,
    pub accepted_at_ms: Option<i64>,
    /// Why it was returned or not adopted.
    pub reason: Option<String>,
    pub editions: Vec<Edition>,
    pub forwardings: Vec<Forwarding>,
    pub instructions: Vec<Instruction>,
    /// 反馈: the outcome as told to the authors.
    pub feedback: Option<String>,
    /// The proposal this report was converted from, with its proposer's consent.
    pub from_proposal: Option<String>,
    /// The contact or studio message this report was made from (联络联系), if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::liaison::RaisedFrom>,
    pub history: Vec<Step>,
    pub updated_at_ms: i64,
}

impl Report {
    pub fn is_author(&self, person_id: &str) -> bool {
        self.author_ids.iter().any(|a| a == person_id)
    }

    /// Higher CPPCC organisations it was sent to (their staff see it and may adopt it).
    pub fn upper_orgs(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in self.forwardings.iter().flat_map(|f| &f.destinations) {
            if d.body == Body::Cppcc && !out.contains(&d.org_id) {
                out.push(d.org_id.clone());
            }
        }
        out
    }

    /// The edition of `org_id`'s periodical, if it adopted the report.
    pub fn edition_of(&self, org_id: &str) -> Option<&Edition> {
        self.editions.iter().find(|e| e.org_id == org_id)
    }

    /// Whether a higher organisation adopted it.
    pub fn adopted_above(&self) -> bool {
        self.editions.iter().any(|e| e.org_id != self.org_id)
    }

    pub fn head_hash(&self) -> String {
        self.history.last().map_or_else(|| genesis_hash(&self.id), |s| s.hash.clone())
    }

    fn record(&mut self, actor: &Actor, action: &str, note: String, at_ms: i64) {
        let mut step = Step {
            seq: self.history.len() as u32 + 1,
            action: action.into(),
            actor_id: actor.person_id.clone(),
            role: actor.role,
            org_id: actor.org_id.clone(),
            at_ms,
            to_state: self.state,
            note,
            prev_hash: self.head_hash(),
            hash: String::new(),
        };
        step.hash = step.digest();
        self.history.push(step);
        self.updated_at_ms = at_ms;
    }

    fn wrong_state(&self, action: &'static str) -> ConsultError {
        ConsultError::ReportWrongState { state: self.state.label(), action }
    }
}

/// The id of the report a proposal becomes when its proposer consents to the conversion: the
/// same on every phone and the server, so each side links the two without asking.
pub fn id_for_proposal(proposal_id: &str) -> String {
    format!("sqmy-{proposal_id}")
}

/// The chain's first `prev_hash`: binds the history to the report's id.
pub fn genesis_hash(report_id: &str) -> String {
    sha256_hex(format!("lvzhi-report:{report_id}").as_bytes())
}

/// Checks the hash chain; the first broken step's number when it fails.
pub fn verify_history(r: &Report) -> Result<(), u32> {
    let mut prev = genesis_hash(&r.id);
    for (i, s) in r.history.iter().enumerate() {
        if s.seq != i as u32 + 1 || s.prev_hash != prev || s.digest() != s.hash {
            return Err(i as u32 + 1);
        }
        prev = s.hash.clone();
    }
    Ok(())
}

/// A member starts a report (offline too), alone or with co-authors, optionally for a group.
pub fn create(
    actor: &Actor,
    id: &str,
    content: &ReportContent,
    co_authors: &[String],
    author_group: Option<&str>,
    now_ms: i64,
) -> Result<Report, ConsultError> {
    check_member(actor, &actor.org_id)?;
    let mut author_ids = vec![actor.person_id.clone()];
    for c in co_authors {
        if !author_ids.contains(c) {
            author_ids.push(c.clone());
        }
    }
    let mut r = Report {
        id: id.into(),
        org_id: actor.org_id.clone(),
        author_ids,
        author_group: author_group.map(Into::into),
        content: content.checked()?,
        state: ReportState::Draft,
        created_at_ms: now_ms,
        submitted_at_ms: None,
        accepted_at_ms: None,
        reason: None,
        editions: Vec::new(),
        forwardings: Vec::new(),
        instructions: Vec::new(),
        feedback: None,
        from_proposal: None,
        source: None,
        history: Vec::new(),
        updated_at_ms: now_ms,
    };
    r.record(actor, "create", String::new(), now_ms);
    Ok(r)
}

/// A report made from a proposal its proposer agreed to convert: submitted at once, with the
/// proposal's proposers as its authors and a link back.
pub fn from_proposal(
    actor: &Actor,
    id: &str,
    proposal: &crate::proposal::Proposal,
    now_ms: i64,
) -> Result<Report, ConsultError> {
    let c = &proposal.content;
    let content = ReportContent {
        title: c.title.chars().take(crate::duty::MAX_TITLE_CHARS).collect(),
        situation: c.cause.clone(),
        analysis: String::new(),
        suggestion: c.suggestions.clone(),
        attachments: Vec::new(),
    };
    let co: Vec<String> = proposal.proposers().skip(1).map(String::from).collect();
    let mut r = create(actor, id, &content, &co, None, now_ms)?;
    r.org_id = proposal.org_id.clone();
    r.from_proposal = Some(proposal.id.clone());
    r.state = ReportState::Submitted;
    r.submitted_at_ms = Some(now_ms);
    r.record(actor, "convert", format!("由提案「{}」转来", content.title), now_ms);
    Ok(r)
}

/// An author saves the text of a draft or a returned report.
pub fn save_draft(actor: &Actor, r: &Report, content: &ReportContent, now_ms: i64) -> Result<Report, ConsultError> {
    if !r.is_author(&actor.person_id) {
        return Err(ConsultError::NotAuthor);
    }
    if !r.state.is_private() {
        return Err(r.wrong_state("修改"));
    }
    let mut r = r.clone();
    r.content = content.checked()?;
    r.record(actor, "save", String::new(), now_ms);
    Ok(r)
}

/// An author submits (报送): the text must be complete and within the organisation's limit.
pub fn submit(actor: &Actor, r: &Report, max_chars: u32, now_ms: i64) -> Result<Report, ConsultError> {
    if !r.is_author(&actor.person_id) {
        return Err(ConsultError::NotAuthor);
    }
    if !r.state.is_private() {
        return Err(r.wrong_state("报送"));
    }
    r.content.check_complete(max_chars)?;
    let mut r = r.clone();
    r.state = ReportState::Submitted;
    r.submitted_at_ms = Some(now_ms);
    r.reason = None;
    r.record(actor, "submit", String::new(), now_ms);
    Ok(r)
}

/// What staff do with a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StaffStep {
    /// 受理
    Accept,
    /// 退回 to the authors for rework.
    Return { reason: String },
    /// 不予采用
    Reject { reason: String },
    /// 编发: the organisation's edited text in an issue of its periodical. Staff of a higher
    /// organisation the report was sent to use it to adopt the report.
    Edit { issue: String, content: ReportContent },
    /// 报送 to higher bodies on a date.
    SendUp { destinations: Vec<Destination>, date_ms: i64 },
    /// 批示 recorded.
    Instruct { leader: String, level: Level, text: String, date_ms: i64 },
    /// 反馈 to the authors.
    FeedBack { text: String },
}

impl StaffStep {
    pub fn code(&self) -> &'static str {
        match self {
            StaffStep::Accept => "accept",
            StaffStep::Return { .. } => "return",
            StaffStep::Reject { .. } => "reject",
            StaffStep::Edit { .. } => "edit",
            StaffStep::SendUp { .. } => "send_up",
            StaffStep::Instruct { .. } => "instruct",
            StaffStep::FeedBack { .. } => "feed_back",
        }
    }
}

/// Applies a staff step. `ancestors` are the report organisation's ancestors (nearest first):
/// a report may be sent only to a CPPCC above it.
pub fn act(
    actor: &Actor,
    r: &Report,
    step: &StaffStep,
    ancestors: &[String],
    now_ms: i64,
) -> Result<Report, ConsultError> {
    use ReportState as S;
    let mut r = r.clone();
    let own = actor.org_id == r.org_id;
    check_staff(actor, &actor.org_id)?;
    // Staff of a higher organisation the report was sent to may adopt it, and only that.
    if !own {
        if !matches!(step, StaffStep::Edit { .. }) {
            return Err(crate::duty::DutyError::NotStaff.into());
        }
        if !r.upper_orgs().contains(&actor.org_id) {
            return Err(ConsultError::NotSentHere);
        }
    }
    let note_text = match step {
        StaffStep::Accept => {
            if r.state != S::Submitted {
                return Err(r.wrong_state("受理"));
            }
            r.state = S::Accepted;
            r.accepted_at_ms = Some(now_ms);
            String::new()
        }
        StaffStep::Return { reason } | StaffStep::Reject { reason } => {
            let returning = matches!(step, StaffStep::Return { .. });
            let allowed: &[S] = if returning { &[S::Submitted] } else { &[S::Submitted, S::Accepted] };
            if !allowed.contains(&r.state) {
                return Err(r.wrong_state(if returning { "退回" } else { "不予采用" }));
            }
            let reason = note(if returning { "退回理由" } else { "不予采用理由" }, reason, true)?;
            r.state = if returning { S::Returned } else { S::Rejected };
            r.reason = Some(reason.clone());
            reason
        }
        StaffStep::Edit { issue, content } => {
            let issue = note("期号", issue, true).map_err(|_| ConsultError::EmptyIssue)?;
            if own && r.state != S::Accepted {
                return Err(r.wrong_state("编发"));
            }
            if r.edition_of(&actor.org_id).is_some() {
                return Err(ConsultError::AlreadyEdited);
            }
            let content = content.checked()?;
            content.check_complete(u32::MAX)?;
            r.editions.push(Edition {
                org_id: actor.org_id.clone(),
                issue: issue.clone(),
                content,
                by: actor.person_id.clone(),
                at_ms: now_ms,
            });
            if own {
                r.state = S::Edited;
            }
            issue
        }
        StaffStep::SendUp { destinations, date_ms } => {
            if !matches!(r.state, S::Edited | S::SentUp | S::Instructed) {
                return Err(r.wrong_state("报送上级"));
            }
            if destinations.is_empty() {
                return Err(ConsultError::NoDestination);
            }
            if destinations.iter().any(|d| d.body == Body::Cppcc && !ancestors.contains(&d.org_id)) {
                return Err(ConsultError::DestinationNotAbove);
            }
            r.forwardings.push(Forwarding {
                destinations: destinations.clone(),
                date_ms: *date_ms,
                by: actor.person_id.clone(),
            });
            if r.state == S::Edited {
                r.state = S::SentUp;
            }
            destinations.iter().map(|d| format!("{}{}", d.level.label(), d.body.label())).collect::<Vec<_>>().join("、")
        }
        StaffStep::Instruct { leader, level, text, date_ms } => {
            if !matches!(r.state, S::SentUp | S::Instructed) {
                return Err(r.wrong_state("记录批示"));
            }
            let leader = note("批示领导", leader, true)?;
            let text = body("批示内容", text, true)?;
            r.instructions.push(Instruction {
                leader: leader.clone(),
                level: *level,
                text,
                date_ms: *date_ms,
                recorded_by: actor.person_id.clone(),
            });
            r.state = S::Instructed;
            format!("{}领导{}批示", level.label(), leader)
        }
        StaffStep::FeedBack { text } => {
            if !matches!(r.state, S::Edited | S::SentUp | S::Instructed | S::FedBack) {
                return Err(r.wrong_state("反馈"));
            }
            let text = body("反馈内容", text, true)?;
            r.feedback = Some(text.clone());
            r.state = S::FedBack;
            text
        }
    };
    r.record(actor, step.code(), note_text, now_ms);
    Ok(r)
}

/// One line of a difference between the authors' text and an edition, for the apps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// 标题, 基本情况, 问题分析, 意见建议
    pub field: String,
    pub original: String,
    pub edited: String,
}

/// Which parts staff changed in an edition (unchanged parts are left out).
pub fn changes(original: &ReportContent, edited: &ReportContent) -> Vec<FieldChange> {
    [
        ("标题", &original.title, &edited.title),
        ("基本情况", &original.situation, &edited.situation),
        ("问题分析", &original.analysis, &edited.analysis),
        ("意见建议", &original.suggestion, &edited.suggestion),
    ]
    .into_iter()
    .filter(|(_, a, b)| a.trim() != b.trim())
    .map(|(f, a, b)| FieldChange { field: f.into(), original: a.clone(), edited: b.clone() })
    .collect()
}

/// What a step of a report's history is called: 受理, 编发, 报送上级…
pub fn step_label(code: &str) -> &'static str {
    match code {
        "create" => "起草",
        "save" => "修改",
        "submit" => "报送",
        "convert" => "由提案转来",
        "accept" => "受理",
        "return" => "退回",
        "reject" => "不予采用",
        "edit" => "编发",
        "send_up" => "报送上级",
        "instruct" => "批示",
        "feed_back" => "反馈",
        _ => "操作",
    }
}

/// One row of the statistics: an organisation's reports in a month (by submission date).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsRow {
    pub org_id: String,
    pub org_name: String,
    /// `2026-11`
    pub month: String,
    pub submitted: u32,
    pub accepted: u32,
    /// Edited into the organisation's own periodical.
    pub edited: u32,
    pub sent_up: u32,
    pub instructed: u32,
    /// Reports of this organisation adopted by a higher one.
    pub adopted_above: u32,
    /// Reports from organisations below that this one adopted in the month.
    pub adopted_from_below: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(p: &str) -> Actor {
        Actor { person_id: p.into(), role: Role::Member, org_id: "yn-12-03".into(), unit_id: None }
    }
    fn staff(org: &str) -> Actor {
        Actor { person_id: "chenjing".into(), role: Role::ProposalStaff, org_id: org.into(), unit_id: None }
    }
    fn content() -> ReportContent {
        ReportContent {
            attachments: Vec::new(),
            title: "关于蒙自市石榴产业冷链物流短板的建议".into(),
            situation: "蒙自市石榴种植面积已超过十万亩，但产地预冷库不足。".into(),
            analysis: "冷链设施投入大、使用季节短，合作社无力承担。".into(),
            suggestion: "建议统筹建设产地冷链集配中心。".into(),
        }
    }

    #[test]
    fn the_whole_flow_keeps_a_verifiable_chain() {
        let r = create(&member("zhangming"), "r1", &content(), &["lihua".into()], None, 1).unwrap();
        let r = submit(&member("lihua"), &r, crate::org::DEFAULT_REPORT_MAX_CHARS, 2).unwrap();
        let st = staff("yn-12-03");
        let anc = vec!["yn-12".to_string(), "yn".to_string()];
        let r = act(&st, &r, &StaffStep::Accept, &anc, 3).unwrap();
        let mut edited = content();
        edited.suggestion = "建议州级统筹建设产地冷链集配中心。".into();
        let r =
            act(&st, &r, &StaffStep::Edit { issue: "2026年第12期".into(), content: edited.clone() }, &anc, 4).unwrap();
        assert_eq!(changes(&r.content, &r.editions[0].content).len(), 1);
        let dest = vec![Destination { body: Body::Cppcc, level: Level::Prefecture, org_id: "yn-12".into() }];
        let r = act(&st, &r, &StaffStep::SendUp { destinations: dest, date_ms: 5 }, &anc, 5).unwrap();
        assert_eq!(r.upper_orgs(), vec!["yn-12".to_string()]);
        // The prefecture adopts it; another prefecture cannot.
        let r = act(&staff("yn-12"), &r, &StaffStep::Edit { issue: "第3期".into(), content: edited }, &[], 6).unwrap();
        assert!(r.adopted_above());
        assert_eq!(
            act(&staff("yn-13"), &r, &StaffStep::Edit { issue: "第1期".into(), content: content() }, &[], 6),
            Err(ConsultError::NotSentHere)
        );
        let step = StaffStep::Instruct {
            leader: "李明".into(),
            level: Level::Prefecture,
            text: "请州农业农村局研究落实。".into(),
            date_ms: 7,
        };
        let r = act(&st, &r, &step, &anc, 7).unwrap();
        let r = act(&st, &r, &StaffStep::FeedBack { text: "已列入州冷链建设计划。".into() }, &anc, 8).unwrap();
        assert_eq!(r.state, ReportState::FedBack);
        assert_eq!(verify_history(&r), Ok(()));
        let mut forged = r.clone();
        forged.history[2].note = "改过".into();
        assert_eq!(verify_history(&forged), Err(3));
    }

    #[test]
    fn refusals_have_reasons() {
        let empty = ReportContent { title: "关于乡村学校午餐的建议".into(), ..Default::default() };
        let r = create(&member("zhangming"), "r1", &empty, &[], None, 1).unwrap();
        assert_eq!(submit(&member("zhangming"), &r, 3000, 2), Err(ConsultError::EmptyReport { what: "基本情况" }));
        assert_eq!(submit(&member("wangfang"), &r, 3000, 2), Err(ConsultError::NotAuthor));
        let mut long = content();
        long.situation = "字".repeat(3001);
        let r = create(&member("zhangming"), "r2", &long, &[], None, 1).unwrap();
        assert!(matches!(submit(&member("zhangming"), &r, 3000, 2), Err(ConsultError::ReportTooLong { .. })));
        let r = create(&member("zhangming"), "r3", &content(), &[], None, 1).unwrap();
        let r = submit(&member("zhangming"), &r, 3000, 2).unwrap();
        let st = staff("yn-12-03");
        assert!(act(&st, &r, &StaffStep::Return { reason: " ".into() }, &[], 3).is_err());
        let dest = vec![Destination { body: Body::Cppcc, level: Level::Province, org_id: "yn-13".into() }];
        let r = act(&st, &r, &StaffStep::Accept, &[], 3).unwrap();
        let r = act(&st, &r, &StaffStep::Edit { issue: "第1期".into(), content: content() }, &[], 4).unwrap();
        assert_eq!(
            act(&st, &r, &StaffStep::SendUp { destinations: dest, date_ms: 5 }, &["yn-12".into()], 5),
            Err(ConsultError::DestinationNotAbove)
        );
    }
}
