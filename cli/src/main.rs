//! `lvzhi`: the terminal shell over the same core as the apps. Staff at a PC work proposals and
//! chat from here; anyone can try the product. Readable output by default, `--json` for scripts.
//!
//! The device database (default `~/.lvzhi/lvzhi.db`) keeps the session and works offline like a
//! phone: actions are stored at once and sent with `lvzhi sync`.

use std::process::ExitCode;

use lvzhi_client::{ActionKind, Client, Error, OutboxState};
use lvzhi_domain::chat::GroupKind;
use lvzhi_domain::proposal::{InvitationStatus, ProposalContent};
use lvzhi_store::chat::MessageState;
use serde::Serialize;

mod actions;
mod consult;
mod duty;
mod files;
mod liaison;
mod study;

const USAGE: &str = "用法: lvzhi [--db 路径] [--server 地址] [--pin 证书公钥指纹] [--json] 命令 ...
  login 账号 [密码]                 登录（密码也可放在 LVZHI_PASSWORD）
  logout [--discard]                退出登录并清除本机数据（有未发送的操作时需 --discard）
  status                            同步状态
  sync                              立即同步
  proposals                         提案列表
  show 提案编号                     提案详情：联名、交办、答复、测评、版本、办理记录和可执行的操作
  draft 标题 案由 建议 类别          起草提案（保存在本机，同步时发送）
  do 提案编号 操作 [参数...]         执行提案操作（show 列出可执行的操作及其参数），例如:
      委员    invite 人员 | cosign | accept | decline | submit | withdraw 原因 | evaluate 满意 [意见]
      工作人员 register | not-register 理由 说明 | assign 单位 | parallel 单位... | lead 主办单位 会办单位... |
              add-unit 会办 单位 | extend-deadline 年-月-日 理由 | approve [意见] | close 说明
      承办单位 record-contact 情况 | submit-view 会办意见 | reply A 内容 | return-assignment 理由
      参数按顺序填写，或写成 键=值；选项可写其名称或开头几个字
  act 编号 操作代码 [参数...]        对通知、会议、社情民意、议题等执行任一操作（操作代码见 actions）
  actions                           全部操作代码及其参数
  people [关键词]                   按姓名、界别、专委会查找人员
  units                             承办单位（工作人员）
  search 关键词                     搜索提案、群消息、社情民意和网络议政（一两个字也可以）
  outbox                            待发送和被退回的操作
  retry 编号 | discard 编号          重发或放弃被退回的操作
  audit [组织编号]                   审计日志（组织管理员）
  groups                            学习交流群
  newgroup 群名称 成员编号...        新建学习交流群（工作人员）
  messages 群编号                   群消息
  send 群编号 内容 [@人员编号...]    发消息（@提醒）
  reply 群编号 消息编号 内容         回复一条消息
  send-file 群编号 文件路径 [内容] [--original]   发图片或文件（照片默认压缩，--original 发原图；上传完成后发送，断网可续传）
  files 群编号                      群里的文件及下载情况
  download 群编号 文件编号或名称 [--to 路径]   下载文件（断点续传），可另存
  pin 群编号 文件编号或名称 [--off]  保留文件（清理缓存时不删除）
  transfers                         进行中的上传和下载
  cache [上限MB]                    缓存用量（给出数字则设置上限）
  clear-cache                       清理缓存
  photo-settings [长边 质量]         照片发送前的压缩设置（如 1600 80）
  recall 消息编号                   撤回自己2分钟内发的消息
  delete 消息编号                   删除消息（工作人员）
  materials                         学习资料（按专题）
  material 资料编号                 阅读学习资料（含视频链接、附件和自己的笔记）
  studied 资料编号                  标记已学习（计入履职档案）
  study-note 资料编号 内容 [--quote 原文]   学习笔记，可标注原文（仅自己可见）
  publish-material 标题 正文 [--series 专题] [--order 序号] [--video 链接] [--below]   发布学习资料（工作人员）
  reading 群编号                    读书群的读书计划、导读和读书心得
  reading-plan 群编号 书名 作者 天数 [领读人编号...]   设置读书计划（工作人员）
  guide 群编号 标题 内容            发布导读（领读人）
  reading-note 群编号 年-月-日 内容  写读书心得（自愿，每天一篇，可修改）
  news                              信息发布（本级及上级）
  news-item 信息编号                阅读信息
  publish-news 标题 正文 [--summary 摘要] [--local]   发布信息（工作人员；--local 仅本级）
  withdraw-news 信息编号 理由       撤回信息（工作人员）
  todo                              待办：待回执的通知、待答复或将召开的会议、联名与测评
  notices                           通知公告
  notice 通知编号                   阅读通知（标记已读），工作人员另见回执情况
  answer 通知编号 参加|不参加|其他 [说明]   回执
  publish 标题 正文 [--below] [--days 天数] [--all]   发布通知（工作人员；--below 含下级组织，--all 含非委员，--days 回执期限）
  withdraw-notice 通知编号 理由     撤回通知（工作人员）
  meetings                          会议活动
  meeting 会议编号                  会议详情、会议材料，工作人员另见参会名单
  attend 会议编号 | leave 会议编号 理由   参加或请假
  signup 会议编号 | cancel 会议编号  报名或取消报名
  checkin 会议编号 签到码            扫码签到（无网络也可，联网后核验）
  approve-leave 会议编号 人员编号 [--refuse]   审批请假（工作人员）
  checkin-for 会议编号 人员编号      代为签到（工作人员）
  absent 会议编号 人员编号           登记缺席（工作人员；请假已批准的记为请假缺席）
  cancel-meeting 会议编号 原因      取消会议（工作人员）
  rules                             履职积分规则（含版本）
  set-rule 规则 分值 [--threshold 年度最低分] [--split|--no-split]   修改积分规则（工作人员，版本加一）
  checkin-code 会议编号 [小时数]     取得签到码（工作人员，需联网；默认从现在起8小时有效）
  record [年份] [--html 文件]        履职档案（--html 导出年度履职报告）
  members [年份] [--below]           委员履职情况（工作人员；--below 仅显示低于年度最低分的委员）
  self-report 标题 内容 年-月-日     提交自主履职
  decide-report 编号 accept|return [理由]   审核自主履职（工作人员）
  feedback [内容]                    意见建议：提交或查看答复
  answer-feedback 编号 答复          答复意见建议（组织管理员）
  reports [状态]                     社情民意信息（状态：草稿 已报送 已受理 已编发 ...）
  report 编号                        社情民意详情：原文、编发稿及改动、办理记录
  draft-report 标题 基本情况 问题分析 意见建议 [--with 人员编号...]   起草社情民意（可联名）
  edit-report 编号 标题 基本情况 问题分析 意见建议   修改草稿或被退回的社情民意
  submit-report 编号                 报送社情民意
  report-do 编号 操作 [参数...]      工作人员: accept | return 理由 | reject 理由 | edit 期号 [标题 情况 分析 建议] |
              send-up 组织编号 政协|党委|政府 省级|州市级|县级 | instruct 领导 省级|州市级|县级 批示 | feedback 内容
  report-stats [组织编号]            社情民意统计（工作人员，按组织和月份，需联网）
  topics | topic 议题编号            网络议政议题、意见和综述
  open-topic 标题 背景材料 天数      发布议题（工作人员，本组织委员参与）
  post 议题编号 内容 [--reply 意见编号]   发表或回复意见（离线撰写也可）
  edit-post 意见编号 内容 | second 意见编号   修改本人意见 | 附议
  hide-post 意见编号 理由 | close-topic 议题编号   隐藏意见 | 结束议题（工作人员）
  summary 议题编号 综述 意见编号...  发布综述并标注采用的意见（工作人员）
  speak 会议编号 书面发言            远程协商会申请发言
  speakers 会议编号                  发言名单；order-speakers 会议编号 人员编号... | spoke 会议编号 人员编号（工作人员）
  consultations | consultation 编号   协商在基层
  record-consultation 乡镇 议题 群众人数 共识@责任单位...   记录基层协商
  follow-up 编号 共识序号 落实中|已落实|未落实 [说明]   更新共识落实情况
  my-file | directory [关键词]       我的委员档案 | 委员名录（不含电话）
  correct-file 项目=内容... [--note 说明]   申请更正档案（性别 民族 党派 单位 届次 电话）
  corrections | decide-correction 编号 approve|return [理由]   待审核的档案更正（工作人员）
  contacts | add-contact 姓名 [界别或单位] [电话] | remove-contact 编号   联系名册（仅本人可见）
  contact-log | log-contact 年-月-日 走访|座谈|电话|线上 反映的问题 联系人编号...   联系记录
  raise 联系记录编号 [--proposal 会议编号]   由联系记录形成社情民意（或提案）草稿
  sector-activity                   界别联系群众情况（界别召集人，按组织和月份，需联网）
  studios | studio-messages | answer-message 编号 答复   委员工作室、群众留言与答复
