//! 委员档案, 联络联系 and 委员工作室 in the terminal shell.

use lvzhi_client::Client;
use lvzhi_domain::liaison::contacts::{ContactDraft, ContactLogDraft, ContactWay};
use lvzhi_domain::member_file::{FileFields, Gender};

use crate::{arg, at, err, show};

pub(crate) const COMMANDS: &[&str] = &[
    "my-file",
    "correct-file",
    "directory",
    "corrections",
    "decide-correction",
    "contacts",
    "add-contact",
    "remove-contact",
    "contact-log",
    "log-contact",
    "raise",
    "sector-activity",
    "studios",
    "studio-messages",
    "answer-message",
];

/// `key=value` words as a file's fields over `base` (性别 男|女, 民族, 党派, 单位, 届次, 电话).
fn fields(base: FileFields, words: &[String]) -> Result<FileFields, String> {
    let mut f = base;
    for w in words {
        let (k, v) = w.split_once('=').ok_or_else(|| format!("「{w}」应为 项目=内容"))?;
        let v = v.to_string();
        match k {
            "性别" => {
                f.gender = match v.as_str() {
                    "男" => Some(Gender::Male),
                    "女" => Some(Gender::Female),
                    _ => return Err("性别应为 男 或 女".into()),
                }
            }
            "民族" => f.ethnicity = v,
            "党派" => f.party = v,
            "单位" | "工作单位及职务" => f.employer_title = v,
            "届次" => f.term = v,
            "电话" | "联系电话" => f.phone = v,
            other => return Err(format!("不认识的档案项目：{other}")),
        }
    }
    Ok(f)
}

fn file_text(f: &FileFields) -> String {
    format!(
        "性别：{}　民族：{}　党派：{}\n工作单位及职务：{}\n届次：{}　联系电话：{}",
        f.gender.map(|g| g.label()).unwrap_or("未填"),
        f.ethnicity,
        f.party,
        f.employer_title,
        f.term,
        f.phone
    )
}

