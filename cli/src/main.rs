//! `lvzhi`: the terminal shell over the same core as the apps. Staff at a PC work proposals and
//! chat from here; anyone can try the product. Readable output by default, `--json` for scripts.
//!
//! The device database (default `~/.lvzhi/lvzhi.db`) keeps the session and works offline like a
//! phone: actions are stored at once and sent with `lvzhi sync`.

use std::process::ExitCode;

use lvzhi_client::{AssignMode, Client, Error, ProposalCommand, command_label};
use lvzhi_domain::chat::GroupKind;
use lvzhi_domain::proposal::{ProposalContent, Rating, ReplyCategory};
use lvzhi_store::chat::MessageState;
use serde::Serialize;

const USAGE: &str = "用法: lvzhi [--db 路径] [--server 地址] [--json] 命令 ...
  login 账号 [密码]                 登录（密码也可放在 LVZHI_PASSWORD）
  logout                            退出登录
  status                            同步状态
  sync                              立即同步
  proposals                         提案列表
  show 提案编号                     提案详情、办理记录和可执行的操作
  draft 标题 案由 建议 类别          起草提案（保存在本机，同步时发送）
  do 提案编号 操作 [参数...]         执行操作: submit | register | withdraw 原因 | return 意见 |
                                    assign 单位... | reply A|B|C 内容 | approve | evaluate 满意|基本满意|不满意 |
                                    accept | decline | cosign | close 说明
  groups                            学习交流群
  newgroup 群名称 成员编号...        新建学习交流群（工作人员）
  messages 群编号                   群消息
  send 群编号 内容                  发消息
环境变量: LVZHI_DB, LVZHI_SERVER (默认 http://127.0.0.1:8080)";

struct Args {
    db: String,
    server: String,
    json: bool,
    command: Vec<String>,
}

fn parse() -> Result<Args, String> {
    let home = std::env::var("HOME").unwrap_or_else(|_| ".".into());
    let mut a = Args {
        db: std::env::var("LVZHI_DB").unwrap_or_else(|_| format!("{home}/.lvzhi/lvzhi.db")),
        server: std::env::var("LVZHI_SERVER").unwrap_or_else(|_| "http://127.0.0.1:8080".into()),
        json: false,
        command: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--db" => a.db = it.next().ok_or("--db 需要路径")?,
            "--server" => a.server = it.next().ok_or("--server 需要地址")?,
            "--json" => a.json = true,
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
fn show<T: Serialize>(json: bool, value: &T, text: impl FnOnce(&T) -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).unwrap_or_default());
    } else {
        println!("{}", text(value));
    }
}

fn arg(cmd: &[String], i: usize, what: &str) -> Result<String, String> {
    cmd.get(i).cloned().ok_or_else(|| format!("缺少{what}"))
}

fn command(cmd: &[String]) -> Result<ProposalCommand, String> {
    let rest = |from: usize| cmd[from.min(cmd.len())..].join(" ");
    Ok(match cmd.get(2).map(String::as_str) {
        Some("submit") => ProposalCommand::Submit,
        Some("cosign") => ProposalCommand::OpenCoSigning,
        Some("accept") => ProposalCommand::AcceptInvitation,
        Some("decline") => ProposalCommand::DeclineInvitation,
        Some("register") => ProposalCommand::Register,
        Some("withdraw") => ProposalCommand::Withdraw { reason: rest(3) },
        Some("return") => ProposalCommand::ReturnForRevision { note: rest(3) },
        Some("assign") => {
            let units: Vec<String> = cmd[3.min(cmd.len())..].to_vec();
            let mode = if units.len() > 1 { AssignMode::Lead } else { AssignMode::Sole };
            ProposalCommand::Assign { mode, unit_ids: units }
        }
        Some("reply") => ProposalCommand::Reply {
            category: match cmd.get(3).map(String::as_str) {
                Some("A") => ReplyCategory::A,
                Some("B") => ReplyCategory::B,
                Some("C") => ReplyCategory::C,
                _ => return Err("答复类别应为 A、B 或 C".into()),
            },
            text: rest(4),
        },
        Some("approve") => ProposalCommand::ApproveReplies { note: rest(3) },
        Some("evaluate") => ProposalCommand::Evaluate {
            rating: match cmd.get(3).map(String::as_str) {
                Some("满意") => Rating::Satisfied,
                Some("基本满意") => Rating::BasicallySatisfied,
                Some("不满意") => Rating::Unsatisfied,
                _ => return Err("测评应为 满意、基本满意 或 不满意".into()),
            },
            comment: rest(4),
        },
        Some("close") => ProposalCommand::Close { note: rest(3) },
        Some(other) => return Err(format!("不认识的操作：{other}")),
        None => return Err("缺少操作".into()),
    })
}