环境变量: LVZHI_DB, LVZHI_SERVER (默认 http://127.0.0.1:8080), LVZHI_PIN";

struct Args {
    db: String,
    server: String,
    json: bool,
    /// SPKI SHA-256 pins of the server's certificate (an organisation's own CA).
    pins: Vec<String>,
    command: Vec<String>,
}

fn parse() -> Result<Args, String> {
    let home = std::env::var("HOME").unwrap_or_else(|_| ".".into());
    let mut a = Args {
        db: std::env::var("LVZHI_DB").unwrap_or_else(|_| format!("{home}/.lvzhi/lvzhi.db")),
        server: std::env::var("LVZHI_SERVER").unwrap_or_else(|_| "http://127.0.0.1:8080".into()),
        json: false,
        pins: std::env::var("LVZHI_PIN").map(|p| vec![p]).unwrap_or_default(),
        command: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--db" => a.db = it.next().ok_or("--db 需要路径")?,
            "--server" => a.server = it.next().ok_or("--server 需要地址")?,
            "--json" => a.json = true,
            "--pin" => a.pins.push(it.next().ok_or("--pin 需要证书公钥指纹")?),
            "-h" | "--help" => return Err(String::new()),
            _ => a.command.push(arg),
        }
    }
    if a.command.is_empty() {
        return Err(String::new());
    }
    Ok(a)
}

