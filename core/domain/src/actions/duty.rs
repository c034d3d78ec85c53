//! Notices, meetings and activities, the duty record's self-reports and 意见建议.

use super::{ActionKind as K, Command};
use crate::duty::notice::ReplyOption;
use crate::duty::{MAX_BODY_CHARS, MAX_NOTE_CHARS};
use crate::form::{self, ChoiceOption, Filled, FormError, Input, NO, YES};

const ANSWERS: [(ReplyOption, &str); 3] =
    [(ReplyOption::Attend, "attend"), (ReplyOption::Decline, "decline"), (ReplyOption::Other, "other")];

/// Keys of the inputs whose options are the meeting's roster; its builder fills them.
pub const PERSON: &str = "person";
/// The key of the speakers to put in order, filled with the meeting's speakers.
pub const SPEAKERS: &str = "speakers";

/// The longest check-in code accepted (a signed token, a few hundred characters).
const MAX_CODE_CHARS: usize = 2_000;
/// The most seats a meeting or activity may offer.
pub const MAX_CAPACITY: u32 = 100_000;

pub(super) fn describe(kind: K) -> (&'static str, Vec<Input>) {
    let reason = |label: &str| form::text("reason", label, MAX_NOTE_CHARS, true);
    let roster = || form::choice(PERSON, "委员", vec![]);
    match kind {
        K::NoticeAnswer => (
            "回执",
            vec![
                form::choice("answer", "回执", form::options(&ANSWERS, ReplyOption::label)),
                form::text("note", "备注", MAX_NOTE_CHARS, false),
            ],
        ),
        K::NoticeWithdraw => ("撤回通知", vec![reason("撤回理由")]),
        K::MeetingAttend => ("参加", vec![]),
        K::MeetingAskLeave => ("请假", vec![reason("请假理由")]),
        K::MeetingSignUp => ("报名", vec![]),
        K::MeetingCancelSignUp => ("取消报名", vec![]),
        K::MeetingCheckIn => ("签到", vec![form::text("code", "签到码", MAX_CODE_CHARS, true)]),
        K::MeetingDecideLeave => (
            "审批请假",
            vec![
                roster(),
                form::choice(
                    "decision",
                    "审批结果",
                    vec![ChoiceOption::new(YES, "批准"), ChoiceOption::new(NO, "不批准")],
                ),
                form::text("note", "说明", MAX_NOTE_CHARS, false),
            ],
        ),
        K::MeetingCheckInPerson => ("代签到", vec![roster()]),
        K::MeetingMarkAbsent => ("登记缺席", vec![roster()]),
        K::MeetingCancel => ("取消会议", vec![reason("取消原因")]),
        K::MeetingSetCapacity => ("调整名额", vec![form::number("capacity", "名额", 1, MAX_CAPACITY)]),
        K::MeetingApplyToSpeak => ("申请发言", vec![form::text("text", "书面发言", MAX_BODY_CHARS, true)]),
        K::MeetingOrderSpeakers => ("排定发言顺序", vec![form::many(SPEAKERS, "发言顺序（按先后选择）", vec![])]),
        K::MeetingMarkSpoke => ("登记发言", vec![roster()]),
        K::SelfReportAccept => ("认定", vec![]),
        K::SelfReportRefuse => ("退回", vec![reason("退回理由")]),
        _ => ("答复意见建议", vec![form::text("answer", "答复", MAX_BODY_CHARS, true)]),
    }
}

pub(super) fn parse(kind: K, f: &Filled) -> Result<Command, FormError> {
    Ok(match kind {
        K::NoticeAnswer => Command::NoticeAnswer { answer: f.choice("answer", &ANSWERS)?, note: f.text("note") },
        K::NoticeWithdraw => Command::NoticeWithdraw { reason: f.text("reason") },
        K::MeetingAttend => Command::MeetingReply { leave_reason: None },
        K::MeetingAskLeave => Command::MeetingReply { leave_reason: Some(f.text("reason")) },
        K::MeetingSignUp => Command::MeetingSignUp,
        K::MeetingCancelSignUp => Command::MeetingCancelSignUp,
        K::MeetingCheckIn => Command::MeetingCheckIn { code: f.text("code") },
        K::MeetingDecideLeave => {
            Command::MeetingDecideLeave { person_id: f.text(PERSON), approve: f.yes("decision")?, note: f.text("note") }
        }
        K::MeetingCheckInPerson => Command::MeetingCheckInPerson { person_id: f.text(PERSON) },
        K::MeetingMarkAbsent => Command::MeetingMarkAbsent { person_id: f.text(PERSON) },
        K::MeetingCancel => Command::MeetingCancel { reason: f.text("reason") },
        K::MeetingSetCapacity => Command::MeetingSetCapacity { capacity: f.number("capacity")? },
        K::MeetingApplyToSpeak => Command::MeetingApplyToSpeak { text: f.text("text") },
        K::MeetingOrderSpeakers => Command::MeetingOrderSpeakers { person_ids: f.picks(SPEAKERS) },
        K::MeetingMarkSpoke => Command::MeetingMarkSpoke { person_id: f.text(PERSON) },
        K::SelfReportAccept => Command::SelfReportDecide { accept: true, reason: String::new() },
        K::SelfReportRefuse => Command::SelfReportDecide { accept: false, reason: f.text("reason") },
        _ => Command::FeedbackAnswer { answer: f.text("answer") },
    })
}
