//! The outbox as the member reads it: each action not yet accepted by the server, what it was,
//! and where it stands — waiting to be sent, refused with the server's reason (retry after
//! changing what made it fail, or discard), or waiting behind a refused one it depends on.

use std::collections::HashMap;

use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::time::to_millis;
use lvzhi_sql::Connection;
use lvzhi_store::proposal::repo;
use lvzhi_store::{chat, duty};
use lvzhi_sync::Result;

use crate::client::Client;
use crate::views::{OutboxItem, OutboxState};

/// Longest excerpt of a message in a label, in characters.
const EXCERPT_CHARS: usize = 20;

impl Client {
    /// Every action not yet accepted by the server, oldest first.
    pub fn outbox_items(&self) -> Result<Vec<OutboxItem>> {
        let entries = self.sync().outbox()?;
        self.store().read(|c| {
            // What each refused entry changed: proposals by id, groups by id.
            let mut refused: HashMap<String, (u64, String)> = HashMap::new();
            let mut items = Vec::with_capacity(entries.len());
            for e in &entries {
                let kind = &e.mutation.kind;
                let touched: Vec<String> = kind
                    .touches()
                    .into_iter()
                    .chain(chat::repo::group_of_mutation(c, kind)?.map(|g| format!("group:{g}")))
                    .collect();
                let state = match &e.rejected {
                    None if e.is_held() => OutboxState::WaitingForFiles,
                    Some(reason) => {
                        for t in &touched {
                            refused.entry(t.clone()).or_insert((e.mutation.id, reason.clone()));
                        }
                        OutboxState::Refused { reason: reason.clone() }
                    }
                    None => match touched.iter().find_map(|t| refused.get(t)) {
                        Some((id, reason)) => OutboxState::WaitingBehind { refused_id: *id, reason: reason.clone() },
                        None => OutboxState::Pending,
                    },
                };
                items.push(OutboxItem {
                    id: e.mutation.id,
                    label: label(c, kind)?,
                    state,
                    created_at_ms: to_millis(e.created_at),
                });
            }
            Ok(items)
        })
    }
}

/// What the entry did, in the member's words.
fn label(c: &Connection, kind: &MutationKind) -> Result<String> {
    let title = |id: &str| -> Result<String> {
        Ok(repo::load(c, id)?.map(|p| p.content.title).filter(|t| !t.is_empty()).unwrap_or_else(|| "未命名提案".into()))
    };
    let group = |id: &str| -> Result<String> {
        Ok(chat::repo::group(c, id)?.map(|g| g.name).unwrap_or_else(|| "学习交流群".into()))
    };
    Ok(match kind {
        MutationKind::CreateProposal { content, .. } => format!("起草提案：{}", content.title),
        MutationKind::ProposalAction { proposal_id, action, .. } => {
            format!("{}：{}", action.label(), title(proposal_id)?)
        }
        MutationKind::CreateGroup { name, .. } => format!("新建学习交流群：{name}"),
        MutationKind::SetGroupMembers { group_id, .. } => format!("调整群成员：{}", group(group_id)?),
        MutationKind::LeaveGroup { group_id } => format!("退出学习交流群：{}", group(group_id)?),
        MutationKind::SendMessage { message } => {
            let excerpt: String = message.text.chars().take(EXCERPT_CHARS).collect();
            let more = if message.text.chars().count() > EXCERPT_CHARS { "…" } else { "" };
            format!("发送消息：{excerpt}{more}")
        }
        MutationKind::RecallMessage { .. } => "撤回消息".into(),
        MutationKind::DeleteMessage { .. } => "删除消息".into(),
        MutationKind::MarkRead { group_id, .. } => format!("标记已读：{}", group(group_id)?),
        other => duty_label(c, other)?,
    })
}

/// Notices, meetings, the duty record and feedback, in the member's words.
fn duty_label(c: &Connection, kind: &MutationKind) -> Result<String> {
    use MutationKind as K;
    let notice = |id: &str| -> Result<String> {
        Ok(duty::repo::notice(c, id)?.map(|n| n.content.title).unwrap_or_else(|| "通知".into()))
    };
    let meeting = |id: &str| -> Result<String> {
        Ok(duty::repo::meeting(c, id)?.map(|m| m.title).unwrap_or_else(|| "会议活动".into()))
    };
    Ok(match kind {
        K::PublishNotice { content, .. } => format!("发布通知：{}", content.title),
        K::CorrectNotice { notice_id, .. } => format!("更正通知：{}", notice(notice_id)?),
        K::WithdrawNotice { notice_id, .. } => format!("撤回通知：{}", notice(notice_id)?),
        K::ReadNotice { notice_id } => format!("已读通知：{}", notice(notice_id)?),
        K::AnswerNotice { notice_id, answer, .. } => format!("回执「{}」：{}", answer.label(), notice(notice_id)?),
        K::CreateMeeting { draft, .. } => format!("新建{}：{}", draft.kind.label(), draft.title),
        K::SetMeetingCapacity { meeting_id, capacity } => format!("调整名额为{capacity}人：{}", meeting(meeting_id)?),
        K::SetMeetingDocument { title, .. } => format!("上传会议材料：{title}"),
        K::CancelMeeting { meeting_id, .. } => format!("取消会议：{}", meeting(meeting_id)?),
        K::ReplyMeeting { meeting_id, leave_reason: None } => format!("参加：{}", meeting(meeting_id)?),
        K::ReplyMeeting { meeting_id, leave_reason: Some(_) } => format!("请假：{}", meeting(meeting_id)?),
        K::DecideLeave { meeting_id, approve, .. } => {
            format!("{}请假：{}", if *approve { "批准" } else { "不批准" }, meeting(meeting_id)?)
        }
        K::SignUp { meeting_id } => format!("报名：{}", meeting(meeting_id)?),
        K::CancelSignUp { meeting_id } => format!("取消报名：{}", meeting(meeting_id)?),
        K::CheckIn { meeting_id, .. } => format!("签到：{}", meeting(meeting_id)?),
        K::CheckInByStaff { meeting_id, .. } => format!("代为签到：{}", meeting(meeting_id)?),
        K::MarkAbsent { meeting_id, .. } => format!("登记缺席：{}", meeting(meeting_id)?),
        K::RecordSpeech { kind, title, .. } => format!("记录{}：{title}", kind.label()),
        K::SubmitSelfReport { title, .. } => format!("提交自主履职：{title}"),
        K::DecideSelfReport { accept, .. } => (if *accept { "认定自主履职" } else { "退回自主履职" }).into(),
        K::SetDutyRules { .. } => "修改履职积分规则".into(),
        K::SendFeedback { .. } => "提交意见建议".into(),
        K::AnswerFeedback { .. } => "答复意见建议".into(),
        other => consult_label(c, other)?,
    })
}

