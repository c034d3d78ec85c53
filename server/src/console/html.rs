//! The console's page frame and the pieces every page uses: the layout with its menu, the
//! rendering of the core's action forms as HTML forms, messages, dates. HTML is built with
//! maud's compiled templates, which escape every value by default.

use lvzhi_domain::actions::{ActionForm, Item};
use lvzhi_domain::form::{Input, InputKind};
use lvzhi_domain::time::{cst, from_millis};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::session::ConsoleUser;

/// One page: its title (also the `<h1>`), the signed-in person (none on the login pages), and
/// its body.
pub fn page(title: &str, user: Option<&ConsoleUser>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · 政协工作台" }
                link rel="stylesheet" href="/console/assets/console.css";
                script src="/console/assets/console.js" defer {}
            }
            body {
                a.skip href="#main" { "跳到正文" }
                header.top {
                    span.brand { "履职 · 政协工作台" }
                    @if let Some(u) = user {
                        span.who { (u.name) }
                        form.inline method="post" action="/console/logout" {
                            input type="hidden" name="csrf" value=(u.csrf);
                            button.link type="submit" { "退出登录" }
                        }
                    }
                }
                div.frame {
                    @if let Some(u) = user { (menu(u)) }
                    main #main {
                        h1 { (title) }
                        (body)
                    }
                }
            }
        }
    }
}

/// The menu: only what this person's roles may open.
fn menu(u: &ConsoleUser) -> Markup {
    let staff = !u.staff_orgs().is_empty();
    let unit = !u.units().is_empty();
    let admin = !u.admin_orgs().is_empty();
    html! {
        nav.menu aria-label="主菜单" {
            ul {
                li { a href="/console" { "工作台" } }
                @if staff || unit { li { a href="/console/proposals" { "提案" } } }
                @if staff {
                    li { a href="/console/reports" { "社情民意" } }
                    li { a href="/console/notices" { "通知" } }
                    li { a href="/console/topics" { "网络议政" } }
                    li { a href="/console/meetings" { "会议活动" } }
                    li { a href="/console/consultations" { "协商在基层" } }
                    li { a href="/console/materials" { "学习资料" } }
                    li { a href="/console/news" { "信息发布" } }
                    li { a href="/console/groups" { "学习交流群" } }
                    li { a href="/console/record" { "履职档案" } }
                    li { a href="/console/member-files" { "委员档案" } }
                    li { a href="/console/studios" { "委员工作室" } }
                    li { a href="/console/overview" { "统计概览" } }
                }
                @if admin {
                    li { a href="/console/accounts" { "账号管理" } }
                    li { a href="/console/feedback" { "意见建议" } }
                    li { a href="/console/sectors" { "界别召集人" } }
                    li { a href="/console/admin" { "组织管理" } }
                }
            }
        }
    }
}

/// A message above a page's content: done (green) or refused (red, with the reason).
pub fn banner(ok: bool, text: &str) -> Markup {
    html! {
        @if ok {
            div.banner.ok role="status" { (text) }
        } @else {
            div.banner.error role="alert" { (text) }
        }
    }
}

/// `?done=…` after a form: which action was just taken, to say so above the page.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Done {
    #[serde(default)]
    pub done: Option<String>,
}

impl Done {
    /// What to say: the page's own words for its own forms (`own`: code → text), else
    /// 「已办理：…」 with the action's label.
    pub fn text(&self, own: &[(&str, &str)]) -> Option<String> {
        let code = self.done.as_deref()?;
        if let Some((_, text)) = own.iter().find(|(c, _)| *c == code) {
            return Some(text.to_string());
        }
        lvzhi_domain::actions::ActionKind::from_code(code)
            .map(|k| format!("已办理：{}", lvzhi_domain::actions::describe(k).label))
    }

    /// The banner for it, if anything was done.
    pub fn banner(&self, own: &[(&str, &str)]) -> Markup {
        html! { @if let Some(text) = self.text(own) { (banner(true, &text)) } }
    }
}

/// A page saying why something could not be done, with the way back.
pub fn refusal(user: Option<&ConsoleUser>, reason: &str, back: &str) -> Markup {
    page(
        "未能办理",
        user,
        html! {
            (banner(false, reason))
            p { a href=(back) { "返回" } }
        },
    )
}

/// A page's read: the item, or the page to answer with — "not found" (the same answer whether
/// it does not exist or is not this person's to see) or the read's failure.
pub fn found<T>(
    user: &ConsoleUser,
    read: lvzhi_store::Result<Option<T>>,
    what: &str,
    back: &str,
) -> Result<T, Box<axum::response::Response>> {
    use axum::response::IntoResponse;
    match read {
        Ok(Some(x)) => Ok(x),
        Ok(None) => {
            let reason = format!("没有找到该{what}，或您无权查看");
            Err(Box::new((axum::http::StatusCode::NOT_FOUND, refusal(Some(user), &reason, back)).into_response()))
        }
        Err(e) => Err(Box::new(failed(user, e))),
    }
}