async fn run(a: Args) -> Result<(), String> {
    if let Some(parent) = std::path::Path::new(&a.db).parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let app = Client::open(&a.db, &a.server).map_err(err)?;
    let cmd = &a.command;
    match cmd[0].as_str() {
        "login" => {
            let account = arg(cmd, 1, "账号")?;
            let password = cmd.get(2).cloned().or_else(|| std::env::var("LVZHI_PASSWORD").ok()).ok_or("缺少密码")?;
            app.login(&account, &password, "终端").await.map_err(err)?;
            app.sync_until_idle().await.map_err(err)?;
            let me = app.me().map_err(err)?;
            show(a.json, &me, |m| {
                let roles: Vec<String> =
                    m.roles.iter().map(|r| format!("{}（{}）", r.role_label, r.org_name)).collect();
                format!("已登录：{} {}", m.name, roles.join("、"))
            });
        }
        "logout" => {
            app.logout().await.map_err(err)?;
            println!("已退出登录");
        }
        "status" => show(a.json, &app.status(), |s| {
            format!("同步状态：{:?}，待发送 {} 项，被退回 {} 项", s.state, s.pending, s.rejected)
        }),
        "sync" => {
            app.sync_until_idle().await.map_err(err)?;
            show(a.json, &app.status(), |s| format!("同步完成，待发送 {} 项", s.pending));
        }
        "proposals" => show(a.json, &app.proposals().map_err(err)?, |list| {
            if list.is_empty() {
                return "没有提案".into();
            }
            list.iter().map(|p| format!("{}  [{}]  {}", p.id, p.state.label(), p.title)).collect::<Vec<_>>().join("\n")
        }),
        "show" => {
            let d = app.detail(&arg(cmd, 1, "提案编号")?).map_err(err)?;
            show(a.json, &d, |d| {
                let mut out = format!(
                    "{}\n状态：{}　第{}版　提案人：{}\n案由：{}\n建议：{}\n办理记录：\n",
                    d.content.title,
                    d.state_label,
                    d.revision,
                    d.first_proposer_name,
                    d.content.cause,
                    d.content.suggestions
                );
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
                let actions: Vec<String> = d.commands.iter().map(|c| command_label(*c)).collect();
                out + &format!("可执行：{}", actions.join("、"))
            });
        }
        "draft" => {
            let content = ProposalContent {
                title: arg(cmd, 1, "标题")?,
                cause: arg(cmd, 2, "案由")?,
                suggestions: arg(cmd, 3, "建议")?,
                category: arg(cmd, 4, "类别")?,
            };
            let d = app.create_draft(content).map_err(err)?;
            show(a.json, &d, |d| format!("已保存草稿 {}（{}）", d.id, d.content.title));
        }
        "do" => {
            let id = arg(cmd, 1, "提案编号")?;
            let d = app.perform(&id, command(cmd)?).map_err(err)?;
            show(a.json, &d, |d| format!("完成：{} 现为「{}」", d.content.title, d.state_label));
        }
        "groups" => show(a.json, &app.groups().map_err(err)?, |gs| {
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
            show(a.json, &id, |id| format!("已建群 {id}，同步时发送"));
        }
        "messages" => {
            let group = arg(cmd, 1, "群编号")?;
            let timeline = app.timeline(&group, 50).map_err(err)?;
            show(a.json, &timeline, |t| {
                t.iter()
                    .map(|m| {
                        let state = match &m.state {
                            MessageState::Sent => String::new(),
                            MessageState::Sending => "（发送中）".into(),
                            MessageState::Failed { reason } => format!("（发送失败：{reason}）"),
                        };
                        format!("{}：{}{}", m.sender_name, m.text, state)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        "send" => {
            let id = app
                .send_message(&arg(cmd, 1, "群编号")?, &cmd[2.min(cmd.len())..].join(" "), None, vec![])
                .map_err(err)?;
            show(a.json, &id, |id| format!("已保存消息 {id}，同步时发送"));
        }
        other => return Err(format!("不认识的命令：{other}")),
    }
    Ok(())
}

/// The sentence a member reads for a failure.
fn err(e: Error) -> String {
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