/// Prints `value` as JSON, or as the readable text `text` builds.
pub(crate) fn show<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        println!("{}", text(value));
    }
}

pub(crate) fn arg(cmd: &[String], i: usize, what: &str) -> Result<String, String> {
    cmd.get(i).cloned().ok_or_else(|| format!("缺少{what}"))
}

/// A person named by id or by exact name.
pub(crate) fn find_person(app: &Client, who: &str) -> Result<String, String> {
    let people = app.people().map_err(err)?;
    people
        .iter()
        .find(|p| p.id == who || p.name == who)
        .map(|p| p.id.clone())
        .ok_or_else(|| format!("找不到人员：{who}"))
}

/// A time in China for people to read.
pub(crate) fn at(ms: i64) -> String {
    lvzhi_domain::time::display(lvzhi_domain::time::from_millis(ms))
}

async fn run(a: Args) -> Result<(), String> {
    if let Some(parent) = std::path::Path::new(&a.db).parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let app =
        if a.pins.is_empty() { Client::open(&a.db, &a.server) } else { Client::open_pinned(&a.db, &a.server, &a.pins) }
            .map_err(err)?;
    let cmd = &a.command;
    // The words that name one of the core's actions on an item: read against its form.
    if let Some((kind, given, lead)) = actions::alias(&cmd[0], cmd) {
        let id = arg(cmd, 1, "编号")?;
        let args: Vec<String> =
            cmd[(2 + lead).min(cmd.len())..].iter().filter(|w| !w.starts_with("--")).cloned().collect();
        actions::take(&app, &id, kind, &args, given)?;
        let label = lvzhi_domain::actions::describe(kind).label;
        show(a.json, &serde_json::json!({ "done": kind.code() }), |_| format!("完成：{label}（同步时发送）"));
        return Ok(());
    }
    match cmd[0].as_str() {
        "login" | "logout" | "status" | "sync" | "outbox" | "retry" | "discard" | "audit" => {
            session(&app, a.json, cmd).await
        }
        "proposals" | "show" | "draft" | "do" | "act" | "actions" | "people" | "units" | "search" => {
            proposals(&app, a.json, cmd)
        }
        "groups" | "newgroup" | "messages" | "send" | "reply" => chat(&app, a.json, cmd),
        other => feature(&app, a.json, other, cmd).await,
    }
}