/// The page for a read that failed (the store's error as the API words it).
pub fn failed(user: &ConsoleUser, e: lvzhi_store::Error) -> axum::response::Response {
    use axum::response::IntoResponse;
    let e = crate::error::ApiError::from(e);
    (e.status, refusal(Some(user), &e.message, "/console")).into_response()
}

/// The choice of organisation a new item belongs to (`names`: the person's staff organisations).
pub fn org_select(names: &[(String, String)], id: &str, label: &str) -> Markup {
    html! {
        div.field {
            label for=(id) { (label) }
            select id=(id) name="org" required { @for (o, name) in names { option value=(o) { (name) } } }
        }
    }
}

/// People an action may name (a member found by name): id and name.
pub type People<'a> = &'a [(String, String)];

/// One of the core's action forms as an HTML form posting to `/console/act`. `back` is where
/// the person returns afterwards; `people` the choices of a person input.
pub fn action_form(u: &ConsoleUser, item: Item, id: &str, form: &ActionForm, back: &str, people: People) -> Markup {
    let code = form.action.code();
    html! {
        details.action {
            summary { (form.label) }
            form method="post" action="/console/act" enctype=[form.action.takes_files().then_some("multipart/form-data")] {
                input type="hidden" name="csrf" value=(u.csrf);
                input type="hidden" name="_item" value=(item_code(item));
                input type="hidden" name="_id" value=(id);
                input type="hidden" name="_action" value=(code);
                // One id per rendered form: submitting it twice applies it once.
                input type="hidden" name="_form" value=(super::session::new_form_id());
                input type="hidden" name="_back" value=(back);
                @for input in &form.inputs {
                    (field(&code, input, people))
                }
                @if form.action.takes_files() {
                    div.field {
                        label for=(format!("{code}-files")) { "附件" span.hint { "（选填：答复函等 PDF、Word 或图片）" } }
                        input id=(format!("{code}-files")) type="file" name="files" multiple accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.txt";
                    }
                }
                button type="submit" { (form.label) }
            }
        }
    }
}

fn field(form_code: &str, input: &Input, people: People) -> Markup {
    let id = format!("{form_code}-{}", input.key);
    let required = input.required;
    let label = html! {
        (input.label)
        @if !required { span.hint { "（选填）" } }
    };
    html! {
        div.field {
            @match &input.kind {
                InputKind::Text { max_chars, multiline: true } => {
                    label for=(id) { (label) }
                    textarea id=(id) name=(input.key) maxlength=(max_chars) rows="4" required[required] {}
                }
                InputKind::Text { max_chars, multiline: false } => {
                    label for=(id) { (label) }
                    input id=(id) type="text" name=(input.key) maxlength=(max_chars) required[required];
                }
                InputKind::Choice { options, many: true } => {
                    fieldset {
                        legend { (label) }
                        @for (i, o) in options.iter().enumerate() {
                            div.check {
                                input id=(format!("{id}-{i}")) type="checkbox" name=(input.key) value=(o.value);
                                label for=(format!("{id}-{i}")) { (o.label) }
                            }
                        }
                    }
                }
                InputKind::Choice { options, many: false } => {
                    label for=(id) { (label) }
                    select id=(id) name=(input.key) required[required] {
                        option value="" { "请选择" }
                        @for o in options { option value=(o.value) { (o.label) } }
                    }
                }
                InputKind::Person { exclude } => {
                    label for=(id) { (label) }
                    select id=(id) name=(input.key) required[required] {
                        option value="" { "请选择" }
                        @for (pid, name) in people.iter().filter(|(p, _)| !exclude.contains(p)) {
                            option value=(pid) { (name) }
                        }
                    }
                }
                InputKind::Date => {
                    label for=(id) { (label) }
                    input id=(id) type="date" name=(input.key) required[required];
                }
                InputKind::Number { min, max } => {
                    label for=(id) { (label) }
                    input id=(id) type="number" name=(input.key) min=(min) max=(max) required[required];
                }
            }
        }
    }
}

/// The name an item kind travels under in a console form.
pub fn item_code(item: Item) -> &'static str {
    match item {
        Item::Proposal => "proposal",
        Item::Notice => "notice",
        Item::Meeting => "meeting",
        Item::Report => "report",
        Item::Topic => "topic",
        Item::Post => "post",
        Item::DutyEntry => "entry",
        Item::Feedback => "feedback",
        Item::Material => "material",
        Item::News => "news",
        Item::Message => "message",
    }
}

/// A time as office staff read it: 2026-12-07 14:05 (China Standard Time).
pub fn when(ms: i64) -> String {
    from_millis(ms).with_timezone(&cst()).format("%Y-%m-%d %H:%M").to_string()
}

/// A day: 2026-12-07.
pub fn day(ms: i64) -> String {
    from_millis(ms).with_timezone(&cst()).format("%Y-%m-%d").to_string()
}

/// Text with its line breaks kept (escaped first).
pub fn paragraphs(text: &str) -> Markup {
    html! {
        @for line in text.lines() {
            @if line.trim().is_empty() { br; } @else { p { (line) } }
        }
    }
}

/// Raw SVG made by our own code (the QR code), never by a user.
pub fn trusted_svg(svg: String) -> Markup {
    PreEscaped(svg)
}
