//! 通知公告, 会议活动, 履职档案 and 意见建议 in the terminal shell: what they show, and the
//! staff's publishing and rules. Answering, attending, checking in and reviewing are the core's
//! actions, read in `actions`.

use lvzhi_client::Client;
use lvzhi_domain::duty::notice::{Audience, NoticeContent, NoticeKind};

use crate::{arg, at, err, show};

pub(crate) const COMMANDS: &[&str] = &[
    "todo",
    "notices",
    "notice",
    "publish",
    "meetings",
    "meeting",
    "checkin-code",
    "rules",
    "set-rule",
    "record",
    "members",
    "self-report",
    "feedback",
];

/// The words after a command: its flags, its plain words, and today.
pub(crate) struct Words<'a> {
    cmd: &'a [String],
    /// Not flags, and not the values of `--html FILE`, `--days N` and `--threshold N`.
    plain: Vec<&'a String>,
    now: i64,
}

impl<'a> Words<'a> {
    fn new(cmd: &'a [String]) -> Words<'a> {
        let plain = cmd
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(i, w)| {
                !w.starts_with("--") && !matches!(cmd[i - 1].as_str(), "--html" | "--days" | "--threshold")
            })
            .map(|(_, w)| w)
            .collect();
        Words { cmd, plain, now: lvzhi_domain::time::to_millis(lvzhi_domain::time::now()) }
    }

    fn flag(&self, f: &str) -> bool {
        self.cmd.iter().any(|w| w == f)
    }

    /// The year named first, or this year.
    fn year(&self) -> Result<i32, String> {
        match self.plain.first() {
            Some(y) => y.parse().map_err(|_| "年份应为数字".to_string()),
            None => Ok(lvzhi_domain::duty::record::year_of(self.now)),
        }
    }
}

pub(crate) async fn run(app: &Client, json: bool, name: &str, cmd: &[String]) -> Result<(), String> {
    let w = Words::new(cmd);
    match name {
        "todo" | "notices" | "notice" | "publish" => notices(app, json, name, cmd, &w),
        "meetings" | "meeting" | "checkin-code" => meetings(app, json, name, cmd, &w).await,
        _ => record(app, json, name, cmd, &w),
    }
}

