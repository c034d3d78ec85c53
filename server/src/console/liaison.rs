//! 委员工作室, 委员档案 and 界别召集人 at the console. Staff set up studios (place, members,
//! opening times, a duty roster), print each studio's QR poster, read and answer its messages
//! (with the resident's phone, which only they and the studio's members see); staff keep
//! members' files and decide the corrections members ask; administrators name each sector's
//! convener.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use lvzhi_domain::ids::new_id;
use lvzhi_domain::liaison::studio::{DutyDay, Studio, StudioDraft};
use lvzhi_domain::member_file::{FileFields, Gender, MemberFile};
use lvzhi_domain::org::MemberGroupKind;
use lvzhi_domain::protocol::MutationKind;
use lvzhi_sql::Connection;
use lvzhi_store::liaison::repo;
use lvzhi_store::{member_file, org};
use maud::{Markup, html};

use super::act::{self, staff_role};
use super::html::{self, page, when};
use super::refusal::Refused;
use super::session::ConsoleUser;
use super::upload::Posted;
use crate::AppState;

fn forbidden(user: &ConsoleUser, what: &str) -> Response {
    (StatusCode::FORBIDDEN, html::refusal(Some(user), what, "/console")).into_response()
}

// --- 委员工作室 ------------------------------------------------------------------------------

/// `GET /console/studios`: the studios of the staff's organisations, and the form for a new one.
pub async fn studios(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<html::Done>) -> Response {
    let orgs = user.staff_orgs();
    if orgs.is_empty() {
        return forbidden(&user, "只有政协机关工作人员可以管理委员工作室");
    }
    let read = app.store.read(|c| {
        let mut rows = Vec::new();
        for o in &orgs {
            for s in repo::studios_of_org(c, o)? {
                let messages = repo::messages_of_studio(c, &s.id)?;
                let unanswered = messages.iter().filter(|m| m.answer.is_none()).count();
                let names = names_of(c, &s.member_ids)?;
                rows.push((s, names, messages.len(), unanswered));
            }
        }
        let mut members = BTreeMap::new();
        for o in &orgs {
            members.insert(o.clone(), org::members_of(c, o)?);
        }
        Ok::<_, lvzhi_store::Error>((rows, members, user.staff_org_names(c)?))
    });
    let (rows, members, names) = match read {
        Ok(r) => r,
        Err(e) => return html::failed(&user, e),
    };
    let all_members: Vec<(String, String)> = members.values().flatten().cloned().collect();
    let body = html! {
        (q.banner(&[("saved", "已保存委员工作室")]))
        @if rows.is_empty() { p.empty { "还没有委员工作室。用下面的表单设立第一个。" } }
        @else {
            table {
                caption { "委员工作室" }
                thead { tr { th scope="col" { "名称" } th scope="col" { "地址" } th scope="col" { "进驻委员" } th scope="col" { "留言" } th scope="col" { "状态" } } }
                tbody {
                    @for (s, names, total, unanswered) in &rows {
                        tr {
                            td { a href=(format!("/console/studios/{}", s.id)) { (s.name) } }
                            td { (s.place) }
                            td { (names.join("、")) }
                            td { (total) " 条" @if *unanswered > 0 { "，" strong { (unanswered) " 条未答复" } } }
                            td { @if s.open { "接受留言" } @else { "暂停留言" } }
                        }
                    }
                }
            }
        }
        section aria-labelledby="new-h" {
            h2 #new-h { "设立委员工作室" }
            (studio_form(&user, "/console/studios", None, &all_members, Some(&names)))
        }
    };
    page("委员工作室", Some(&user), body).into_response()
}

fn names_of(c: &Connection, ids: &[String]) -> lvzhi_store::Result<Vec<String>> {
    ids.iter().map(|p| org::person_name(c, p)).collect()
}

