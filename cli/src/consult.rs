//! 社情民意, 网络议政, remote-consultation speeches and 协商在基层 in the terminal shell.

use lvzhi_client::Client;
use lvzhi_domain::consult::grassroots::{ConsensusDraft, ConsensusStatus, ConsultationDraft};
use lvzhi_domain::consult::report::{Body, Destination, Level, ReportContent, ReportState, StaffStep};
use lvzhi_domain::consult::topic::TopicDraft;
use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::time::{now, to_millis};

use crate::{arg, at, err, show};

fn level(s: &str) -> Result<Level, String> {
    Level::ALL.into_iter().find(|l| l.label() == s).ok_or_else(|| "级别应为 省级、州市级 或 县级".into())
}

fn body(s: &str) -> Result<Body, String> {
    [Body::Cppcc, Body::PartyCommittee, Body::Government]
        .into_iter()
        .find(|b| b.label() == s)
        .ok_or_else(|| "报送单位应为 政协、党委 或 政府".into())
}

fn content(cmd: &[String], from: usize) -> Result<ReportContent, String> {
    Ok(ReportContent {
        attachments: Vec::new(),
        title: arg(cmd, from, "标题")?,
        situation: arg(cmd, from + 1, "基本情况")?,
        analysis: cmd.get(from + 2).cloned().unwrap_or_default(),
        suggestion: arg(cmd, from + 3, "意见建议")?,
    })
}

fn saved(json: bool, id: &str, what: &str) {
    show(json, &serde_json::json!({ "id": id }), |_| format!("已保存{what} {id}，同步时发送"));
}

pub(crate) async fn run(app: &Client, json: bool, name: &str, cmd: &[String]) -> Result<(), String> {
    match name {
        "reports" | "report" | "draft-report" | "edit-report" | "submit-report" | "report-do" | "report-stats" => {
            reports(app, json, name, cmd).await
        }
        "topics" | "topic" | "open-topic" | "post" | "edit-post" | "speakers" => topics(app, json, name, cmd),
        "consultations" | "consultation" | "record-consultation" | "follow-up" => grassroots(app, json, name, cmd),
        other => Err(format!("不认识的命令：{other}")),
    }
}