/// 待办, 通知公告: the list, one notice with its follow-up for staff, publishing.
fn notices(app: &Client, json: bool, name: &str, cmd: &[String], w: &Words<'_>) -> Result<(), String> {
    let flag = |f: &str| w.flag(f);
    let words = &w.plain;
    let now = w.now;
    match name {
        "todo" => show(json, &app.reminders().map_err(err)?, |rs| {
            if rs.is_empty() {
                return "暂无待办事项".into();
            }
            rs.iter()
                .map(|r| {
                    format!(
                        "{}：{}{}（{}）",
                        r.action,
                        r.title,
                        r.due_at_ms.map(|d| format!("，{}前", at(d))).unwrap_or_default(),
                        r.id
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "notices" => show(json, &app.notices().map_err(err)?, |ns| {
            if ns.is_empty() {
                return "暂无通知".into();
            }
            ns.iter()
                .map(|n| {
                    let marks = [
                        (!n.read && n.addressed_to_me).then_some("未读"),
                        n.corrected.then_some("已更正"),
                        n.withdrawn.then_some("已撤回"),
                    ];
                    let marks: Vec<&str> = marks.into_iter().flatten().collect();
                    let answer = n.answer_label.as_ref().map(|a| format!(" 回执：{a}")).unwrap_or_default();
                    format!("{}  [{}] {} {}{}", n.id, n.kind_label, n.title, marks.join(" "), answer)
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "notice" => {
            let id = arg(cmd, 1, "通知编号")?;
            let d = app.open_notice(&id).map_err(err)?;
            let follow = if d.can_manage { app.notice_follow_up(&id).ok() } else { None };
            show(json, &(&d, &follow), |(d, follow)| {
                let mut out = format!(
                    "{}\n{}　{}　{}\n{}\n",
                    d.item.title, d.item.kind_label, d.item.org_name, d.audience_label, d.body
                );
                if let Some(r) = &d.withdrawn_reason {
                    out += &format!("已撤回：{r}\n");
                }
                if let Some(dl) = d.item.reply_deadline_ms {
                    out += &format!("回执截止：{}\n", at(dl));
                }
                if let Some(a) = &d.item.answer_label {
                    out += &format!("我的回执：{a}\n");
                }
                if let Some(f) = follow {
                    out += &format!("应收{}人　已读{}人　已回执{}人\n", f.recipients, f.read, f.answered);
                    for l in &f.lines {
                        let state = l
                            .answer
                            .map(|a| a.label().to_string())
                            .unwrap_or_else(|| (if l.read { "已读未回执" } else { "未读" }).into());
                        out += &format!(
                            "  {}　{}{}\n",
                            l.name,
                            state,
                            if l.note.is_empty() { String::new() } else { format!("（{}）", l.note) }
                        );
                    }
                }
                out.trim_end().to_string()
            });
        }
        "publish" => {
            let days = cmd.iter().position(|w| w == "--days").and_then(|i| cmd.get(i + 1)).map(|d| d.parse::<i64>());
            let deadline = match days {
                Some(Ok(d)) => Some(now + d * 86_400_000),
                Some(Err(_)) => return Err("--days 需要天数".into()),
                None => None,
            };
            let (title, body) = (words.first().ok_or("缺少标题")?, words.get(1).ok_or("缺少正文")?);
            let subordinates = flag("--below");
            let audience = if flag("--all") {
                Audience::Organisation { subordinates }
            } else {
                Audience::Members { subordinates }
            };
            let content = NoticeContent {
                attachments: Vec::new(),
                urgent: false,
                title: title.to_string(),
                body: body.to_string(),
                kind: NoticeKind::Work,
                audience,
                asks_reply: deadline.is_some(),
                reply_deadline_ms: deadline,
            };
            let id = app.publish_notice(None, content).map_err(err)?;
            show(json, &serde_json::json!({ "id": id }), |_| format!("已发布通知 {id}，同步时发送"));
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}

/// 会议活动: the list, one meeting with its roster for staff, the check-in code.
async fn meetings(app: &Client, json: bool, name: &str, cmd: &[String], w: &Words<'_>) -> Result<(), String> {
    let now = w.now;
    match name {
        "meetings" => show(json, &app.meetings().map_err(err)?, |ms| {
            if ms.is_empty() {
                return "暂无会议活动".into();
            }
            ms.iter()
                .map(|m| {
                    let mine = m.my_reply_label.as_deref().unwrap_or("");
                    let checked = if m.checked_in { " 已签到" } else { "" };
                    format!(
                        "{}  [{}] {}　{}　{}　{}{}",
                        m.id,
                        m.kind_label,
                        m.title,
                        at(m.starts_at_ms),
                        m.place,
                        mine,
                        checked
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "meeting" => {
            let d = app.meeting(&arg(cmd, 1, "会议编号")?).map_err(err)?;
            show(json, &d, |d| {
                let m = &d.meeting;
                let mut out = format!(
                    "{}\n{}　{} 至 {}\n地点：{}　主办：{}\n",
                    m.title,
                    d.item.kind_label,
                    at(m.starts_at_ms),
                    at(m.ends_at_ms),
                    m.place,
                    m.organiser
                );
                if let Some(c) = d.item.capacity {
                    out += &format!("名额{c}人　已报名{}人　候补{}人\n", d.item.taken, d.item.waiting);
                }
                if let Some(mine) = &d.item.my_reply_label {
                    out += &format!("我的状态：{mine}{}\n", if d.item.checked_in { "　已签到" } else { "" });
                }
                if !m.agenda.is_empty() {
                    out += &format!("议程：{}\n", m.agenda);
                }
                for doc in &m.documents {
                    out += &format!("会议材料：{}（第{}版）\n{}\n", doc.title, doc.version, doc.body);
                }
                for l in &d.roster {
                    let parts = [
                        Some(l.reply_label.clone()),
                        l.leave_label.as_ref().map(|x| format!("请假{x}")),
                        l.checked_in.then(|| "已签到".to_string()),
                        l.absence_label.clone(),
                    ];
                    let parts: Vec<String> = parts.into_iter().flatten().collect();
                    out += &format!("  {}（{}）　{}\n", l.name, l.person_id, parts.join("　"));
                }
                out.trim_end().to_string()
            });
        }
        "checkin-code" => {
            let hours: i64 = cmd.get(2).map(|h| h.parse().map_err(|_| "小时数应为数字")).transpose()?.unwrap_or(8);
            let code = app
                .check_in_code(&arg(cmd, 1, "会议编号")?, now - 600_000, now + hours * 3_600_000)
                .await
                .map_err(err)?;
            show(json, &serde_json::json!({ "code": code }), |_| code.clone());
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}

/// 履职档案 and its rules, members' records for staff, 自主履职, 意见建议.
fn record(app: &Client, json: bool, name: &str, cmd: &[String], w: &Words<'_>) -> Result<(), String> {
    let flag = |f: &str| w.flag(f);
    let words = &w.plain;
    let year = || w.year();
    match name {
        "rules" => show(json, &app.duty_rules().map_err(err)?, |r| {
            let mut out = format!(
                "积分规则第{}版　年度最低分{}　联名提案第一提案人{}\n",
                r.version,
                r.yearly_threshold,
                if r.split_co_signed { "得一半分" } else { "得全分" }
            );
            for (key, label) in lvzhi_domain::duty::record::RULE_KEYS {
                out += &format!("  {key}　{label}　{}分\n", r.points.get(key).copied().unwrap_or(0));
            }
            out.trim_end().to_string()
        }),
        "set-rule" => {
            let mut rules = app.duty_rules().map_err(err)?;
            if let (Some(key), Some(points)) = (words.first(), words.get(1)) {
                let points: i32 = points.parse().map_err(|_| "分值应为整数")?;
                rules.points.insert(key.to_string(), points);
            }
            if let Some(t) = cmd.iter().position(|w| w == "--threshold").and_then(|i| cmd.get(i + 1)) {
                rules.yearly_threshold = t.parse().map_err(|_| "年度最低分应为整数")?;
            }
            if flag("--split") {
                rules.split_co_signed = true;
            }
            if flag("--no-split") {
                rules.split_co_signed = false;
            }
            app.set_duty_rules(rules).map_err(err)?;
            println!("已修改积分规则，同步时发送");
        }
        "record" => {
            let record = app.duty_record(year()?).map_err(err)?;
            if let Some(i) = cmd.iter().position(|w| w == "--html") {
                let file = cmd.get(i + 1).ok_or("--html 需要文件名")?;
                std::fs::write(file, app.annual_report(record.year).map_err(err)?)
                    .map_err(|e| format!("写入失败：{e}"))?;
                println!("年度履职报告已导出到 {file}");
                return Ok(());
            }
            show(json, &record, |r| {
                let mut out = format!("{}年度履职积分 {} 分（积分规则第{}版）\n", r.year, r.total, r.rule_version);
                for k in &r.by_kind {
                    out += &format!("  {}　{}次　{}分\n", k.label, k.count, k.points);
                }
                for l in &r.lines {
                    out += &format!("{}　{}　{}　{}分\n", at(l.fact.at_ms), l.label, l.fact.title, l.points);
                }
                out.trim_end().to_string()
            });
        }
        "members" => show(json, &app.member_records(year()?, flag("--below")).map_err(err)?, |ms| {
            ms.iter()
                .map(|m| {
                    let below = if m.below_threshold { "　低于年度最低分" } else { "" };
                    format!("{}（{}）　{}分{}", m.name, m.person_id, m.total, below)
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "self-report" => {
            let id = app
                .submit_self_report(
                    &arg(cmd, 1, "标题")?,
                    &arg(cmd, 2, "内容")?,
                    lvzhi_domain::form::start_of_day(&arg(cmd, 3, "日期")?)
                        .map(lvzhi_domain::time::to_millis)
                        .ok_or("日期应为 年-月-日")?,
                )
                .map_err(err)?;
            show(json, &serde_json::json!({ "id": id }), |_| format!("已提交自主履职 {id}，待工作人员审核"));
        }
        "feedback" => {
            if cmd.len() > 1 {
                let id = app.send_feedback(&cmd[1..].join(" ")).map_err(err)?;
                show(json, &serde_json::json!({ "id": id }), |_| format!("已提交意见建议 {id}，同步时发送"));
            } else {
                show(json, &app.feedback().map_err(err)?, |fs| {
                    fs.iter()
                        .map(|l| &l.feedback)
                        .map(|f| {
                            format!("{}　{}\n  答复：{}", f.id, f.text, f.answer.as_deref().unwrap_or("（待答复）"))
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}