/// The roster as staff type it: one line a day, 「2027-01-15 张明、李华」.
fn roster_text(s: &Studio, members: &[(String, String)]) -> String {
    let name = |id: &String| members.iter().find(|(m, _)| m == id).map_or(id.clone(), |(_, n)| n.clone());
    s.roster
        .iter()
        .map(|d| format!("{} {}", d.date, d.person_ids.iter().map(name).collect::<Vec<_>>().join("、")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn studio_form(
    user: &ConsoleUser,
    action: &str,
    s: Option<&Studio>,
    members: &[(String, String)],
    orgs: Option<&[(String, String)]>,
) -> Markup {
    let attached = |id: &str| s.is_some_and(|s| s.is_member(id));
    html! {
        form method="post" action=(action) enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(user.csrf);
            input type="hidden" name="_form" value=(super::session::new_form_id());
            @if let Some(names) = orgs { (html::org_select(names, "s-org", "设立组织")) }
            div.field { label for="s-name" { "名称" } input #s-name type="text" name="name" maxlength="40" required value=[s.map(|s| &s.name)]; }
            div.field { label for="s-place" { "地址" } input #s-place type="text" name="place" maxlength="100" required value=[s.map(|s| &s.place)]; }
            div.field {
                label for="s-hours" { "接待时间" span.hint { "（选填，例如：每周三 9:00–12:00）" } }
                input #s-hours type="text" name="hours" maxlength="100" value=[s.map(|s| &s.opening_hours)];
            }
            fieldset {
                legend { "进驻委员" }
                @for (id, name) in members {
                    div.check {
                        input type="checkbox" name="members" value=(id) id=(format!("m-{id}")) checked[attached(id)];
                        label for=(format!("m-{id}")) { (name) }
                    }
                }
            }
            div.field {
                label for="s-roster" { "值班表" span.hint { "（每行一天：日期 委员姓名，多人用顿号分隔，例如 2027-01-15 张明、李华）" } }
                textarea #s-roster name="roster" rows="6" { (s.map(|s| roster_text(s, members)).unwrap_or_default()) }
            }
            div.check {
                input #s-open type="checkbox" name="open" value="yes" checked[s.is_none_or(|s| s.open)];
                label for="s-open" { "接受群众网上留言" }
            }
            button type="submit" { "保存" }
        }
    }
}

/// Reads the studio form: the members ticked and the roster's lines, names matched to the
/// organisation's members.
fn studio_draft(f: &Posted, members: &[(String, String)]) -> Result<StudioDraft, Refused> {
    let field = |k: &str| f.get(k).unwrap_or_default().trim().to_string();
    let bad = |m: String| Refused::new(StatusCode::BAD_REQUEST, m);
    let mut roster = Vec::new();
    for (i, line) in field("roster").lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let (date, names) = line
            .split_once(|c: char| c.is_whitespace() || c == '：' || c == ':')
            .ok_or_else(|| bad(format!("值班表第{}行应为「日期 委员姓名」", i + 1)))?;
        let mut person_ids = Vec::new();
        for name in names.split(['、', '，', ',', ' ']).map(str::trim).filter(|n| !n.is_empty()) {
            let (id, _) = members
                .iter()
                .find(|(_, n)| n == name)
                .ok_or_else(|| bad(format!("值班表第{}行：没有名为「{name}」的委员", i + 1)))?;
            person_ids.push(id.clone());
        }
        roster.push(DutyDay { date: date.trim().to_string(), person_ids });
    }
    Ok(StudioDraft {
        name: field("name"),
        place: field("place"),
        opening_hours: field("hours"),
        member_ids: f.all("members"),
        roster,
        open: f.get("open").is_some(),
    })
}

/// `POST /console/studios`: a new studio.
pub async fn create_studio(State(app): State<Arc<AppState>>, user: ConsoleUser, form: Multipart) -> Response {
    let back = "/console/studios";
    let (f, acting) = match act::checked_for_org(form, &user, "设立委员工作室").await {
        Ok(checked) => checked,
        Err(r) => return r.page(&user, back),
    };
    let members = match app.store.read(|c| org::members_of(c, &acting.org_id)) {
        Ok(m) => m,
        Err(e) => return html::failed(&user, e),
    };
    let draft = match studio_draft(&f, &members) {
        Ok(d) => d,
        Err(r) => return r.page(&user, back),
    };
    let mutation = MutationKind::SaveStudio { studio_id: new_id(), draft };
    let form_id = f.get("_form").unwrap_or_default();
    act::push_then(&app, &user, acting, form_id, mutation, &format!("{back}?done=saved"), back).await
}

/// A studio of one of the staff's organisations.
fn staff_studio(c: &Connection, user: &ConsoleUser, id: &str) -> lvzhi_store::Result<Option<Studio>> {
    Ok(repo::studio(c, id)?.filter(|s| user.staff_orgs().contains(&s.org_id)))
}

/// `GET /console/studios/{id}`: the studio to change, its poster, its messages.
pub async fn studio(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Query(q): Query<html::Done>,
) -> Response {
    let read = app.store.read(|c| {
        let Some(s) = staff_studio(c, &user, &id)? else { return Ok(None) };
        let members = org::members_of(c, &s.org_id)?;
        let mut messages = Vec::new();
        for m in repo::messages_of_studio(c, &s.id)? {
            let by = m.answer.as_ref().map(|a| org::person_name(c, &a.by)).transpose()?;
            messages.push((m, by));
        }
        Ok::<_, lvzhi_store::Error>(Some((s, members, messages)))
    });
    let (s, members, messages) = match read {
        Ok(Some(r)) => r,
        Ok(None) => {
            return (
                StatusCode::NOT_FOUND,
                html::refusal(Some(&user), "没有找到该委员工作室，或您无权查看", "/console/studios"),
            )
                .into_response();
        }
        Err(e) => return html::failed(&user, e),
    };
    let back = format!("/console/studios/{id}");
    let body = html! {
        (q.banner(&[("saved", "已保存委员工作室"), ("answered", "已答复留言")]))
        p { a href=(format!("/console/studios/{id}/poster")) { "打印二维码海报" } "　" a href=(format!("/studio/{id}")) { "查看公开页面" } }
        section aria-labelledby="msg-h" {
            h2 #msg-h { "群众留言" }
            @if messages.is_empty() { p.empty { "还没有留言。" } }
            @for (m, by) in &messages {
                article.message {
                    p.hint {
                        (when(m.received_at_ms))
                        @if !m.name.is_empty() { "　" (m.name) }
                        @if !m.phone.is_empty() { "　电话 " (m.phone) }
                    }
                    p.text { (m.text) }
                    @if let Some(photo) = &m.photo { (super::upload::links(std::slice::from_ref(photo))) }
                    @match (&m.answer, by) {
                        (Some(a), Some(by)) => p { strong { (by) "答复：" } (a.text) span.hint { "（" (when(a.at_ms)) "）" } },
                        _ => {
                            form method="post" action=(format!("/console/studio-messages/{}/answer", m.id)) enctype="multipart/form-data" {
                                input type="hidden" name="csrf" value=(user.csrf);
                                input type="hidden" name="_form" value=(super::session::new_form_id());
                                div.field {
                                    label for=(format!("a-{}", m.id)) { "答复" }
                                    textarea id=(format!("a-{}", m.id)) name="answer" rows="3" maxlength="2000" required {}
                                }
                                button type="submit" { "答复" }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="edit-h" {
            h2 #edit-h { "修改工作室" }
            (studio_form(&user, &back, Some(&s), &members, None))
        }
    };
    page(&s.name, Some(&user), body).into_response()
}

/// `POST /console/studios/{id}`: the studio changed.
pub async fn update_studio(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let back = format!("/console/studios/{id}");
    let f = match Posted::checked(form, &user).await {
        Ok(f) => f,
        Err(r) => return r.page(&user, &back),
    };
    let read = app.store.read(|c| {
        let Some(s) = staff_studio(c, &user, &id)? else { return Ok(None) };
        Ok::<_, lvzhi_store::Error>(Some((org::members_of(c, &s.org_id)?, s)))
    });
    let (members, s) = match read {
        Ok(Some(r)) => r,
        Ok(None) => {
            return Refused::new(StatusCode::NOT_FOUND, "没有找到该委员工作室，或您无权修改").page(&user, &back);
        }
        Err(e) => return html::failed(&user, e),
    };
    let Some(acting) = staff_role(&user, &s.org_id) else {
        return forbidden(&user, "只有本组织的工作人员可以修改委员工作室");
    };
    let draft = match studio_draft(&f, &members) {
        Ok(d) => d,
        Err(r) => return r.page(&user, &back),
    };
    let mutation = MutationKind::SaveStudio { studio_id: id.clone(), draft };
    let form_id = f.get("_form").unwrap_or_default();
    act::push_then(&app, &user, acting, form_id, mutation, &format!("{back}?done=saved"), &back).await
}

/// `POST /console/studio-messages/{id}/answer`: staff answer a message.
pub async fn answer_message(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let f = match Posted::checked(form, &user).await {
        Ok(f) => f,
        Err(r) => return r.page(&user, "/console/studios"),
    };
    let message = match app.store.read(|c| repo::message(c, &id)) {
        Ok(m) => m,
        Err(e) => return html::failed(&user, e),
    };
    let Some((m, acting)) = message.and_then(|m| staff_role(&user, &m.org_id).map(|a| (m, a))) else {
        return Refused::new(StatusCode::NOT_FOUND, "没有找到该留言，或您无权答复").page(&user, "/console/studios");
    };
    let back = format!("/console/studios/{}", m.studio_id);
    let mutation =
        MutationKind::AnswerStudioMessage { message_id: id, answer: f.get("answer").unwrap_or_default().to_string() };
    let form_id = f.get("_form").unwrap_or_default();
    act::push_then(&app, &user, acting, form_id, mutation, &format!("{back}?done=answered"), &back).await
}

/// `GET /console/studios/{id}/poster`: the studio's public page as a QR code, to print.
pub async fn poster(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let s = match app.store.read(|c| staff_studio(c, &user, &id)) {
        Ok(Some(s)) => s,
        Ok(None) => return Refused::new(StatusCode::NOT_FOUND, "没有找到该委员工作室").page(&user, "/console/studios"),
        Err(e) => return html::failed(&user, e),
    };
    let url = crate::studio::public_url(&app, &headers, &s.id);
    let Some(svg) = lvzhi_media::qr::qr_svg(&url, 480) else {
        return crate::error::ApiError::internal("地址过长，无法生成二维码").into_response();
    };
    let body = html! {
        div.poster {
            p.poster-title { (s.name) }
            p { (s.place) @if !s.opening_hours.is_empty() { "　" (s.opening_hours) } }
            div.poster-qr role="img" aria-label="工作室留言二维码" { (html::trusted_svg(svg)) }
            p { "扫码给政协委员留言，凭查询码查看答复" }
            p.hint { (url) }
            button.print type="button" data-print="1" { "打印" }
        }
    };
    page("工作室海报", Some(&user), body).into_response()
}

// --- 委员档案 --------------------------------------------------------------------------------

/// `GET /console/member-files`: corrections waiting, then every member's file with a form to keep it.
pub async fn files(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<html::Done>) -> Response {
    let orgs = user.staff_orgs();
    if orgs.is_empty() {
        return forbidden(&user, "只有政协机关工作人员可以维护委员档案");
    }
    let read = app.store.read(|c| {
        let mut waiting = Vec::new();
        let mut files = Vec::new();
        for o in &orgs {
            for corr in member_file::corrections_of_org(c, o, true)? {
                let current = member_file::file(c, &corr.person_id)?;
                waiting.push((org::person_name(c, &corr.person_id)?, current, corr));
            }
            for (id, name) in org::members_of(c, o)? {
                files.push((id.clone(), name, member_file::file(c, &id)?));
            }
        }
        Ok::<_, lvzhi_store::Error>((waiting, files))
    });
    let (waiting, files) = match read {
        Ok(r) => r,
        Err(e) => return html::failed(&user, e),
    };
    let body = html! {
        (q.banner(&[("kept", "已保存委员档案"), ("approved", "已同意更正"), ("returned", "已退回更正申请")]))
        section aria-labelledby="wait-h" {
            h2 #wait-h { "待审核的更正申请" }
            @if waiting.is_empty() { p.empty { "没有待审核的更正申请。" } }
            @for (name, current, corr) in &waiting {
                article.correction {
                    h3 { (name) span.hint { "　" (when(corr.asked_at_ms)) } }
                    @if !corr.note.is_empty() { p { "说明：" (corr.note) } }
                    (changes_table(current.as_ref(), &corr.proposed))
                    form method="post" action=(format!("/console/corrections/{}", corr.id)) enctype="multipart/form-data" {
                        input type="hidden" name="csrf" value=(user.csrf);
                        input type="hidden" name="_form" value=(super::session::new_form_id());
                        div.field {
                            label for=(format!("r-{}", corr.id)) { "退回理由" span.hint { "（退回时必填）" } }
                            input type="text" id=(format!("r-{}", corr.id)) name="reason" maxlength="200";
                        }
                        button type="submit" name="decision" value="approve" { "同意更正" }
                        " "
                        button.secondary type="submit" name="decision" value="return" { "退回" }
                    }
                }
            }
        }
        section aria-labelledby="files-h" {
            h2 #files-h { "委员档案" }
            @for (id, name, file) in &files {
                details.action {
                    summary { (name) @if let Some(f) = file { span.hint { "　" (f.fields.employer_title) "　第" (f.version) "版" } } @else { span.hint { "　尚未建档" } } }
                    (file_form(&user, id, file.as_ref()))
                }
            }
        }
    };
    page("委员档案", Some(&user), body).into_response()
}

fn changes_table(current: Option<&MemberFile>, proposed: &FileFields) -> Markup {
    let now = current.map(|f| f.fields.clone()).unwrap_or_default();
    let rows = [
        (
            "性别",
            now.gender.map(|g| g.label()).unwrap_or_default().to_string(),
            proposed.gender.map(|g| g.label()).unwrap_or_default().to_string(),
        ),
        ("民族", now.ethnicity.clone(), proposed.ethnicity.clone()),
        ("党派", now.party.clone(), proposed.party.clone()),
        ("工作单位及职务", now.employer_title.clone(), proposed.employer_title.clone()),
        ("届次", now.term.clone(), proposed.term.clone()),
        ("联系电话", now.phone.clone(), proposed.phone.clone()),
    ];
    html! {
        table {
            thead { tr { th scope="col" { "项目" } th scope="col" { "现档案" } th scope="col" { "申请更正为" } } }
            tbody {
                @for (label, a, b) in &rows {
                    @if a != b { tr { th scope="row" { (label) } td { (a) } td { strong { (b) } } } }
                }
            }
        }
    }
}

fn file_form(user: &ConsoleUser, person_id: &str, file: Option<&MemberFile>) -> Markup {
    let f = file.map(|f| f.fields.clone()).unwrap_or_default();
    let field = |key: &str, label: &str, value: &str, max: u32| {
        let id = format!("{key}-{person_id}");
        html! { div.field { label for=(id) { (label) } input type="text" id=(id) name=(key) maxlength=(max) value=(value); } }
    };
    html! {
        form method="post" action=(format!("/console/member-files/{person_id}")) enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(user.csrf);
            input type="hidden" name="_form" value=(super::session::new_form_id());
            div.field {
                label for=(format!("g-{person_id}")) { "性别" }
                select id=(format!("g-{person_id}")) name="gender" {
                    option value="" selected[f.gender.is_none()] { "未填" }
                    option value="male" selected[f.gender == Some(Gender::Male)] { "男" }
                    option value="female" selected[f.gender == Some(Gender::Female)] { "女" }
                }
            }
            (field("ethnicity", "民族", &f.ethnicity, 20))
            (field("party", "党派", &f.party, 20))
            (field("employer", "工作单位及职务", &f.employer_title, 100))
            (field("term", "届次", &f.term, 20))
            (field("phone", "联系电话", &f.phone, 20))
            button type="submit" { "保存档案" }
        }
    }
}

/// `POST /console/member-files/{person}`: staff keep a member's file.
pub async fn keep_file(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(person): Path<String>,
    form: Multipart,
) -> Response {
    let back = "/console/member-files";
    let f = match Posted::checked(form, &user).await {
        Ok(f) => f,
        Err(r) => return r.page(&user, back),
    };
    let org =
        user.staff_orgs().into_iter().find(|o| app.store.read(|c| org::is_member(c, &person, o)).unwrap_or(false));
    let Some(acting) = org.and_then(|o| staff_role(&user, &o)) else {
        return Refused::new(StatusCode::FORBIDDEN, "只能维护本组织委员的档案").page(&user, back);
    };
    let field = |k: &str| f.get(k).unwrap_or_default().trim().to_string();
    let gender = match field("gender").as_str() {
        "male" => Some(Gender::Male),
        "female" => Some(Gender::Female),
        _ => None,
    };
    let fields = FileFields {
        gender,
        ethnicity: field("ethnicity"),
        party: field("party"),
        employer_title: field("employer"),
        term: field("term"),
        phone: field("phone"),
    };
    let mutation = MutationKind::KeepMemberFile { person_id: person, fields };
    let form_id = f.get("_form").unwrap_or_default();
    act::push_then(&app, &user, acting, form_id, mutation, &format!("{back}?done=kept"), back).await
}

/// `POST /console/corrections/{id}`: approve or return a correction.
pub async fn decide_correction(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let back = "/console/member-files";
    let f = match Posted::checked(form, &user).await {
        Ok(f) => f,
        Err(r) => return r.page(&user, back),
    };
    let corr = match app.store.read(|c| member_file::correction(c, &id)) {
        Ok(c) => c,
        Err(e) => return html::failed(&user, e),
    };
    let Some(acting) = corr.and_then(|c| staff_role(&user, &c.org_id)) else {
        return Refused::new(StatusCode::NOT_FOUND, "没有找到该更正申请，或您无权处理").page(&user, back);
    };
    let approve = f.get("decision") == Some("approve");
    let reason = f.get("reason").unwrap_or_default().to_string();
    let mutation = MutationKind::DecideFileCorrection { correction_id: id, approve, reason };
    let done = if approve { "approved" } else { "returned" };
    let form_id = f.get("_form").unwrap_or_default();
    act::push_then(&app, &user, acting, form_id, mutation, &format!("{back}?done={done}"), back).await
}

// --- 界别召集人 ------------------------------------------------------------------------------

/// `GET /console/sectors`: administrators name each sector's conveners.
pub async fn sectors(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<html::Done>) -> Response {
    let orgs = user.admin_orgs();
    if orgs.is_empty() {
        return forbidden(&user, "只有组织管理员可以设置界别召集人");
    }
    let read = app.store.read(|c| {
        let mut rows = Vec::new();
        for o in &orgs {
            for g in org::member_groups(c, o)?.into_iter().filter(|g| g.kind == MemberGroupKind::Sector) {
                let conveners = crate::liaison::conveners_of(c, &g.id)?;
                let members: Vec<(String, String)> = org::group_members(c, &g.id)?
                    .into_iter()
                    .map(|p| Ok((org::person_name(c, &p)?, p)))
                    .collect::<lvzhi_store::Result<_>>()?;
                rows.push((g, conveners, members));
            }
        }
        Ok::<_, lvzhi_store::Error>(rows)
    });
    let rows = match read {
        Ok(r) => r,
        Err(e) => return html::failed(&user, e),
    };
    let body = html! {
        (q.banner(&[("saved", "已更新界别召集人")]))
        p { "界别召集人可在手机上查看本界别委员联系群众的情况（按组织和月份统计，不列个人）。" }
        @if rows.is_empty() { p.empty { "本组织还没有界别。" } }
        @for (g, conveners, members) in &rows {
            article {
                h2 { (g.name) }
                form method="post" action="/console/sectors" enctype="multipart/form-data" {
                    input type="hidden" name="csrf" value=(user.csrf);
                    input type="hidden" name="group" value=(g.id);
                    fieldset {
                        legend { "召集人" }
                        @if members.is_empty() { p.empty { "该界别还没有委员。" } }
                        @for (name, id) in members {
                            div.check {
                                input type="checkbox" name="conveners" value=(id) id=(format!("c-{}-{id}", g.id)) checked[conveners.contains(id)];
                                label for=(format!("c-{}-{id}", g.id)) { (name) }
                            }
                        }
                    }
                    button type="submit" { "保存" }
                }
            }
        }
    };
    page("界别召集人", Some(&user), body).into_response()
}

/// `POST /console/sectors`: a sector's conveners, as ticked.
pub async fn set_conveners(State(app): State<Arc<AppState>>, user: ConsoleUser, form: Multipart) -> Response {
    let back = "/console/sectors";
    let f = match Posted::checked(form, &user).await {
        Ok(f) => f,
        Err(r) => return r.page(&user, back),
    };
    let group_id = f.get("group").unwrap_or_default().to_string();
    let chosen = f.all("conveners");
    let now = (app.clock)();
    let admin_orgs = user.admin_orgs();
    let written = crate::fanout::write_reference(&app, false, |tx| {
        let Some(g) = org::member_group(tx, &group_id)?.filter(|g| admin_orgs.contains(&g.org_id)) else {
            return Ok(false);
        };
        crate::liaison::set_conveners(tx, &group_id, &chosen)?;
        let who = crate::audit::Who { person: Some(&user.person_id), org: Some(&g.org_id), address: None };
        crate::audit::record(tx, now, crate::audit::Event::ConsoleAction, who, &format!("设置{}召集人", g.name))?;
        Ok(true)
    });
    match written {
        Ok(true) => Redirect::to(&format!("{back}?done=saved")).into_response(),
        Ok(false) => Refused::new(StatusCode::FORBIDDEN, "只能设置本组织的界别召集人").page(&user, back),
        Err(e) => Refused::from(e).page(&user, back),
    }
}
