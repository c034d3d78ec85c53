//! 履职档案 at the console, for staff: the organisation's members by name with their year's
//! totals (a filter keeps those under the yearly threshold, for a talk — never a ranking), one
//! member's record to read or print (never their study), speeches recorded, self-reports
//! waiting for 认定 (the same forms as the phone's), and the point rules with their versions.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, TimeZone};
use lvzhi_domain::actions::{ActionKind, Item};
use lvzhi_domain::duty::record::{EntryKind, EntryStatus, RULE_KEYS, RecordReader, RuleTable, rule_label};
use lvzhi_domain::ids::new_id;
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::time::{cst, from_millis, to_millis};
use lvzhi_store::{duty, forms, org, record};
use maud::html;
use serde::Deserialize;

use super::act::{self, staff_role};
use super::html::{self, action_form, banner, day, page};
use super::refusal::Refused;
use super::session::ConsoleUser;
use crate::AppState;

#[derive(Debug, Deserialize, Default)]
pub struct RecordQuery {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    below: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

pub(super) fn this_year(app: &AppState) -> i32 {
    from_millis(to_millis((app.clock)())).with_timezone(&cst()).year()
}

/// The organisation asked for, if this person is its staff (their first one otherwise).
fn staff_org(user: &ConsoleUser, asked: Option<&str>) -> Option<String> {
    let orgs = user.staff_orgs();
    match asked {
        Some(o) => orgs.into_iter().find(|x| x == o),
        None => orgs.into_iter().next(),
    }
}

/// `GET /console/record`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<RecordQuery>) -> Response {
    let Some(org_id) = staff_org(&user, q.org.as_deref()) else {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有本组织的工作人员可以查看履职档案", "/console"))
            .into_response();
    };
    let year = q.year.filter(|y| (2000..=2199).contains(y)).unwrap_or_else(|| this_year(&app));
    let below = q.below.is_some();
    let read = app.store.read(|c| {
        let members = record::member_records(c, &org_id, year, below, to_millis((app.clock)()))?;
        let mut waiting = Vec::new();
        for e in duty::repo::entries_of_org(c, &org_id)?.into_iter().filter(|e| e.status == EntryStatus::Submitted) {
            let name = org::person_name(c, &e.person_id)?;
            waiting.push((name, e));
        }
        let people: Vec<(String, String)> = org::people_of(c, &org_id)?
            .into_iter()
            .filter(|(_, _, r)| *r == Role::Member)
            .map(|(id, name, _)| (id, name))
            .collect();
        Ok::<_, lvzhi_store::Error>((members, waiting, people))
    });
    let (members, waiting, people) = match read {
        Ok(x) => x,
        Err(e) => return html::failed(&user, e),
    };
    let decide = forms::offered([(true, ActionKind::SelfReportAccept), (true, ActionKind::SelfReportRefuse)]);
    let back = format!("/console/record?org={}&year={year}", super::url::encode(&org_id));
    let done = match q.done.as_deref() {
        Some("speech") => Some("发言已登记".to_string()),
        Some(code) => {
            ActionKind::from_code(code).map(|k| format!("已办理：{}", lvzhi_domain::actions::describe(k).label))
        }
        None => None,
    };
    let body = html! {
        @if let Some(text) = &done { (banner(true, text)) }
        p { (year) "年。委员按姓名排列；积分只用于了解履职情况，不作排名。" a href="/console/rules" { "积分规则" } "　" a href=(format!("/console/record.xlsx?org={}&year={year}", super::url::encode(&org_id))) { "导出 Excel" } }
        nav.filters aria-label="筛选" {
            a href=(back) aria-current=[(!below).then_some("page")] { "全部委员" }
            a href=(format!("{back}&below=1")) aria-current=[below.then_some("page")] { "低于年度最低分" }
        }
        table.list #members {
            thead { tr { th scope="col" { "姓名" } th scope="col" { "履职事项" } th scope="col" { "积分" } th scope="col" { "年度最低分" } th scope="col" { "情况" } } }
            tbody {
                @for m in &members {
                    tr {
                        td { a href=(format!("/console/record/{}?org={}&year={year}", m.person_id, super::url::encode(&org_id))) { (m.name) } }
                        td { (m.facts) }
                        td { (m.total) }
                        td { (m.threshold) }
                        td { @if m.below_threshold { "低于最低分" } @else { "—" } }
                    }
                }
            }
        }
        @if members.is_empty() { p.empty { "没有符合条件的委员。" } }
        section aria-labelledby="self-h" {
            h2 #self-h { "待审核的自主履职" }
            @if waiting.is_empty() { p.empty { "没有待审核的自主履职。" } }
            @for (name, e) in &waiting {
                div.entry {
                    p { strong { (name) } "：" (e.title) "（" (day(e.date_ms)) "）" }
                    @if !e.description.is_empty() { p { (e.description) } }
                    @for f in &decide { (action_form(&user, Item::DutyEntry, &e.id, f, &back, &[])) }
                }
            }
        }
        section aria-labelledby="speech-h" {
            h2 #speech-h { "登记发言" }
            form method="post" action="/console/record/speech" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="_form" value=(super::session::new_form_id());
                input type="hidden" name="org" value=(org_id);
                div.field {
                    label for="s-person" { "委员" }
                    select #s-person name="person" required { option value="" { "请选择" } @for (id, name) in &people { option value=(id) { (name) } } }
                }
                div.field {
                    label for="s-kind" { "类别" }
                    select #s-kind name="kind" required {
                        option value="plenary" { (EntryKind::PlenarySpeech.label()) }
                        option value="written" { (EntryKind::WrittenSpeech.label()) }
                    }
                }
                div.field { label for="s-title" { "发言题目" } input #s-title type="text" name="title" maxlength="100" required; }
                div.field { label for="s-date" { "日期" } input #s-date type="date" name="date" required; }
                button type="submit" { "登记" }
            }
        }
    };
    page("履职档案", Some(&user), body).into_response()
}

