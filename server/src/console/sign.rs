//! Signing in and out at the console, and activating an account: a new person sets their own
//! password with the one-time code an administrator printed for them (no password is ever
//! mailed or shown twice). Both go through the same limits as the phones' login.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use lvzhi_domain::protocol::LoginRequest;
use maud::{Markup, html};
use serde::Deserialize;

use super::html::{banner, page};
use super::session::{self, ConsoleUser};
use crate::AppState;
use crate::audit::ClientAddr;
use crate::auth::{self, Authed};

#[derive(Debug, Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    expired: Option<String>,
}

/// Only pages of the console are gone back to after login.
fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with("/console") && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or("/console")
        .to_string()
}

fn login_form(next: &str, message: Option<(bool, &str)>) -> Markup {
    let body = html! {
        @if let Some((ok, text)) = message { (banner(ok, text)) }
        form.narrow method="post" action="/console/login" {
            input type="hidden" name="next" value=(next);
            div.field {
                label for="login" { "账号" }
                input #login type="text" name="login" autocomplete="username" required autofocus;
            }
            div.field {
                label for="password" { "密码" }
                input #password type="password" name="password" autocomplete="current-password" required;
            }
            button type="submit" { "登录" }
        }
        p { "第一次使用？" a href="/console/activate" { "用激活码设置密码" } }
    };
    page("登录政协工作台", None, body)
}

pub async fn login_page(Query(q): Query<LoginQuery>) -> Markup {
    let expired = q.expired.is_some().then_some((false, "登录已过期，请重新登录"));
    login_form(&safe_next(q.next.as_deref()), expired)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// A form posted from a page of another site is refused (login CSRF); browsers send `Origin`.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}

pub async fn login(
    State(app): State<Arc<AppState>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, login_form(&next, Some((false, "请从本站的登录页登录")))).into_response();
    }
    let req =
        LoginRequest { login: f.login.trim().to_string(), password: f.password, device_name: "网页工作台".into() };
    match auth::sign_in(&app, addr, req, session::LIFETIME).await {
        Ok(tokens) => {
            let cookie = session::set_cookie(&tokens.access_token, app.config.tls.is_some());
            ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
        }
        Err(e) => (e.status, login_form(&next, Some((false, &e.message)))).into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: Option<String>,
}

pub async fn logout(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    addr: ClientAddr,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return (e.status, super::html::refusal(Some(&user), &e.message, "/console")).into_response();
    }
    let who = Authed { person_id: user.person_id.clone(), session_id: user.session_id.clone() };
    if let Err(e) = auth::revoke(&app, &who, &user.session_id, addr, "退出工作台") {
        tracing::warn!("console logout: {}", e.message);
    }
    let cookie = session::set_cookie("", app.config.tls.is_some());
    ([(header::SET_COOKIE, cookie)], Redirect::to("/console/login")).into_response()
}

// --- 激活 --------------------------------------------------------------------------------

fn activate_form(message: Option<(bool, &str)>) -> Markup {
    let body = html! {
        @if let Some((ok, text)) = message { (banner(ok, text)) }
        p { "请输入管理员交给您的账号和激活码，并设置自己的密码（至少8位）。激活码只能使用一次。" }
        form.narrow method="post" action="/console/activate" {
            div.field {
                label for="login" { "账号" }
                input #login type="text" name="login" autocomplete="username" required;
            }
            div.field {
                label for="code" { "激活码" }
                input #code type="text" name="code" autocomplete="one-time-code" required;
            }
            div.field {
                label for="password" { "新密码" }
                input #password type="password" name="password" autocomplete="new-password" minlength="8" required;
            }
            div.field {
                label for="again" { "再次输入新密码" }
                input #again type="password" name="again" autocomplete="new-password" minlength="8" required;
            }
            button type="submit" { "激活账号" }
        }
    };
    page("激活账号", None, body)
}

pub async fn activate_page() -> Markup {
    activate_form(None)
}

#[derive(Debug, Deserialize)]
pub struct ActivateForm {
    login: String,
    code: String,
    password: String,
    again: String,
}

pub async fn activate(
    State(app): State<Arc<AppState>>,
    addr: ClientAddr,
    headers: HeaderMap,
    Form(f): Form<ActivateForm>,
) -> Response {
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, activate_form(Some((false, "请从本站的激活页激活")))).into_response();
    }
    if f.password != f.again {
        return (StatusCode::BAD_REQUEST, activate_form(Some((false, "两次输入的密码不一致")))).into_response();
    }
    match crate::accounts::activate(&app, addr, f.login.trim(), &f.code, &f.password).await {
        Ok(()) => page(
            "账号已激活",
            None,
            html! {
                (banner(true, "账号已激活。请用账号和新密码登录手机上的“履职”App 或本工作台。"))
                p { a href="/console/login" { "登录工作台" } }
            },
        )
        .into_response(),
        Err(e) => (e.status, activate_form(Some((false, &e.message)))).into_response(),
    }
}
