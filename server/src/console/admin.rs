//! 组织管理 at the console, for an organisation's administrators: its settings (handling
//! times, limits), its sessions (届次会议, with the window for proposals), its audit log, and —
//! for the administrators of the province, whose server it is — the backup status.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, TimeZone};
use lvzhi_domain::org::{OrgSettings, Session};
use lvzhi_domain::time::{cst, from_millis, to_millis};
use lvzhi_store::org;
use maud::html;
use serde::Deserialize;

use super::html::{self, banner, day, page, when};
use super::session::ConsoleUser;
use crate::AppState;
use crate::audit::{self, Event, Who};
use crate::changes::emit_org_reference;

/// A backup older than this is flagged on the status page.
const BACKUP_STALE_MS: i64 = 26 * 3_600_000;

#[derive(Debug, Deserialize, Default)]
pub struct AdminQuery {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

fn admin_org(user: &ConsoleUser, asked: Option<&str>) -> Option<String> {
    let orgs = user.admin_orgs();
    match asked {
        Some(o) => orgs.into_iter().find(|x| x == o),
        None => orgs.into_iter().next(),
    }
}

/// `GET /console/admin`.
pub async fn page_handler(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Query(q): Query<AdminQuery>,
) -> Response {
    let Some(org_id) = admin_org(&user, q.org.as_deref()) else {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有本组织的管理员可以管理组织", "/console"))
            .into_response();
    };
    let now = to_millis((app.clock)());
    let read = app.store.read(|c| {
        let o = org::get_organisation(c, &org_id)?.ok_or(lvzhi_store::Error::NotFound { what: "组织" })?;
        let settings = org::org_settings(c, &org_id)?;
        let mut sessions = org::sessions_of(c, &org_id)?;
        sessions.sort_by_key(|s| std::cmp::Reverse(s.proposals_open_at));
        let terms = org::terms(c, &org_id)?;
        let log = crate::audit_log::entries(c, &org_id, 100)?;
        // The server is the province's: its administrators see how its backups stand.
        let backups = if o.parent_id.is_none() {
            let mut stmt =
                c.prepare("SELECT at, detail FROM audit_log WHERE kind = 'backup_made' ORDER BY seq DESC LIMIT 10")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            Some(rows.collect::<lvzhi_sql::Result<Vec<_>>>()?)
        } else {
            None
        };
        Ok::<_, lvzhi_store::Error>((o, settings, sessions, terms, log, backups))
    });
    let (o, s, sessions, terms, log, backups) = match read {
        Ok(x) => x,
        Err(e) => return html::failed(&user, e),
    };
    let number = |id: &str, name: &str, label: &str, value: u64, max: u64| {
        html! { div.field { label for=(id) { (label) } input id=(id) type="number" name=(name) min="1" max=(max) value=(value) required; } }
    };
    let body = html! {
        @match q.done.as_deref() {
            Some("settings") => (banner(true, "组织设置已保存")),
            Some("session") => (banner(true, "会议（届次）已新增")),
            _ => {},
        }
        p { (o.name) }
        section aria-labelledby="settings-h" {
            h2 #settings-h { "组织设置" }
            form method="post" action="/console/admin/settings" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="org" value=(org_id);
                (number("o-handling", "handling_months", "办理期限（月，自交办起）", s.handling_months.into(), 24))
                (number("o-max", "max_handling_months", "延期后最长办理期限（月）", s.max_handling_months.into(), 36))
                (number("o-return", "return_window_days", "承办单位退回交办的期限（天）", s.return_window_days.into(), 60))
                (number("o-contact", "first_contact_working_days", "首次联系提案人的期限（工作日）", s.first_contact_working_days.into(), 60))
                (number("o-eval", "evaluation_working_days", "提案人测评的期限（工作日）", s.evaluation_working_days.into(), 60))
                (number("o-rehandle", "rehandle_months", "不满意后重新办理的期限（月）", s.rehandle_months.into(), 12))
                (number("o-report", "report_max_chars", "社情民意信息最长字数", s.report_max_chars.into(), 20_000))
                (number("o-grace", "post_grace_hours", "网络议政结束后仍接收离线意见的时间（小时）", s.post_grace_hours.into(), 168))
                (number("o-file", "file_max_mb", "附件大小上限（MB）", s.file_max_bytes / (1024 * 1024), 200))
                div.check {
                    input #o-push-titles type="checkbox" name="push_titles" value="yes" checked[s.push_titles];
                    label for="o-push-titles" {
                        "推送中显示通知标题"
                        span.hint { "（不勾选时，推送只说明类别和条数，标题不经过手机厂商的服务器）" }
                    }
                }
                button type="submit" { "保存设置" }
            }
        }
        section aria-labelledby="sessions-h" {
            h2 #sessions-h { "会议（届次）" }
            table.list {
                thead { tr { th scope="col" { "会议" } th scope="col" { "提案征集开始" } th scope="col" { "提案截止" } th scope="col" { "闭会期间提案" } } }
                tbody {
                    @for x in &sessions {
                        tr {
                            td { "第" (x.number) "次会议" }
                            td { (day(to_millis(x.proposals_open_at))) }
                            td { (day(to_millis(x.proposals_deadline))) }
                            td { @if x.accepts_interim { "接收" } @else { "不接收" } }
                        }
                    }
                }
            }
            @if let Some(term) = terms.iter().max_by_key(|t| t.number) {
                details.action {
                    summary { "新增会议" }
                    form method="post" action="/console/admin/sessions" {
                        input type="hidden" name="csrf" value=(user.csrf);
                        input type="hidden" name="org" value=(org_id);
                        input type="hidden" name="term" value=(term.id);
                        div.field { label for="x-number" { "第几次会议（第" (term.number) "届）" } input #x-number type="number" name="number" min="1" max="20" value=(sessions.iter().map(|x| x.number).max().unwrap_or(0) + 1) required; }
                        div.field { label for="x-open" { "提案征集开始" } input #x-open type="date" name="open" required; }
                        div.field { label for="x-deadline" { "提案截止" } input #x-deadline type="date" name="deadline" required; }
                        div.check { input #x-interim type="checkbox" name="interim" value="yes" checked; label for="x-interim" { "闭会期间接收提案" } }
                        button type="submit" { "新增" }
                    }
                }
            }
        }
        @if let Some(backups) = &backups {
            section aria-labelledby="backup-h" {
                h2 #backup-h { "数据备份" }
                @match backups.first() {
                    None => p.bad { "还没有备份记录。请用 lvzhi-server backup 定时备份数据库。" },
                    Some((at, _)) if now - at > BACKUP_STALE_MS => p.bad { "最近一次备份在 " (when(*at)) "，已超过一天。" },
                    Some((at, _)) => p { "最近一次备份在 " (when(*at)) "。" },
                }
                @if app.restored { p { "本数据库曾从备份恢复。" } }
                ul { @for (at, detail) in backups { li { (when(*at)) "　" (detail) } } }
            }
        }
        section aria-labelledby="audit-h" {
            h2 #audit-h { "审计日志" }
            table.list #audit {
                thead { tr { th scope="col" { "时间" } th scope="col" { "事件" } th scope="col" { "人员" } th scope="col" { "地址" } th scope="col" { "详情" } } }
                tbody {
                    @for e in &log {
                        tr {
                            td { (when(e.at_ms)) }
                            td { (e.kind_label) }
                            td { (e.person_name.clone().unwrap_or_default()) }
                            td { (e.address.clone().unwrap_or_default()) }
                            td { (e.detail) }
                        }
                    }
                }
            }
        }
    };
    page("组织管理", Some(&user), body).into_response()
}

fn refuse(user: &ConsoleUser, status: StatusCode, reason: &str) -> Response {
    (status, html::refusal(Some(user), reason, "/console/admin")).into_response()
}

/// `POST /console/admin/settings`: the whole settings form, published to the organisation's
/// phones with its reference data.
pub async fn settings(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| f.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    if let Err(e) = user.check_csrf(get("csrf")) {
        return refuse(&user, e.status, &e.message);
    }
    let Some(org_id) = admin_org(&user, get("org")) else {
        return refuse(&user, StatusCode::FORBIDDEN, "只有本组织的管理员可以修改组织设置");
    };
    let n =
        |k: &str, lo: u32, hi: u32| get(k).and_then(|v| v.trim().parse::<u32>().ok()).filter(|v| (lo..=hi).contains(v));
    let (
        Some(handling),
        Some(max),
        Some(ret),
        Some(contact),
        Some(eval),
        Some(rehandle),
        Some(chars),
        Some(grace),
        Some(mb),
    ) = (
        n("handling_months", 1, 24),
        n("max_handling_months", 1, 36),
        n("return_window_days", 1, 60),
        n("first_contact_working_days", 1, 60),
        n("evaluation_working_days", 1, 60),
        n("rehandle_months", 1, 12),
        n("report_max_chars", 500, 20_000),
        n("post_grace_hours", 1, 168),
        n("file_max_mb", 1, 200),
    )
    else {
        return refuse(&user, StatusCode::BAD_REQUEST, "请按提示的范围填写每一项设置");
    };
    if max < handling {
        return refuse(&user, StatusCode::BAD_REQUEST, "延期后最长办理期限不能短于办理期限");
    }
    let settings = OrgSettings {
        handling_months: handling,
        max_handling_months: max,
        return_window_days: ret,
        first_contact_working_days: contact,
        evaluation_working_days: eval,
        rehandle_months: rehandle,
        report_max_chars: chars,
        post_grace_hours: grace,
        file_max_bytes: u64::from(mb) * 1024 * 1024,
        push_titles: get("push_titles").is_some(),
    };
    let (app2, person, org2) = (app.clone(), user.person_id.clone(), org_id.clone());
    let done = tokio::task::spawn_blocking(move || {
        let now = (app2.clock)();
        crate::fanout::write_reference(&app2, false, |tx| {
            org::set_org_settings(tx, &org2, &settings)?;
            emit_org_reference(tx, &org2, now)?;
            let who = Who { person: Some(&person), org: Some(&org2), address: None };
            audit::record(tx, now, Event::OrgSettingsChanged, who, "组织设置")
        })
    })
    .await;
    finish(&user, &org_id, done, "settings")
}

fn finish(
    user: &ConsoleUser,
    org_id: &str,
    done: Result<lvzhi_store::Result<()>, tokio::task::JoinError>,
    what: &str,
) -> Response {
    match done {
        Ok(Ok(())) => {
            Redirect::to(&format!("/console/admin?org={}&done={what}", super::url::encode(org_id))).into_response()
        }
        Ok(Err(e)) => html::failed(user, e),
        Err(e) => refuse(user, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[derive(Debug, Deserialize)]
pub struct SessionForm {
    csrf: Option<String>,
    org: String,
    term: String,
    number: u32,
    open: String,
    deadline: String,
    #[serde(default)]
    interim: Option<String>,
}

/// `POST /console/admin/sessions`: a new session of the current term.
pub async fn add_session(State(app): State<Arc<AppState>>, user: ConsoleUser, Form(f): Form<SessionForm>) -> Response {
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(&user, e.status, &e.message);
    }
    let Some(org_id) = admin_org(&user, Some(&f.org)) else {
        return refuse(&user, StatusCode::FORBIDDEN, "只有本组织的管理员可以新增会议");
    };
    let at = |d: &str, h: u32| {
        NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(h, if h == 23 { 59 } else { 0 }, 0))
            .and_then(|t| cst().from_local_datetime(&t).single())
            .map(|t| from_millis(t.timestamp_millis()))
    };
    let (Some(open), Some(deadline)) = (at(&f.open, 0), at(&f.deadline, 23)) else {
        return refuse(&user, StatusCode::BAD_REQUEST, "日期请按 年-月-日 填写");
    };
    let session = Session {
        id: format!("{org_id}-{}", lvzhi_domain::ids::new_id()),
        term_id: f.term,
        org_id: org_id.clone(),
        number: f.number,
        proposals_open_at: open,
        proposals_deadline: deadline,
        accepts_interim: f.interim.is_some(),
    };
    let (app2, person, org2) = (app.clone(), user.person_id.clone(), org_id.clone());
    let done = tokio::task::spawn_blocking(move || {
        let now = (app2.clock)();
        crate::fanout::write_reference(&app2, false, |tx| {
            org::insert_session(tx, &session)?;
            emit_org_reference(tx, &org2, now)?;
            let who = Who { person: Some(&person), org: Some(&org2), address: None };
            audit::record(tx, now, Event::SessionAdded, who, &format!("第{}次会议", session.number))
        })
    })
    .await;
    finish(&user, &org_id, done, "session")
}