pub(crate) async fn run(app: &Client, json: bool, name: &str, cmd: &[String]) -> Result<(), String> {
    match name {
        "my-file" => show(json, &app.my_file().map_err(err)?, |m| {
            let mut out = match &m.file {
                Some(f) => format!("委员档案（第{}版）\n{}", f.version, file_text(&f.fields)),
                None => "工作人员尚未建立您的档案".into(),
            };
            for c in &m.corrections {
                let why = c.reason.as_deref().map(|r| format!("：{r}")).unwrap_or_default();
                out += &format!("\n更正申请 {}  [{}{why}]", at(c.asked_at_ms), c.state.label());
            }
            out
        }),
        "correct-file" => {
            let mine = app.my_file().map_err(err)?.file.ok_or("工作人员尚未建立您的档案")?;
            let note = cmd.iter().position(|w| w == "--note").and_then(|i| cmd.get(i + 1)).cloned().unwrap_or_default();
            let words: Vec<String> = cmd[1..].iter().filter(|w| w.contains('=')).cloned().collect();
            let id = app.request_file_correction(fields(mine.fields, &words)?, &note).map_err(err)?;
            show(json, &serde_json::json!({ "id": id }), |_| "已提交更正申请（同步时发送），等待工作人员审核".into());
        }
        "directory" => show(json, &app.directory(cmd.get(1).map(String::as_str)).map_err(err)?, |list| {
            if list.is_empty() {
                return "没有找到".into();
            }
            list.iter()
                .map(|l| format!("{}  {}  {}", l.name, l.groups.join("、"), l.employer_title))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "corrections" => show(json, &app.pending_corrections().map_err(err)?, |list| {
            if list.is_empty() {
                return "没有待审核的更正申请".into();
            }
            list.iter()
                .map(|c| {
                    format!("{}  {}  更正：{}  {}", c.correction.id, c.name, c.changes.join("、"), c.correction.note)
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "decide-correction" => {
            let id = arg(cmd, 1, "申请编号")?;
            let approve = match arg(cmd, 2, "approve 或 return")?.as_str() {
                "approve" | "同意" => true,
                "return" | "退回" => false,
                other => return Err(format!("不认识的决定：{other}")),
            };
            app.decide_file_correction(&id, approve, cmd.get(3).map(String::as_str).unwrap_or_default())
                .map_err(err)?;
            println!("{}", if approve { "已同意更正（同步时发送）" } else { "已退回（同步时发送）" });
        }
        "contacts" => show(json, &app.contacts().map_err(err)?, |list| {
            if list.is_empty() {
                return "联系名册为空".into();
            }
            list.iter()
                .map(|c| {
                    let gone = if c.removed { "  （已移出）" } else { "" };
                    format!("{}  {}  {}  {}{gone}", c.id, c.name, c.sector, c.phone)
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "add-contact" => {
            let draft = ContactDraft {
                name: arg(cmd, 1, "姓名")?,
                sector: cmd.get(2).cloned().unwrap_or_default(),
                phone: cmd.get(3).cloned().unwrap_or_default(),
                note: String::new(),
            };
            let id = app.save_contact(None, draft).map_err(err)?;
            show(json, &serde_json::json!({ "id": id }), |_| format!("已加入联系名册：{id}"));
        }
        "remove-contact" => {
            app.remove_contact(&arg(cmd, 1, "联系人编号")?).map_err(err)?;
            println!("已移出联系名册（过去的联系记录保留）");
        }
        "contact-log" => {
            let log = app.contact_log().map_err(err)?;
            let summary = app.contact_summary().map_err(err)?;
            show(json, &serde_json::json!({ "log": log, "summary": summary }), |_| {
                let expected = summary.expected.map(|e| format!(" / 年度要求 {e} 人")).unwrap_or_default();
                let mut out = format!(
                    "{}年已联系 {} 人{expected}，记录 {} 次",
                    summary.year, summary.people_reached, summary.contacts_logged
                );
                for l in &log {
                    let drafts = if l.drafts.is_empty() {
                        String::new()
                    } else {
                        format!("  已形成{}份草稿", l.drafts.len())
                    };
                    out += &format!(
                        "\n{}  {} {}  {}  {}{drafts}",
                        l.log.id,
                        l.log.date,
                        l.way_label,
                        l.names.join("、"),
                        l.log.raised
                    );
                }
                out
            });
        }
        "log-contact" => {
            let date = arg(cmd, 1, "日期（年-月-日）")?;
            let way = ContactWay::parse(&arg(cmd, 2, "方式（走访/座谈/电话/线上）")?)
                .ok_or("方式应为 走访、座谈、电话 或 线上")?;
            let raised = arg(cmd, 3, "反映的问题")?;
            let contact_ids: Vec<String> = cmd[4.min(cmd.len())..].to_vec();
            let id = app.log_contact(None, ContactLogDraft { contact_ids, date, way, raised }).map_err(err)?;
            show(json, &serde_json::json!({ "id": id }), |_| format!("已记录联系：{id}（同步时发送）"));
        }
        "raise" => {
            let log = arg(cmd, 1, "联系记录编号")?;
            let id = match cmd.iter().position(|w| w == "--proposal").and_then(|i| cmd.get(i + 1)) {
                Some(session) => app.proposal_from_contact(&log, session),
                None => app.report_from_contact(&log),
            }
            .map_err(err)?;
            show(json, &serde_json::json!({ "id": id }), |_| format!("已形成草稿：{id}，请修改完善后提交"));
        }
        "sector-activity" => {
            let reports = app.sector_activity().await.map_err(err)?;
            show(json, &reports, |rs| {
                if rs.is_empty() {
                    return "您不是界别召集人".into();
                }
                let mut out = String::new();
                for r in rs {
                    out += &format!(
                        "{}（{}）\n组织　月份　委员　有联系的委员　联系次数　联系群众　反映问题\n",
                        r.sector_name, r.org_name
                    );
                    for row in r.rows.iter().filter(|row| row.contacts > 0) {
                        out += &format!(
                            "{}　{}　{}　{}　{}　{}　{}\n",
                            row.org_name,
                            row.month,
                            row.members,
                            row.active_members,
                            row.contacts,
                            row.people,
                            row.raised
                        );
                    }
                }
                out.trim_end().to_string()
            });
        }
        "studios" => show(json, &app.studios().map_err(err)?, |list| {
            if list.is_empty() {
                return "本组织还没有委员工作室".into();
            }
            list.iter()
                .map(|s| {
                    let duty = if s.my_duty_days.is_empty() {
                        String::new()
                    } else {
                        format!("  我的值班：{}", s.my_duty_days.join("、"))
                    };
                    format!(
                        "{}  {}  {}  {}{duty}",
                        s.studio.id,
                        s.studio.name,
                        s.studio.place,
                        s.member_names.join("、")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "studio-messages" => show(json, &app.studio_messages().map_err(err)?, |list| {
            if list.is_empty() {
                return "没有留言".into();
            }
            list.iter()
                .map(|m| {
                    let answer = match (&m.message.answer, &m.answered_by) {
                        (Some(a), Some(by)) => format!("\n    {by}答复：{}", a.text),
                        _ => "\n    （未答复）".into(),
                    };
                    let phone = if m.message.phone.is_empty() {
                        String::new()
                    } else {
                        format!("  电话 {}", m.message.phone)
                    };
                    format!(
                        "{}  {}  {}{phone}\n    {}{answer}",
                        m.message.id,
                        m.studio_name,
                        at(m.message.received_at_ms),
                        m.message.text
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "answer-message" => {
            app.answer_studio_message(&arg(cmd, 1, "留言编号")?, &arg(cmd, 2, "答复")?).map_err(err)?;
            println!("已答复（同步时发送），群众凭查询码可看到");
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}