/// The session: logging in and out, the sync status, the outbox, the audit log.
async fn session(app: &Client, json: bool, cmd: &[String]) -> Result<(), String> {
    match cmd[0].as_str() {
        "login" => {
            let account = arg(cmd, 1, "账号")?;
            let password = cmd.get(2).cloned().or_else(|| std::env::var("LVZHI_PASSWORD").ok()).ok_or("缺少密码")?;
            app.login(&account, &password, "终端").await.map_err(err)?;
            app.sync_until_idle().await.map_err(err)?;
            let me = app.me().map_err(err)?;
            show(json, &me, |m| {
                let roles: Vec<String> =
                    m.roles.iter().map(|r| format!("{}（{}）", r.role_label, r.org_name)).collect();
                format!("已登录：{} {}", m.name, roles.join("、"))
            });
        }
        "logout" => {
            // `logout --discard` throws away unsent work; without it, unsent work keeps you in.
            app.logout(cmd.get(1).map(String::as_str) == Some("--discard")).await.map_err(err)?;
            println!("已退出登录");
        }
        "status" => show(json, &app.status(), |s| {
            format!("同步状态：{:?}，待发送 {} 项，被退回 {} 项", s.state, s.pending, s.rejected)
        }),
        "sync" => {
            app.sync_until_idle().await.map_err(err)?;
            show(json, &app.status(), |s| format!("同步完成，待发送 {} 项", s.pending));
        }
        "outbox" => show(json, &app.outbox_items().map_err(err)?, |items| {
            if items.is_empty() {
                return "没有待发送的操作".into();
            }
            items
                .iter()
                .map(|i| {
                    let state = match &i.state {
                        OutboxState::Pending => "待发送".to_string(),
                        OutboxState::Refused { reason } => format!("被退回：{reason}"),
                        OutboxState::WaitingBehind { refused_id, .. } => {
                            format!("待发送，排在被退回的第{refused_id}项之后")
                        }
                        OutboxState::WaitingForFiles => "等待附件上传完成后发送".to_string(),
                    };
                    format!("{}  {}  [{}]", i.id, i.label, state)
                })
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "retry" | "discard" => {
            let id: u64 = arg(cmd, 1, "编号")?.parse().map_err(|_| "编号应为数字".to_string())?;
            if cmd[0] == "retry" { app.resend(id) } else { app.discard(id) }.map_err(err)?;
            println!("{}", if cmd[0] == "retry" { "已重新排队，同步时发送" } else { "已放弃" });
        }
        "audit" => {
            let entries = app.audit_log(cmd.get(1).map(String::as_str), 100).await.map_err(err)?;
            show(json, &entries, |es| {
                es.iter()
                    .map(|e| {
                        let who = e.person_name.clone().or(e.person_id.clone()).unwrap_or_default();
                        let from = e.address.clone().map(|a| format!("（{a}）")).unwrap_or_default();
                        format!("{}  {}  {who}{from}  {}", at(e.at_ms), e.kind_label, e.detail)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}

/// 提案: the list, one proposal with the actions offered, drafting, taking an action (`do`,
/// `act`), people, units and search.
fn proposals(app: &Client, json: bool, cmd: &[String]) -> Result<(), String> {
    match cmd[0].as_str() {
        "proposals" => show(json, &app.proposals().map_err(err)?, |list| {
            if list.is_empty() {
                return "没有提案".into();
            }
            list.iter().map(|p| format!("{}  [{}]  {}", p.id, p.state.label(), p.title)).collect::<Vec<_>>().join("\n")
        }),
        "show" => {
            let d = app.detail(&arg(cmd, 1, "提案编号")?).map_err(err)?;
            show(json, &d, |d| {
                let mut out = format!(
                    "{}\n状态：{}　第{}版　提案人：{}\n案由：{}\n建议：{}\n",
                    d.content.title,
                    d.state_label,
                    d.revision,
                    d.first_proposer_name,
                    d.content.cause,
                    d.content.suggestions
                );
                for c in &d.co_proposers {
                    let answer = match c.status {
                        InvitationStatus::Pending => "待答复",
                        InvitationStatus::Accepted => "已同意",
                        InvitationStatus::Declined => "不同意",
                    };
                    out += &format!("联名：{}（{answer}）\n", c.name);
                }
                if let Some(deadline) = d.handling_deadline_ms {
                    out += &format!("办理期限：{}\n", at(deadline));
                }
                for x in &d.assignments {
                    let status = if x.active {
                        String::new()
                    } else {
                        format!("（已退回：{}）", x.returned_reason.clone().unwrap_or_default())
                    };
                    out += &format!("承办：{}（{}）{status}\n", x.unit_name, x.role_label);
                    if let Some(r) = &x.reply {
                        out += &format!("  答复（{}，{}）：{}\n", r.category_label, at(r.replied_at_ms), r.text);
                    }
                }
                for e in &d.evaluations {
                    out += &format!("测评：{} {} {}\n", e.name, e.rating_label, e.comment);
                }
                for r in d.revisions.iter().filter(|r| r.conflict || r.restored_from.is_some()) {
                    let note = if r.conflict {
                        "另一台设备的版本".to_string()
                    } else {
                        format!("恢复自第{}版", r.restored_from.unwrap_or(0))
                    };
                    out += &format!("第{}版：{}（{note}）\n", r.number, r.title);
                }
                out += "办理记录：\n";
                for h in &d.history {
                    out += &format!(
                        "  {}. {}（{}，{}）{}\n",
                        h.seq,
                        h.label,
                        h.actor_name,
                        h.role_label,
                        h.reason.clone().unwrap_or_default()
                    );
                }
                let labels: Vec<&str> = d.actions.iter().map(|f| f.label.as_str()).collect();
                out += &format!("可执行：{}", labels.join("、"));
                for f in &d.actions {
                    out += &format!("\n  lvzhi do {} {}", d.id, actions::usage(f).trim_start_matches("proposal-"));
                }
                out
            });
        }
        "draft" => {
            let content = ProposalContent {
                attachments: Vec::new(),
                title: arg(cmd, 1, "标题")?,
                cause: arg(cmd, 2, "案由")?,
                suggestions: arg(cmd, 3, "建议")?,
                category: arg(cmd, 4, "类别")?,
            };
            let d = app.create_draft(content).map_err(err)?;
            show(json, &d, |d| format!("已保存草稿 {}（{}）", d.id, d.content.title));
        }
        "do" => {
            let id = arg(cmd, 1, "提案编号")?;
            let word = arg(cmd, 2, "操作")?;
            let (kind, given) = actions::proposal_action(&word).ok_or(format!("不认识的操作：{word}"))?;
            actions::take(app, &id, kind, &cmd[3..], given)?;
            let d = app.detail(&id).map_err(err)?;
            show(json, &d, |d| format!("完成：{} 现为「{}」", d.content.title, d.state_label));
        }
        "act" => {
            let id = arg(cmd, 1, "编号")?;
            let code = arg(cmd, 2, "操作")?;
            let kind = ActionKind::from_code(&code).ok_or(format!("不认识的操作：{code}（见 lvzhi actions）"))?;
            actions::take(app, &id, kind, &cmd[3..], Vec::new())?;
            show(json, &serde_json::json!({ "done": code }), |_| {
                format!("完成：{}", app.action_form(&id, kind).map(|f| f.label).unwrap_or(code.clone()))
            });
        }
        "actions" => {
            let all: Vec<_> = ActionKind::ALL.into_iter().map(lvzhi_domain::actions::describe).collect();
            show(json, &all, |all| {
                all.iter().map(|f| format!("{}　{}", actions::usage(f), f.label)).collect::<Vec<_>>().join("\n")
            });
        }
        "people" => show(json, &app.search_people(&cmd[1.min(cmd.len())..].join(" ")).map_err(err)?, |ps| {
            ps.iter()
                .map(|p| format!("{}  {}  {}  {}", p.id, p.name, p.role.label(), p.groups.join("、")))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "units" => show(json, &app.units().map_err(err)?, |us| {
            us.iter().map(|u| format!("{}  {}", u.id, u.name)).collect::<Vec<_>>().join("\n")
        }),
        "search" => {
            let q = cmd[1.min(cmd.len())..].join(" ");
            let proposals = app.search_proposals(&q, 50).map_err(err)?;
            let messages = app.search_messages(&q, 50).map_err(err)?;
            let consult = app.search_consult(&q).map_err(err)?;
            let all = serde_json::json!({ "proposals": proposals, "messages": messages, "consult": consult });
            show(json, &all, |_| {
                let mut lines: Vec<String> =
                    proposals.iter().map(|p| format!("提案  {}  [{}]  {}", p.id, p.state.label(), p.title)).collect();
                lines.extend(messages.iter().map(|m| format!("消息  {}  {}：{}", m.id, m.sender_name, m.text)));
                lines.extend(consult.iter().map(|h| format!("{}  {}  {}", h.kind_label, h.id, h.title)));
                if lines.is_empty() { "没有找到".into() } else { lines.join("\n") }
            });
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}

/// 学习交流群: groups, messages, sending and replying.
fn chat(app: &Client, json: bool, cmd: &[String]) -> Result<(), String> {
    match cmd[0].as_str() {
        "groups" => show(json, &app.groups().map_err(err)?, |gs| {
            if gs.is_empty() {
                return "没有学习交流群".into();
            }
            gs.iter()
                .map(|g| format!("{}  {}  未读 {}（@我 {}）", g.group.id, g.group.name, g.unread, g.unread_mentions))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        "newgroup" => {
            let name = arg(cmd, 1, "群名称")?;
            let members = cmd[2.min(cmd.len())..].to_vec();
            let id = app.create_group_as_staff(&name, GroupKind::Topic, members).map_err(err)?;
            show(json, &id, |id| format!("已建群 {id}，同步时发送"));
        }
        "messages" => {
            let group = arg(cmd, 1, "群编号")?;
            let timeline = app.timeline(&group, 50).map_err(err)?;
            show(json, &timeline, |t| {
                t.iter()
                    .map(|m| {
                        let state = match &m.state {
                            MessageState::Sent => String::new(),
                            MessageState::Sending => "（发送中）".into(),
                            MessageState::Failed { reason } => format!("（发送失败：{reason}）"),
                        };
                        let files: String = m.attachments.iter().map(|f| format!(" [附件：{}]", f.name)).collect();
                        format!("{}：{}{}{}", m.sender_name, m.text, files, state)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        "send" => {
            let words = &cmd[2.min(cmd.len())..];
            let mentions: Vec<String> = words.iter().filter_map(|w| w.strip_prefix('@')).map(String::from).collect();
            let text: Vec<&str> = words.iter().filter(|w| !w.starts_with('@')).map(String::as_str).collect();
            let id = app.send_message(&arg(cmd, 1, "群编号")?, &text.join(" "), None, mentions).map_err(err)?;
            show(json, &id, |id| format!("已保存消息 {id}，同步时发送"));
        }
        "reply" => {
            let (group, to) = (arg(cmd, 1, "群编号")?, arg(cmd, 2, "消息编号")?);
            let id = app.send_message(&group, &cmd[3.min(cmd.len())..].join(" "), Some(to), vec![]).map_err(err)?;
            show(json, &id, |id| format!("已保存回复 {id}，同步时发送"));
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}

/// 通知, 会议, 履职档案 (`duty`), 学习 (`study`), files (`files`), else 社情民意 and 网络议政.
async fn feature(app: &Client, json: bool, name: &str, cmd: &[String]) -> Result<(), String> {
    match name {
        other if duty::COMMANDS.contains(&other) => duty::run(app, json, other, cmd).await,
        other if study::COMMANDS.contains(&other) => study::run(app, json, other, cmd).await,
        other if files::COMMANDS.contains(&other) => files::run(app, json, other, cmd).await,
        other if liaison::COMMANDS.contains(&other) => liaison::run(app, json, other, cmd).await,
        other => consult::run(app, json, other, cmd).await,
    }
}

/// The sentence a member reads for a failure.
pub(crate) fn err(e: Error) -> String {
    e.user_message()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match parse() {
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("{msg}");
            }
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
        Ok(a) => match run(a).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(msg) => {
                eprintln!("{msg}");
                ExitCode::FAILURE
            }
        },
    }
}