/// 社情民意: the list by state, one report with its editions, drafting, staff steps, statistics.
async fn reports(app: &Client, json: bool, name: &str, cmd: &[String]) -> Result<(), String> {
    let now = to_millis(now());
    let rest = |from: usize| cmd[from.min(cmd.len())..].join(" ");
    match name {
        "reports" => {
            let state = match cmd.get(1) {
                Some(s) => Some(ReportState::ALL.into_iter().find(|x| x.label() == s).ok_or("不认识的状态")?),
                None => None,
            };
            show(json, &app.reports(state).map_err(err)?, |rs| {
                if rs.is_empty() {
                    return "暂无社情民意信息".into();
                }
                rs.iter()
                    .map(|r| {
                        let up = if r.adopted_above { " 上级采用" } else { "" };
                        format!("{}  [{}] {}　{}　{}字{up}", r.id, r.state_label, r.title, r.authors, r.chars)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        "report" => {
            let d = app.report(&arg(cmd, 1, "编号")?).map_err(err)?;
            show(json, &d, |d| {
                let c = &d.report.content;
                let mut out = format!(
                    "{}\n[{}]　{}　{}\n基本情况：{}\n问题分析：{}\n意见建议：{}\n",
                    c.title, d.item.state_label, d.item.org_name, d.item.authors, c.situation, c.analysis, c.suggestion
                );
                if let Some(w) = &d.length_warning {
                    out += &format!("提示：{w}\n");
                }
                if let Some(r) = &d.report.reason {
                    out += &format!("理由：{r}\n");
                }
                for e in &d.editions {
                    out += &format!("{}编发（{}）\n", e.org_name, e.issue);
                    for ch in &e.changes {
                        out += &format!("  {}：{} → {}\n", ch.field, ch.original, ch.edited);
                    }
                }
                for i in &d.report.instructions {
                    out += &format!("批示：{}（{}）{}\n", i.leader, i.level.label(), i.text);
                }
                if let Some(f) = &d.report.feedback {
                    out += &format!("反馈：{f}\n");
                }
                out += &format!("办理记录{}：\n", if d.history_intact { "" } else { "（校验失败！）" });
                for h in &d.history {
                    let note = if h.note.is_empty() { String::new() } else { format!("　{}", h.note) };
                    out +=
                        &format!("  {}　{}　{}→{}{note}\n", at(h.at_ms), h.actor_name, h.action_label, h.state_label);
                }
                if !d.staff_steps.is_empty() {
                    out += &format!("可执行：{}\n", d.staff_steps.join(" "));
                }
                out.trim_end().to_string()
            });
        }
        "draft-report" => {
            let with: Vec<String> = match cmd.iter().position(|w| w == "--with") {
                Some(i) => cmd[i + 1..].to_vec(),
                None => Vec::new(),
            };
            let end = cmd.iter().position(|w| w == "--with").unwrap_or(cmd.len());
            let id = app.create_report(content(&cmd[..end], 1)?, with, None).map_err(err)?;
            saved(json, &id, "社情民意");
        }
        "edit-report" => {
            app.save_report(&arg(cmd, 1, "编号")?, content(cmd, 2)?).map_err(err)?;
            println!("已保存，同步时发送");
        }
        "submit-report" => {
            app.submit_report(&arg(cmd, 1, "编号")?).map_err(err)?;
            println!("已报送，同步时发送");
        }
        "report-do" => {
            let id = arg(cmd, 1, "编号")?;
            let step = match arg(cmd, 2, "操作")?.as_str() {
                "accept" => StaffStep::Accept,
                "return" => StaffStep::Return { reason: rest(3) },
                "reject" => StaffStep::Reject { reason: rest(3) },
                "edit" => {
                    let content =
                        if cmd.len() > 4 { content(cmd, 4)? } else { app.report(&id).map_err(err)?.report.content };
                    StaffStep::Edit { issue: arg(cmd, 3, "期号")?, content }
                }
                "send-up" => {
                    let d = Destination {
                        org_id: arg(cmd, 3, "组织编号")?,
                        body: body(&arg(cmd, 4, "报送单位")?)?,
                        level: level(&arg(cmd, 5, "级别")?)?,
                    };
                    StaffStep::SendUp { destinations: vec![d], date_ms: now }
                }
                "instruct" => StaffStep::Instruct {
                    leader: arg(cmd, 3, "领导")?,
                    level: level(&arg(cmd, 4, "级别")?)?,
                    text: rest(5),
                    date_ms: now,
                },
                "feedback" => StaffStep::FeedBack { text: rest(3) },
                other => return Err(format!("不认识的操作：{other}")),
            };
            app.report_step(&id, step).map_err(err)?;
            println!("已保存，同步时发送");
        }
        "report-stats" => {
            let rows = app.report_stats(cmd.get(1).map(String::as_str)).await.map_err(err)?;
            show(json, &rows, |rows| {
                if rows.is_empty() {
                    return "暂无统计数据".into();
                }
                let mut out = String::from("组织　月份　报送　受理　编发　报送上级　批示　被上级采用　采用下级\n");
                for r in rows {
                    out += &format!(
                        "{}　{}　{}　{}　{}　{}　{}　{}　{}\n",
                        r.org_name,
                        r.month,
                        r.submitted,
                        r.accepted,
                        r.edited,
                        r.sent_up,
                        r.instructed,
                        r.adopted_above,
                        r.adopted_from_below
                    );
                }
                out.trim_end().to_string()
            });
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}

/// 网络议政 topics and posts, and a remote consultation's speakers.
fn topics(app: &Client, json: bool, name: &str, cmd: &[String]) -> Result<(), String> {
    let now = to_millis(now());
    let rest = |from: usize| cmd[from.min(cmd.len())..].join(" ");
    match name {
        "topics" => show(json, &app.topics().map_err(err)?, |ts| {
            if ts.is_empty() {
                return "暂无网络议政议题".into();
            }
            ts.iter()
                .map(|t| {
                    format!(
                        "{}  [{}] {}　截止{}　意见{}条（我{}条）",
                        t.id,
                        t.status_label,
                        t.title,
                        at(t.closes_at_ms),
                        t.posts,
                        t.my_posts
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "topic" => {
            let d = app.topic(&arg(cmd, 1, "议题编号")?).map_err(err)?;
            show(json, &d, |d| {
                let mut out = format!(
                    "{}\n[{}]　{}　{}至{}\n{}\n",
                    d.topic.title,
                    d.item.status_label,
                    d.item.org_name,
                    at(d.topic.opens_at_ms),
                    at(d.topic.closes_at_ms),
                    d.topic.background
                );
                for p in &d.posts {
                    let text = match &p.hidden_reason {
                        Some(r) => format!("（该意见已被隐藏：{r}）"),
                        None => p.text.clone(),
                    };
                    let reply = if p.reply_to.is_some() { "　回复" } else { "" };
                    let used = if p.used { "　【综述采用】" } else { "" };
                    out += &format!("{}  {}{reply}：{text}　附议{}{used}\n", p.id, p.author_name, p.seconds);
                }
                if let Some(s) = &d.topic.summary {
                    out += &format!("综述：{}\n", s.text);
                }
                out.trim_end().to_string()
            });
        }
        "open-topic" => {
            let days: i64 = arg(cmd, 3, "天数")?.parse().map_err(|_| "天数应为数字")?;
            let draft = TopicDraft {
                title: arg(cmd, 1, "标题")?,
                background: arg(cmd, 2, "背景材料")?,
                audience: Audience::Members { subordinates: false },
                opens_at_ms: now,
                closes_at_ms: now + days * 86_400_000,
            };
            let id = app.open_topic(None, draft).map_err(err)?;
            saved(json, &id, "议题");
        }
        "post" => {
            let reply = cmd.iter().position(|w| w == "--reply").and_then(|i| cmd.get(i + 1)).cloned();
            let end = cmd.iter().position(|w| w == "--reply").unwrap_or(cmd.len());
            let text = cmd[2.min(end)..end].join(" ");
            let id = app.write_post(&arg(cmd, 1, "议题编号")?, reply.as_deref(), &text).map_err(err)?;
            saved(json, &id, "意见");
        }
        "edit-post" => {
            app.edit_post(&arg(cmd, 1, "意见编号")?, &rest(2)).map_err(err)?;
            println!("已保存，同步时发送");
        }
        "speakers" => show(json, &app.speakers(&arg(cmd, 1, "会议编号")?).map_err(err)?, |ls| {
            if ls.is_empty() {
                return "暂无发言申请".into();
            }
            ls.iter()
                .map(|l| {
                    let order = l.order.map(|o| format!("{o}. ")).unwrap_or_default();
                    let spoke = if l.spoke { "　已发言" } else { "" };
                    format!("{order}{}（{}）：{}{spoke}", l.name, l.person_id, l.text)
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}

/// 协商在基层: the records and their points' follow-up.
fn grassroots(app: &Client, json: bool, name: &str, cmd: &[String]) -> Result<(), String> {
    let now = to_millis(now());
    let rest = |from: usize| cmd[from.min(cmd.len())..].join(" ");
    match name {
        "consultations" => show(json, &app.consultations().map_err(err)?, |cs| {
            if cs.is_empty() {
                return "暂无基层协商记录".into();
            }
            cs.iter()
                .map(|c| {
                    format!(
                        "{}  {}　{}：{}　群众{}人　共识{}项（已落实{}项）",
                        c.id, c.org_name, c.township, c.topic, c.residents, c.points, c.points_done
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "consultation" => show(json, &app.consultation(&arg(cmd, 1, "编号")?).map_err(err)?, |c| {
            let mut out =
                format!("{}：{}\n{}　{}　群众{}人\n", c.township, c.topic, at(c.date_ms), c.place, c.residents);
            for p in &c.points {
                let note = if p.note.is_empty() { String::new() } else { format!("（{}）", p.note) };
                out += &format!("  {}. {}　责任单位：{}　{}{note}\n", p.id, p.text, p.unit, p.status.label());
            }
            out.trim_end().to_string()
        }),
        "record-consultation" => {
            let residents: u32 = arg(cmd, 3, "群众人数")?.parse().map_err(|_| "群众人数应为数字")?;
            let points = cmd[4.min(cmd.len())..]
                .iter()
                .map(|p| match p.split_once('@') {
                    Some((text, unit)) => ConsensusDraft { text: text.into(), unit: unit.into() },
                    None => ConsensusDraft { text: p.clone(), unit: String::new() },
                })
                .collect();
            let draft = ConsultationDraft {
                township: arg(cmd, 1, "乡镇")?,
                topic: arg(cmd, 2, "议题")?,
                date_ms: now,
                place: String::new(),
                member_ids: Vec::new(),
                residents,
                points,
            };
            let id = app.record_consultation(draft).map_err(err)?;
            saved(json, &id, "基层协商");
        }
        "follow-up" => {
            let status = ConsensusStatus::ALL
                .into_iter()
                .find(|s| s.label() == arg(cmd, 3, "落实情况").unwrap_or_default())
                .ok_or("落实情况应为 落实中、已落实 或 未落实")?;
            app.follow_up_consensus(&arg(cmd, 1, "编号")?, &arg(cmd, 2, "共识序号")?, status, &rest(4)).map_err(err)?;
            println!("已更新，同步时发送");
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}