/// 社情民意, 网络议政, remote-consultation speeches and 协商在基层, in the member's words.
fn consult_label(c: &Connection, kind: &MutationKind) -> Result<String> {
    use MutationKind as K;
    use lvzhi_store::consult::repo;
    let report = |id: &str| -> Result<String> {
        Ok(repo::report(c, id)?.map(|r| r.content.title).unwrap_or_else(|| "社情民意信息".into()))
    };
    let topic =
        |id: &str| -> Result<String> { Ok(repo::topic(c, id)?.map(|t| t.title).unwrap_or_else(|| "议题".into())) };
    let post_topic = |id: &str| -> Result<String> {
        match repo::post(c, id)? {
            Some(p) => topic(&p.topic_id),
            None => Ok("议题".into()),
        }
    };
    let meeting = |id: &str| -> Result<String> {
        Ok(duty::repo::meeting(c, id)?.map(|m| m.title).unwrap_or_else(|| "会议活动".into()))
    };
    Ok(match kind {
        K::CreateReport { content, .. } => format!("起草社情民意：{}", content.title),
        K::SaveReport { report_id, .. } => format!("修改社情民意：{}", report(report_id)?),
        K::SubmitReport { report_id } => format!("报送社情民意：{}", report(report_id)?),
        K::ReportStep { report_id, step } => {
            let what = match step.code() {
                "accept" => "受理",
                "return" => "退回",
                "reject" => "不予采用",
                "edit" => "编发",
                "send_up" => "报送上级",
                "instruct" => "记录批示",
                _ => "反馈",
            };
            format!("{what}社情民意：{}", report(report_id)?)
        }
        K::OpenTopic { draft, .. } => format!("发布议题：{}", draft.title),
        K::CloseTopic { topic_id } => format!("结束议题：{}", topic(topic_id)?),
        K::SummariseTopic { topic_id, .. } => format!("发布综述：{}", topic(topic_id)?),
        K::WritePost { topic_id, reply_to: None, .. } => format!("发表意见：{}", topic(topic_id)?),
        K::WritePost { topic_id, .. } => format!("回复意见：{}", topic(topic_id)?),
        K::EditPost { post_id, .. } => format!("修改意见：{}", post_topic(post_id)?),
        K::SecondPost { post_id, .. } => format!("附议：{}", post_topic(post_id)?),
        K::HidePost { post_id, .. } => format!("隐藏意见：{}", post_topic(post_id)?),
        K::ApplyToSpeak { meeting_id, .. } => format!("申请发言：{}", meeting(meeting_id)?),
        K::OrderSpeakers { meeting_id, .. } => format!("安排发言顺序：{}", meeting(meeting_id)?),
        K::MarkSpoke { meeting_id, .. } => format!("登记发言：{}", meeting(meeting_id)?),
        K::RecordConsultation { draft, .. } => format!("记录基层协商：{}", draft.topic),
        K::FollowUpConsensus { .. } => "更新共识落实情况".into(),
        K::KeepMemberFile { .. } => "维护委员档案".into(),
        K::RequestFileCorrection { .. } => "申请更正委员档案".into(),
        K::DecideFileCorrection { approve: true, .. } => "同意档案更正".into(),
        K::DecideFileCorrection { .. } => "退回档案更正".into(),
        K::SaveContact { draft, .. } => format!("保存联系人：{}", draft.name),
        K::RemoveContact { .. } => "删除联系人".into(),
        K::LogContact { draft, .. } => format!("记录联系（{}，{}）", draft.way.label(), draft.date),
        K::RaiseDraft { into: lvzhi_domain::liaison::RaiseInto::Report { .. }, from } => {
            format!("由{}形成社情民意信息", from.label())
        }
        K::RaiseDraft { from, .. } => format!("由{}形成提案草稿", from.label()),
        K::SaveStudio { draft, .. } => format!("保存委员工作室：{}", draft.name),
        K::AnswerStudioMessage { .. } => "答复工作室留言".into(),
        _ => "操作".into(),
    })
}
