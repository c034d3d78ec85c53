//! 社情民意 staff steps, 网络议政 topics and posts.

use super::{ActionKind as K, Command};
use crate::consult::report::{Body, Destination, Level, StaffStep};
use crate::duty::{MAX_BODY_CHARS, MAX_NOTE_CHARS};
use crate::form::{self, Filled, FormError, Input};
use crate::time::to_millis;

const LEVELS: [(Level, &str); 3] =
    [(Level::Province, "province"), (Level::Prefecture, "prefecture"), (Level::County, "county")];
const BODIES: [(Body, &str); 3] =
    [(Body::Cppcc, "cppcc"), (Body::PartyCommittee, "party_committee"), (Body::Government, "government")];

/// The key of 报送's destinations, whose options (the bodies above the report's organisation)
/// its builder fills in, each with [`destination_code`] as its value.
pub const DESTINATIONS: &str = "destinations";
/// The key of the posts a summary quotes (综述采用), filled in with the topic's posts.
pub const QUOTED: &str = "quoted";

/// A destination as a choice's value: `body/level/org_id`.
pub fn destination_code(d: &Destination) -> String {
    format!("{}/{}/{}", code_of(&BODIES, d.body), code_of(&LEVELS, d.level), d.org_id)
}

fn code_of<T: PartialEq>(table: &[(T, &'static str)], value: T) -> &'static str {
    table.iter().find(|(t, _)| *t == value).map(|(_, c)| *c).unwrap_or_default()
}

fn destination(label: &str, value: &str) -> Result<Destination, FormError> {
    let bad = || FormError::NotAnOption { label: label.to_string() };
    let mut parts = value.splitn(3, '/');
    let (Some(body), Some(level), Some(org_id)) = (parts.next(), parts.next(), parts.next()) else { return Err(bad()) };
    let body = BODIES.iter().find(|(_, c)| *c == body).map(|(b, _)| *b).ok_or_else(bad)?;
    let level = LEVELS.iter().find(|(_, c)| *c == level).map(|(l, _)| *l).ok_or_else(bad)?;
    if org_id.is_empty() {
        return Err(bad());
    }
    Ok(Destination { body, level, org_id: org_id.to_string() })
}

/// The day 报送 or 批示 happened: today unless staff give another.
fn today_unless_given(label: &str) -> Input {
    Input { required: false, ..form::date("date", label) }
}

fn day(f: &Filled) -> Result<Option<i64>, FormError> {
    f.optional("date").map(|_| f.start_of_day("date").map(to_millis)).transpose()
}

pub(super) fn describe(kind: K) -> (&'static str, Vec<Input>) {
    let reason = |label: &str| form::text("reason", label, MAX_NOTE_CHARS, true);
    match kind {
        K::ReportSubmit => ("提交", vec![]),
        K::ReportAccept => ("受理", vec![]),
        K::ReportReturn => ("退回", vec![reason("退回理由")]),
        K::ReportReject => ("不予采用", vec![reason("不予采用的理由")]),
        K::ReportSendUp => {
            ("报送上级", vec![form::many(DESTINATIONS, "报送单位", vec![]), today_unless_given("报送日期")])
        }
        K::ReportInstruct => (
            "记录批示",
            vec![
                form::text("leader", "批示领导", MAX_NOTE_CHARS, true),
                form::choice("level", "领导级别", form::options(&LEVELS, Level::label)),
                form::text("text", "批示内容", MAX_BODY_CHARS, true),
                today_unless_given("批示日期"),
            ],
        ),
        K::ReportFeedBack => ("反馈", vec![form::text("text", "反馈内容", MAX_BODY_CHARS, true)]),
        K::TopicClose => ("结束议题", vec![]),
        K::TopicSummarise => (
            "发布综述",
            vec![
                form::text("text", "综述", MAX_BODY_CHARS, true),
                form::Input { required: false, ..form::many(QUOTED, "采用的意见", vec![]) },
            ],
        ),
        K::PostSecond => ("附议", vec![]),
        _ => ("隐藏", vec![reason("隐藏理由")]),
    }
}

pub(super) fn parse(kind: K, f: &Filled) -> Result<Command, FormError> {
    Ok(match kind {
        K::ReportSubmit => Command::ReportSubmit,
        K::ReportAccept => Command::ReportStep(StaffStep::Accept),
        K::ReportReturn => Command::ReportStep(StaffStep::Return { reason: f.text("reason") }),
        K::ReportReject => Command::ReportStep(StaffStep::Reject { reason: f.text("reason") }),
        K::ReportSendUp => {
            let label = f.label(DESTINATIONS);
            let destinations =
                f.picks(DESTINATIONS).iter().map(|v| destination(&label, v)).collect::<Result<Vec<_>, _>>()?;
            Command::ReportSendUp { destinations, date_ms: day(f)? }
        }
        K::ReportInstruct => Command::ReportInstruct {
            leader: f.text("leader"),
            level: f.choice("level", &LEVELS)?,
            text: f.text("text"),
            date_ms: day(f)?,
        },
        K::ReportFeedBack => Command::ReportStep(StaffStep::FeedBack { text: f.text("text") }),
        K::TopicClose => Command::TopicClose,
        K::TopicSummarise => Command::TopicSummarise { text: f.text("text"), quoted: f.picks(QUOTED) },
        K::PostSecond => Command::PostSecond,
        _ => Command::PostHide { reason: f.text("reason") },
    })
}