/// `GET /console/record/{person}`: one member's record, to read or print.
pub async fn member(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(person_id): Path<String>,
    Query(q): Query<RecordQuery>,
) -> Response {
    let year = q.year.filter(|y| (2000..=2199).contains(y)).unwrap_or_else(|| this_year(&app));
    let read = app.store.read(|c| {
        // Staff of the member's own organisation only; the study stays the member's.
        let Some(org_id) = org::roles_of(c, &person_id)?
            .into_iter()
            .filter(|g| g.role == Role::Member)
            .map(|g| g.org_id)
            .find(|o| user.is_staff_of(o) && q.org.as_deref().is_none_or(|a| a == o))
        else {
            return Ok(None);
        };
        let r = record::record_of(c, &person_id, &org_id, year, RecordReader::Others, to_millis((app.clock)()))?;
        let name = org::person_name(c, &person_id)?;
        let org_name = org::organisation_name(c, &org_id)?;
        Ok::<_, lvzhi_store::Error>(Some((r, name, org_name)))
    });
    let (r, name, org_name) = match html::found(&user, read, "委员的履职档案", "/console/record") {
        Ok(x) => x,
        Err(page) => return *page,
    };
    let body = html! {
        p { (name) "　" (org_name) "　" (year) "年" }
        p { "本年度履职积分 " strong { (r.total) } " 分（积分规则第" (r.rule_version) "版），年度最低分 " (r.threshold) " 分。" }
        h2 { "分类汇总" }
        table.list {
            thead { tr { th scope="col" { "履职事项" } th scope="col" { "次数" } th scope="col" { "积分" } } }
            tbody { @for k in &r.by_kind { tr { td { (k.label) } td { (k.count) } td { (k.points) } } } }
        }
        h2 { "履职明细" }
        table.list #record-lines {
            thead { tr { th scope="col" { "日期" } th scope="col" { "事项" } th scope="col" { "内容" } th scope="col" { "积分" } } }
            tbody { @for l in &r.lines { tr { td { (day(l.fact.at_ms)) } td { (l.label) } td { (l.fact.title) } td { (l.points) } } } }
        }
        @if r.lines.is_empty() { p.empty { "本年度暂无履职记录。" } }
        p { button.print type="button" data-print="1" { "打印年度履职报告" } }
    };
    page(&format!("{name}的履职档案"), Some(&user), body).into_response()
}

#[derive(Debug, Deserialize)]
pub struct SpeechForm {
    csrf: Option<String>,
    #[serde(rename = "_form")]
    form: String,
    org: String,
    person: String,
    kind: String,
    title: String,
    date: String,
}

/// `POST /console/record/speech`.
pub async fn speech(State(app): State<Arc<AppState>>, user: ConsoleUser, Form(f): Form<SpeechForm>) -> Response {
    let back = "/console/record";
    let refuse = |r: Refused| r.page(&user, back);
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(Refused::new(e.status, e.message));
    }
    let Some(acting) = staff_role(&user, &f.org) else {
        return refuse(Refused::new(StatusCode::FORBIDDEN, "只有本组织的工作人员可以登记发言"));
    };
    let kind = if f.kind == "written" { EntryKind::WrittenSpeech } else { EntryKind::PlenarySpeech };
    let Some(date_ms) = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .and_then(|t| cst().from_local_datetime(&t).single())
        .map(|t| t.timestamp_millis())
    else {
        return refuse(Refused::new(StatusCode::BAD_REQUEST, "日期请按 年-月-日 填写"));
    };
    let mutation =
        MutationKind::RecordSpeech { entry_id: new_id(), person_id: f.person, kind, title: f.title, date_ms };
    act::push_then(
        &app,
        &user,
        acting,
        &f.form,
        mutation,
        &format!("{back}?org={}&done=speech", super::url::encode(&f.org)),
        back,
    )
    .await
}

