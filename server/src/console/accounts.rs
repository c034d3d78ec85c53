//! 账号管理 at the console, for an organisation's administrators: the people of the
//! organisation with how their account stands; one person added; a list imported from `.xlsx`
//! or CSV with a preview and a reason per bad row; a reset (a new activation code) or a
//! disable. Codes are shown once, on a page meant to be printed and handed out.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::html::{self, banner, day, page};
use super::session::ConsoleUser;
use crate::AppState;
use crate::accounts::{self, Change, Checked, Created, Fields, NewPerson, OrgChoices, Standing};

fn refuse(user: &ConsoleUser, status: StatusCode, reason: &str) -> Response {
    (status, html::refusal(Some(user), reason, "/console/accounts")).into_response()
}

/// The organisation asked for, if this person administers it (their first one otherwise).
fn admin_org(user: &ConsoleUser, asked: Option<&str>) -> Option<String> {
    let orgs = user.admin_orgs();
    match asked {
        Some(o) => orgs.into_iter().find(|x| x == o),
        None => orgs.into_iter().next(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    org: Option<String>,
}

/// `GET /console/accounts`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<ListQuery>) -> Response {
    let Some(org_id) = admin_org(&user, q.org.as_deref()) else {
        return refuse(&user, StatusCode::FORBIDDEN, "只有本组织的管理员可以管理账号");
    };
    let now = lvzhi_domain::time::to_millis((app.clock)());
    let read = app.store.read(|c| {
        let name = lvzhi_store::org::organisation_name(c, &org_id)?;
        Ok::<_, lvzhi_store::Error>((name, accounts::lines(c, &org_id)?, OrgChoices::load(c, &org_id)?))
    });
    let (org_name, lines, choices) = match read {
        Ok(x) => x,
        Err(e) => return html::failed(&user, e),
    };
    let body = html! {
        p { (org_name) "，共 " (lines.len()) " 人" }
        section aria-labelledby="import-h" {
            h2 #import-h { "批量导入" }
            p { "上传 Excel（.xlsx）或 CSV 文件。第一行为表头，须有“姓名”“账号”“角色”三列，可有“承办单位”“界别”两列。"
                "角色填写：" (accounts::ROLES.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")) "。导入前会先预览，并逐行说明无法导入的原因。" }
            form method="post" action="/console/accounts/import" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="org" value=(org_id);
                div.field { label for="a-file" { "名单文件" } input #a-file type="file" name="file" accept=".xlsx,.csv" required; }
                button type="submit" { "预览" }
            }
        }
        section aria-labelledby="one-h" {
            h2 #one-h { "新建一个账号" }
            form method="post" action="/console/accounts" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="org" value=(org_id);
                div.field { label for="a-name" { "姓名" } input #a-name type="text" name="name" maxlength="40" required; }
                div.field { label for="a-login" { "账号" span.hint { "（3到40位字母、数字或 . _ -）" } } input #a-login type="text" name="login" maxlength="40" required; }
                div.field {
                    label for="a-role" { "角色" }
                    select #a-role name="role" required { @for r in accounts::ROLES { option value=(r.label()) { (r.label()) } } }
                }
                div.field {
                    label for="a-unit" { "承办单位" span.hint { "（角色为承办单位时）" } }
                    select #a-unit name="unit" { option value="" { "无" } @for u in &choices.units { option value=(u.name) { (u.name) } } }
                }
                div.field {
                    label for="a-phone" { "手机号" span.hint { "（选填，只用于紧急通知短信，仅服务器保存）" } }
                    input #a-phone type="tel" name="phone" maxlength="20" autocomplete="off";
                }
                button type="submit" { "新建并生成激活码" }
            }
        }
        section aria-labelledby="people-h" {
            h2 #people-h { "人员和账号" }
            table.list {
                thead { tr { th scope="col" { "姓名" } th scope="col" { "账号" } th scope="col" { "角色" } th scope="col" { "状态" } th scope="col" { "操作" } } }
                tbody {
                    @for l in &lines {
                        tr {
                            td { (l.name) }
                            td { (l.login.clone().unwrap_or_else(|| "—".into())) }
                            td {
                                @for r in &l.roles {
                                    span.tag { (r.label()) }
                                    @if !(l.person_id == user.person_id && *r == lvzhi_domain::org::Role::OrgAdmin) {
                                        (role_button(&user, &org_id, &l.person_id, &l.name, "revoke", *r))
                                    }
                                }
                                details.action {
                                    summary { "增加角色" span.hint { "（" (l.name) "）" } }
                                    form method="post" action=(format!("/console/accounts/{}/roles", l.person_id)) {
                                        input type="hidden" name="csrf" value=(user.csrf);
                                        input type="hidden" name="org" value=(org_id);
                                        input type="hidden" name="op" value="grant";
                                        div.field {
                                            label for=(format!("g-role-{}", l.person_id)) { "角色" }
                                            select id=(format!("g-role-{}", l.person_id)) name="role" required {
                                                @for r in accounts::ROLES.iter().filter(|r| !l.roles.contains(r)) { option value=(r.as_str()) { (r.label()) } }
                                            }
                                        }
                                        div.field {
                                            label for=(format!("g-unit-{}", l.person_id)) { "承办单位" span.hint { "（角色为承办单位时）" } }
                                            select id=(format!("g-unit-{}", l.person_id)) name="unit" { option value="" { "无" } @for u in &choices.units { option value=(u.id) { (u.name) } } }
                                        }
                                        button type="submit" { "增加" }
                                    }
                                }
                            }
                            td {
                                @match &l.standing {
                                    Standing::Active => "已激活",
                                    Standing::Pending { expires_at } if *expires_at > now => { "待激活（激活码 " (day(*expires_at)) " 前有效）" },
                                    Standing::Pending { .. } => "激活码已过期",
                                    Standing::Disabled => "已停用",
                                    Standing::None => "无账号",
                                }
                            }
                            td {
                                @if l.login.is_some() {
                                    (change_button(&user, &l.person_id, &l.name, "reset", "重置"))
                                    @match l.standing {
                                        Standing::Disabled => (change_button(&user, &l.person_id, &l.name, "enable", "启用")),
                                        _ => (change_button(&user, &l.person_id, &l.name, "disable", "停用")),
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page("账号管理", Some(&user), body).into_response()
}

fn role_button(
    user: &ConsoleUser,
    org_id: &str,
    person_id: &str,
    name: &str,
    op: &str,
    role: lvzhi_domain::org::Role,
) -> Markup {
    html! {
        form.inline method="post" action=(format!("/console/accounts/{person_id}/roles")) {
            input type="hidden" name="csrf" value=(user.csrf);
            input type="hidden" name="org" value=(org_id);
            input type="hidden" name="op" value=(op);
            input type="hidden" name="role" value=(role.as_str());
            button.link type="submit" aria-label=(format!("撤销{name}的{}角色", role.label())) { "撤销" }
            " "
        }
    }
}

fn change_button(user: &ConsoleUser, person_id: &str, name: &str, op: &str, label: &str) -> Markup {
    html! {
        form.inline method="post" action=(format!("/console/accounts/{person_id}")) {
            input type="hidden" name="csrf" value=(user.csrf);
            input type="hidden" name="op" value=(op);
            button.link type="submit" aria-label=(format!("{label}{name}的账号")) { (label) }
            " "
        }
    }
}

/// The page that shows new codes, once.
fn codes_page(user: &ConsoleUser, title: &str, created: &[Created], bad: usize) -> Response {
    let body = html! {
        (banner(true, &format!("已生成 {} 个激活码。激活码只显示这一次，请打印或抄录后交给本人；30天内有效。", created.len())))
        @if bad > 0 { p.bad { (bad) " 行未导入，请修改后再导入这些行。" } }
        table.list.codes {
            thead { tr { th scope="col" { "姓名" } th scope="col" { "账号" } th scope="col" { "激活码" } } }
            tbody { @for c in created { tr { td { (c.name) } td.login { (c.login) } td.code { (c.code) } } } }
        }
        p { "本人在手机“履职”App 或工作台的“激活账号”页面输入账号和激活码，设置自己的密码。" }
        p { button.print type="button" data-print="1" { "打印" } " " a href="/console/accounts" { "返回账号管理" } }
    };
    page(title, Some(user), body).into_response()
}

#[derive(Debug, Deserialize)]
pub struct OneForm {
    csrf: Option<String>,
    org: String,
    name: String,
    login: String,
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    phone: String,
}

/// `POST /console/accounts`: one person.
pub async fn create(State(app): State<Arc<AppState>>, user: ConsoleUser, Form(f): Form<OneForm>) -> Response {
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(&user, e.status, &e.message);
    }
    let Some(org_id) = admin_org(&user, Some(&f.org)) else {
        return refuse(&user, StatusCode::FORBIDDEN, "只有本组织的管理员可以新建账号");
    };
    let fields = Fields { name: &f.name, login: &f.login, role: &f.role, unit: &f.unit, groups: "", phone: &f.phone };
    let checked = app.store.read(|c| OrgChoices::load(c, &org_id));
    let person = match checked.map(|choices| accounts::check_one(&fields, &choices, &Default::default())) {
        Ok(Ok(p)) => p,
        Ok(Err(reason)) => return refuse(&user, StatusCode::BAD_REQUEST, &reason),
        Err(e) => return html::failed(&user, e),
    };
    finish(&app, &user, &org_id, vec![person], 0, "账号已新建").await
}

async fn finish(
    app: &Arc<AppState>,
    user: &ConsoleUser,
    org_id: &str,
    people: Vec<NewPerson>,
    bad: usize,
    title: &str,
) -> Response {
    let (app2, org, by) = (app.clone(), org_id.to_string(), user.person_id.clone());
    let created = tokio::task::spawn_blocking(move || {
        let now = (app2.clock)();
        // The new people are in their organisation's scope: phones and long-polls hear it.
        crate::fanout::write_reference(&app2, true, |tx| accounts::create(tx, &org, &people, &by, now))
    })
    .await;
    match created {
        Ok(Ok(created)) => codes_page(user, title, &created, bad),
        Ok(Err(e)) => {
            let e = crate::error::ApiError::from(e);
            refuse(user, e.status, &e.message)
        }
        Err(e) => refuse(user, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// `POST /console/accounts/import`: reads and checks the list, and shows what would happen.
pub async fn import(State(app): State<Arc<AppState>>, user: ConsoleUser, mut form: Multipart) -> Response {
    let (mut csrf, mut org): (Option<String>, Option<String>) = (None, None);
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let file_name = field.file_name().unwrap_or_default().to_string();
                let Ok(bytes) = field.bytes().await else {
                    return refuse(&user, StatusCode::BAD_REQUEST, "上传未完成，请重试");
                };
                match name.as_str() {
                    "csrf" => csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
                    "org" => org = Some(String::from_utf8_lossy(&bytes).into_owned()),
                    "file" => file = Some((file_name, bytes.to_vec())),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return refuse(&user, StatusCode::BAD_REQUEST, "上传未完成或文件过大（最大 8 MB）"),
        }
    }
    if let Err(e) = user.check_csrf(csrf.as_deref()) {
        return refuse(&user, e.status, &e.message);
    }
    let Some(org_id) = admin_org(&user, org.as_deref()) else {
        return refuse(&user, StatusCode::FORBIDDEN, "只有本组织的管理员可以导入账号");
    };
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refuse(&user, StatusCode::BAD_REQUEST, "请选择要导入的文件");
    };
    let app2 = app.clone();
    let org2 = org_id.clone();
    let checked = tokio::task::spawn_blocking(move || -> Result<Checked, String> {
        let cells = accounts::read_cells(&file_name, &bytes).map_err(|e| e.to_string())?;
        let choices = app2.store.read(|c| OrgChoices::load(c, &org2)).map_err(|e| e.to_string())?;
        accounts::check_list(&cells, &choices).map_err(|e| e.to_string())
    })
    .await;
    let checked = match checked {
        Ok(Ok(c)) => c,
        Ok(Err(reason)) => return refuse(&user, StatusCode::BAD_REQUEST, &reason),
        Err(e) => return refuse(&user, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let rows = serde_json::to_string(&checked.good).unwrap_or_default();
    let body = html! {
        p #import-summary { "可导入 " (checked.good.len()) " 人，" (checked.bad.len()) " 行无法导入。" }
        @if !checked.bad.is_empty() {
            h2 { "无法导入的行" }
            table.list #bad-rows {
                thead { tr { th scope="col" { "行号" } th scope="col" { "姓名" } th scope="col" { "原因" } } }
                tbody { @for b in &checked.bad { tr { td { (b.line) } td { (b.name) } td.bad { (b.reason) } } } }
            }
        }
        @if !checked.good.is_empty() {
            h2 { "将要新建的账号" }
            table.list {
                thead { tr { th scope="col" { "姓名" } th scope="col" { "账号" } th scope="col" { "角色" } } }
                tbody { @for p in &checked.good { tr { td { (p.name) } td { (p.login) } td { (p.role.label()) } } } }
            }
            form method="post" action="/console/accounts/import/confirm" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="org" value=(org_id);
                input type="hidden" name="bad" value=(checked.bad.len());
                input type="hidden" name="rows" value=(rows);
                button type="submit" { "确认导入 " (checked.good.len()) " 人" }
            }
        }
        p { a href="/console/accounts" { "取消，返回账号管理" } }
    };
    page("导入预览", Some(&user), body).into_response()
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    csrf: Option<String>,
    org: String,
    rows: String,
    #[serde(default)]
    bad: usize,
}

/// `POST /console/accounts/import/confirm`: every row is checked again, then all are created in
/// one transaction (or none).
pub async fn confirm_import(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Form(f): Form<ConfirmForm>,
) -> Response {
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(&user, e.status, &e.message);
    }
    let Some(org_id) = admin_org(&user, Some(&f.org)) else {
        return refuse(&user, StatusCode::FORBIDDEN, "只有本组织的管理员可以导入账号");
    };
    let Ok(rows) = serde_json::from_str::<Vec<NewPerson>>(&f.rows) else {
        return refuse(&user, StatusCode::BAD_REQUEST, "导入内容无效，请重新上传文件");
    };
    // The preview's rows came back from the browser: checked again as typed, against today's
    // organisation.
    let choices = match app.store.read(|c| OrgChoices::load(c, &org_id)) {
        Ok(c) => c,
        Err(e) => return html::failed(&user, e),
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut people = Vec::with_capacity(rows.len());
    for r in &rows {
        let unit = r.unit_id.clone().unwrap_or_default();
        let groups: Vec<String> = r
            .group_ids
            .iter()
            .filter_map(|g| choices.groups.iter().find(|x| &x.id == g).map(|x| x.name.clone()))
            .collect();
        let groups = groups.join("、");
        let phone = r.phone.clone().unwrap_or_default();
        let fields = Fields {
            name: &r.name,
            login: &r.login,
            role: r.role.label(),
            unit: &unit,
            groups: &groups,
            phone: &phone,
        };
        match accounts::check_one(&fields, &choices, &seen) {
            Ok(p) if p.group_ids.len() == r.group_ids.len() => {
                seen.insert(p.login.clone());
                people.push(p);
            }
            Ok(_) => return refuse(&user, StatusCode::BAD_REQUEST, "导入内容无效，请重新上传文件"),
            Err(reason) => {
                return refuse(&user, StatusCode::CONFLICT, &format!("{}：{reason}；请重新上传文件", r.name));
            }
        }
    }
    if people.is_empty() {
        return refuse(&user, StatusCode::BAD_REQUEST, "没有可导入的人员");
    }
    finish(&app, &user, &org_id, people, f.bad, "导入完成").await
}

#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    csrf: Option<String>,
    op: String,
}

/// `POST /console/accounts/{person}`: reset, disable or enable one account.
pub async fn change(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(person_id): Path<String>,
    Form(f): Form<ChangeForm>,
) -> Response {
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(&user, e.status, &e.message);
    }
    let op = match f.op.as_str() {
        "reset" => Change::Reset,
        "disable" => Change::Disable,
        "enable" => Change::Enable,
        _ => return refuse(&user, StatusCode::BAD_REQUEST, "未知的操作"),
    };
    // An administrator changes only accounts of people in an organisation they administer.
    let theirs = app.store.read(|c| lvzhi_store::org::roles_of(c, &person_id));
    let allowed = match theirs {
        Ok(grants) => grants.iter().any(|g| user.is_admin_of(&g.org_id)),
        Err(_) => false,
    };
    if !allowed || (person_id == user.person_id && op != Change::Reset) {
        return refuse(&user, StatusCode::FORBIDDEN, "只能管理本组织人员的账号，且不能停用自己的账号");
    }
    let (app2, by, id) = (app.clone(), user.person_id.clone(), person_id.clone());
    let done = tokio::task::spawn_blocking(move || {
        let now = (app2.clock)();
        let name = app2.store.read(|c| lvzhi_store::org::get_person(c, &id))?.map(|p| p.name).unwrap_or_default();
        let code = app2.store.write(|tx| accounts::change(tx, &id, op, &by, now))?;
        Ok::<_, lvzhi_store::Error>((name, code))
    })
    .await;
    app.idle.forget_sessions();
    match done {
        Ok(Ok((name, Some(code)))) => {
            let login = app
                .store
                .read(|c| {
                    c.query_row("SELECT login FROM activation_codes WHERE person_id = ?1", [&person_id], |r| r.get(0))
                        .map_err(lvzhi_store::Error::from)
                })
                .unwrap_or_default();
            let created = [Created { person_id, name, login, code }];
            codes_page(&user, "账号已重置", &created, 0)
        }
        Ok(Ok((_, None))) => {
            let text =
                if op == Change::Disable { "账号已停用，其登录设备均已注销" } else { "账号已启用" };
            page(
                "账号管理",
                Some(&user),
                html! { (banner(true, text)) p { a href="/console/accounts" { "返回账号管理" } } },
            )
            .into_response()
        }
        Ok(Err(e)) => {
            let e = crate::error::ApiError::from(e);
            refuse(&user, e.status, &e.message)
        }
        Err(e) => refuse(&user, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    csrf: Option<String>,
    org: String,
    op: String,
    role: String,
    #[serde(default)]
    unit: String,
}

/// `POST /console/accounts/{person}/roles`: gives or takes one role in the organisation.
pub async fn roles(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(person_id): Path<String>,
    Form(f): Form<RoleForm>,
) -> Response {
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(&user, e.status, &e.message);
    }
    let Some(org_id) = admin_org(&user, Some(&f.org)) else {
        return refuse(&user, StatusCode::FORBIDDEN, "只有本组织的管理员可以调整角色");
    };
    let Some(role) = lvzhi_domain::org::Role::parse(&f.role) else {
        return refuse(&user, StatusCode::BAD_REQUEST, "请选择角色");
    };
    // An administrator never takes their own administration away (someone must remain).
    if f.op == "revoke" && person_id == user.person_id && role == lvzhi_domain::org::Role::OrgAdmin {
        return refuse(&user, StatusCode::FORBIDDEN, "不能撤销自己的管理员角色");
    }
    // Only someone already in this organisation gets another role here.
    let theirs = app.store.read(|c| lvzhi_store::org::roles_of(c, &person_id));
    if !theirs.is_ok_and(|g| g.iter().any(|g| g.org_id == org_id)) {
        return refuse(&user, StatusCode::NOT_FOUND, "本组织没有此人");
    }
    let unit = (role == lvzhi_domain::org::Role::UnitUser).then(|| f.unit.clone()).filter(|u| !u.is_empty());
    let (app2, by, id, org2, op) =
        (app.clone(), user.person_id.clone(), person_id.clone(), org_id.clone(), f.op.clone());
    let done = tokio::task::spawn_blocking(move || {
        let now = (app2.clock)();
        crate::fanout::write_reference(&app2, true, |tx| match op.as_str() {
            "grant" => accounts::grant(tx, &id, &org2, role, unit, &by, now),
            _ => accounts::revoke(tx, &id, &org2, role, &by, now),
        })
    })
    .await;
    app.idle.forget_sessions();
    match done {
        Ok(Ok(())) => axum::response::Redirect::to(&format!("/console/accounts?org={}", super::url::encode(&org_id)))
            .into_response(),
        Ok(Err(e)) => html::failed(&user, e),
        Err(e) => refuse(&user, StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}
