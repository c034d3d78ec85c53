//! 委员学习, 线上读书 and 信息发布 in the terminal shell.

use lvzhi_client::Client;
use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::news::NewsDraft;
use lvzhi_domain::study::material::{MaterialDraft, VideoLink};
use lvzhi_domain::study::reading::ReadingItem;
use lvzhi_domain::time::{now, to_millis};

use crate::{arg, at, err, show};

pub(crate) const COMMANDS: &[&str] = &[
    "materials",
    "material",
    "study-note",
    "publish-material",
    "reading",
    "reading-plan",
    "guide",
    "reading-note",
    "news",
    "news-item",
    "publish-news",
];

/// The value after `--name`, if given.
fn flag(cmd: &[String], name: &str) -> Option<String> {
    cmd.iter().position(|w| w == name).and_then(|i| cmd.get(i + 1)).cloned()
}

/// The words of `cmd` from `from` on, without `--flags` and their values.
fn words(cmd: &[String], from: usize, flags: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip = false;
    for w in &cmd[from.min(cmd.len())..] {
        if skip {
            skip = false;
        } else if flags.contains(&w.as_str()) {
            skip = true;
        } else if !w.starts_with("--") {
            out.push(w.clone());
        }
    }
    out
}

pub(crate) async fn run(app: &Client, json: bool, name: &str, cmd: &[String]) -> Result<(), String> {
    match name {
        "materials" => {
            show(json, &app.materials().map_err(err)?, |items| {
                if items.is_empty() {
                    return "暂无学习资料".into();
                }
                items
                    .iter()
                    .map(|i| {
                        let series = i.material.series.as_deref().map(|s| format!("【{s}】")).unwrap_or_default();
                        let done = if i.studied { "  已学习" } else { "" };
                        let notes = if i.notes > 0 { format!("  笔记{}条", i.notes) } else { String::new() };
                        let gone =
                            i.material.withdrawn.as_ref().map(|r| format!("  （已撤回：{r}）")).unwrap_or_default();
                        format!("{}  {series}{}{done}{notes}{gone}", i.material.id, i.material.title)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        "material" => {
            let d = app.material(&arg(cmd, 1, "资料编号")?).map_err(err)?;
            show(json, &d, |d| {
                let m = &d.material;
                let mut out = format!("{}\n{}发布于{}\n\n{}", m.title, d.publisher_name, at(m.published_at_ms), m.body);
                if let Some(v) = &m.video {
                    out += &format!("\n视频：{}（{}分钟）{}", v.title, v.minutes, v.url);
                }
                for a in &m.attachments {
                    out += &format!("\n附件：{}", a.name);
                }
                if let Some(s) = &d.study {
                    if let Some(t) = s.studied_at_ms {
                        out += &format!("\n\n已于{}学习", at(t));
                    }
                    for n in &s.notes {
                        let q = n.quote.as_ref().map(|q| format!("“{q}” ")).unwrap_or_default();
                        out += &format!("\n笔记：{q}{}", n.text);
                    }
                }
                out
            });
        }
        "study-note" => {
            let id = arg(cmd, 1, "资料编号")?;
            let text = words(cmd, 2, &["--quote"]).join(" ");
            app.write_study_note(&id, flag(cmd, "--quote").as_deref(), &text).map_err(err)?;
            println!("已保存学习笔记（仅自己可见）");
        }
        "publish-material" => {
            let (title, body) = (arg(cmd, 1, "标题")?, arg(cmd, 2, "正文")?);
            let video = flag(cmd, "--video").map(|url| VideoLink { url, title: title.clone(), minutes: 0 });
            let order = flag(cmd, "--order").and_then(|o| o.parse().ok()).unwrap_or(0);
            let draft = MaterialDraft {
                title,
                body,
                series: flag(cmd, "--series"),
                order,
                attachments: Vec::new(),
                video,
                audience: Audience::Members { subordinates: cmd.iter().any(|w| w == "--below") },
            };
            let id = app.publish_material(None, draft).map_err(err)?;
            show(json, &id, |id| format!("已发布学习资料 {id}，同步时发送"));
        }
        "reading" => {
            let v = app.reading(&arg(cmd, 1, "群编号")?).map_err(err)?;
            show(json, &v, |v| {
                let Some(p) = &v.plan else { return "本群还没有读书计划".into() };
                let mut out = String::from("读书计划：");
                for i in &p.items {
                    out += &format!("\n  {}（{}） {} 至 {}", i.title, i.author, at(i.from_ms), at(i.to_ms));
                }
                out += &format!("\n领读人：{}", v.lead_names.join("、"));
                for g in &p.guides {
                    out += &format!("\n导读：{}\n  {}", g.title, g.text);
                }
                for n in &v.notes {
                    out += &format!("\n{} {}：{}", n.note.day, n.author_name, n.note.text);
                }
                out
            });
        }
        "reading-plan" => {
            let (group, title, author) = (arg(cmd, 1, "群编号")?, arg(cmd, 2, "书名")?, arg(cmd, 3, "作者")?);
            let days: i64 = arg(cmd, 4, "天数")?.parse().map_err(|_| "天数请用整数".to_string())?;
            let start = to_millis(now());
            let item =
                ReadingItem { title, author, material_id: None, from_ms: start, to_ms: start + days * 86_400_000 };
            app.set_reading_plan(&group, vec![item], cmd[5.min(cmd.len())..].to_vec()).map_err(err)?;
            println!("已设置读书计划，同步时发送");
        }
        "guide" => {
            let (group, title) = (arg(cmd, 1, "群编号")?, arg(cmd, 2, "标题")?);
            app.post_guide(&group, &title, &cmd[3.min(cmd.len())..].join(" ")).map_err(err)?;
            println!("已发布导读，同步时发送");
        }
        "reading-note" => {
            let (group, day) = (arg(cmd, 1, "群编号")?, arg(cmd, 2, "日期（年-月-日）")?);
            app.write_reading_note(&group, &day, &cmd[3.min(cmd.len())..].join(" ")).map_err(err)?;
            println!("已保存读书心得（自愿填写，不作考核）");
        }
        "news" => {
            show(json, &app.news_feed(50).map_err(err)?, |items| {
                if items.is_empty() {
                    return "暂无信息".into();
                }
                items
                    .iter()
                    .map(|n| format!("{}  {}  {}\n    {}", n.id, at(n.published_at_ms), n.title, n.summary))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        "news-item" => {
            let n = app.news(&arg(cmd, 1, "信息编号")?).map_err(err)?;
            show(json, &n, |n| format!("{}\n{}\n\n{}", n.title, at(n.published_at_ms), n.body));
        }
        "publish-news" => {
            let (title, body) = (arg(cmd, 1, "标题")?, arg(cmd, 2, "正文")?);
            let draft = NewsDraft {
                title,
                summary: flag(cmd, "--summary").unwrap_or_default(),
                body,
                cover: None,
                subordinates: !cmd.iter().any(|w| w == "--local"),
            };
            let id = app.publish_news(None, draft).map_err(err)?;
            show(json, &id, |id| format!("已发布信息 {id}，同步时发送"));
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}