/// `GET /console/rules`: the organisation's point rules, and a form for the next version.
/// The kinds an organisation may set a yearly expectation for (facts of being in touch with
/// people; never a score).
const EXPECTABLE: [&str; 2] = ["contact_people", "studio_duty"];

pub async fn rules(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<RecordQuery>) -> Response {
    let Some(org_id) = staff_org(&user, q.org.as_deref()) else {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有本组织的工作人员可以管理积分规则", "/console"))
            .into_response();
    };
    let table = match app.store.read(|c| duty::repo::rules(c, &org_id)) {
        Ok(t) => t.without_study(),
        Err(e) => return html::failed(&user, e),
    };
    let body = html! {
        @if q.done.is_some() { (banner(true, &format!("积分规则已更新为第{}版，本年度的积分按新规则重新计算。", table.version))) }
        p { "现行第" (table.version) "版"
            @if table.updated_at_ms > 0 { "，" (day(table.updated_at_ms)) "修订" }
            "。学习不计积分：学习是委员自己的事，不作考核。" }
        form method="post" action="/console/rules" {
            input type="hidden" name="csrf" value=(user.csrf);
            input type="hidden" name="_form" value=(super::session::new_form_id());
            input type="hidden" name="org" value=(org_id);
            table.list {
                thead { tr { th scope="col" { "履职事项" } th scope="col" { "分值" } } }
                tbody {
                    @for (key, label) in RULE_KEYS {
                        tr {
                            td { label for=(format!("r-{key}")) { (label) } }
                            td { input id=(format!("r-{key}")) type="number" name=(key) min="-100" max="100" value=(table.points.get(key).copied().unwrap_or(0)); }
                        }
                    }
                }
            }
            div.field { label for="r-threshold" { "年度最低分" } input #r-threshold type="number" name="_threshold" min="0" max="1000" value=(table.yearly_threshold); }
            fieldset {
                legend { "年度要求" span.hint { "（与实际数字并列显示，不计分、不排名；留空为不设要求）" } }
                @for key in EXPECTABLE {
                    div.field {
                        label for=(format!("e-{key}")) { (rule_label(key)) }
                        input id=(format!("e-{key}")) type="number" name=(format!("_expect_{key}")) min="0" max="1000" value=[table.expectations.get(key)];
                    }
                }
            }
            div.check { input #r-split type="checkbox" name="_split" value="yes" checked[table.split_co_signed]; label for="r-split" { "联名提案的分值由联名人平分" } }
            button type="submit" { "保存为新版本" }
        }
    };
    page("积分规则", Some(&user), body).into_response()
}

/// `POST /console/rules`: the next version, decided by the rules' own checks.
pub async fn set_rules(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let back = "/console/rules";
    let refuse = |r: Refused| r.page(&user, back);
    if let Err(e) = user.check_csrf(get("csrf")) {
        return refuse(Refused::new(e.status, e.message));
    }
    let org_id = get("org").unwrap_or_default().to_string();
    let Some(acting) = staff_role(&user, &org_id) else {
        return refuse(Refused::new(StatusCode::FORBIDDEN, "只有本组织的工作人员可以管理积分规则"));
    };
    let number = |k: &str| get(k).and_then(|v| v.trim().parse::<i32>().ok());
    let mut table = RuleTable::defaults(&org_id);
    for (key, _) in RULE_KEYS {
        match number(key) {
            Some(v) => {
                table.points.insert(key.to_string(), v);
            }
            None => {
                return refuse(Refused::new(StatusCode::BAD_REQUEST, format!("请填写「{}」的分值", rule_label(key))));
            }
        }
    }
    table.yearly_threshold = number("_threshold").unwrap_or(table.yearly_threshold);
    table.split_co_signed = get("_split").is_some();
    table.expectations.clear();
    for key in EXPECTABLE {
        if let Some(v) = get(&format!("_expect_{key}")).and_then(|v| v.trim().parse::<u32>().ok()) {
            table.expectations.insert(key.to_string(), v);
        }
    }
    let form = get("_form").unwrap_or_default().to_string();
    act::push_then(
        &app,
        &user,
        acting,
        &form,
        MutationKind::SetDutyRules { rules: table },
        &format!("{back}?org={}&done=1", super::url::encode(&org_id)),
        back,
    )
    .await
}
