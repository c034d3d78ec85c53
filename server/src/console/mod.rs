//! 政协工作台: the web console for committee staff, handling units and administrators, served
//! by the server itself under `/console` (same port, same TLS; nothing else to start).
//!
//! Pages are rendered on the server from compiled templates (maud) with our own stylesheet and
//! one small script of our own, both served from here (the network may be a government
//! intranet: no CDN). Every action is one of the core's described actions, rendered as a form
//! ([`html::action_form`]) and decided by the same writer and rules as a phone's ([`act`]).
//!
//! - [`session`]: the browser's session (cookie, idle timeout, CSRF token);
//! - [`sign`]: login, logout, and activating an account with its one-time code;
//! - [`proposals`]: staff's and handling units' proposals; [`reports`]: 社情民意 with 编发 marked;
//!   [`topics`]: 网络议政; [`study`]: 学习资料 and 信息发布;
//!   [`groups`]: study groups, reading plans and 导读; [`consultations`]: 协商在基层 and its consensus followed up; [`notices`]: notices and their
//!   follow-up by name, updated live; [`meetings`]: meetings, roster and the check-in QR code;
//! - [`admin`]: settings, sessions (届次), the audit log and backup status;
//! - [`accounts`]: administrators add people (one, or a list from `.xlsx`/CSV), reset, disable;
//! - [`record`]: 履职档案 by name, speeches, self-reports, point rules; [`feedback`]: 意见建议;
//! - [`overview`]: counts down the tree by organisation and month, organisations only;
//! - [`export`]: lists as `.xlsx` (proposals, a notice's follow-up, records, the overview);
//! - [`live`]: server-sent events from the change feed, for pages that update themselves.

pub mod accounts;
pub mod act;
mod admin;
mod assets;
mod consultations;
mod export;
mod feedback;
mod groups;
pub mod html;
mod liaison;
mod live;
mod meetings;
mod notices;
mod overview;
mod proposal_stats;
mod proposals;
mod record;
mod refusal;
mod reports;
pub mod session;
mod sign;
mod study;
mod topics;
pub(crate) mod upload;
mod url;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use maud::html;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use session::ConsoleUser;

/// Largest upload at the console (an account list).
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;

pub fn routes() -> Router<Arc<AppState>> {
    let headers = tower::ServiceBuilder::new()
        // Nothing from elsewhere: no CDN, no inline script, no framing by another site.
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    Router::new()
        .route("/console", get(home))
        .route("/console/", get(|| async { Redirect::permanent("/console") }))
        .route("/console/login", get(sign::login_page).post(sign::login))
        .route("/console/logout", post(sign::logout))
        .route("/console/activate", get(sign::activate_page).post(sign::activate))
        .route("/console/act", post(act::act))
        .route("/console/proposals", get(proposals::list))
        .route("/console/proposals.xlsx", get(export::proposals))
        .route("/console/proposals/stats", get(proposal_stats::page_handler))
        .route("/console/notices/{id}/followup.xlsx", get(export::followup))
        .route("/console/record.xlsx", get(export::records))
        .route("/console/overview.xlsx", get(export::overview))
        .route("/console/proposals/{id}", get(proposals::detail))
        .route("/console/notices", get(notices::list).post(notices::create))
        .route("/console/notices/{id}", get(notices::detail))
        .route("/console/notices/{id}/correct", post(notices::correct))
        .route("/console/meetings", get(meetings::list).post(meetings::create))
        .route("/console/meetings/{id}", get(meetings::detail))
        .route("/console/meetings/{id}/qr.svg", get(meetings::qr))
        .route("/console/meetings/{id}/poster", get(meetings::poster))
        .route("/console/meetings/{id}/documents", post(meetings::add_document))
        .route("/console/accounts", get(accounts::list).post(accounts::create))
        .route("/console/accounts/import", post(accounts::import))
        .route("/console/accounts/import/confirm", post(accounts::confirm_import))
        .route("/console/accounts/{id}", post(accounts::change))
        .route("/console/accounts/{id}/roles", post(accounts::roles))
        .route("/console/reports", get(reports::list))
        .route("/console/reports/stats", get(reports::stats))
        .route("/console/reports/{id}", get(reports::detail))
        .route("/console/reports/{id}/edit", post(reports::edit))
        .route("/console/topics", get(topics::list).post(topics::create))
        .route("/console/topics/{id}", get(topics::detail))
        .route("/console/materials", get(study::materials).post(study::publish_material))
        .route("/console/news", get(study::news).post(study::publish_news))
        .route("/console/consultations", get(consultations::list))
        .route("/console/consultations/{id}", get(consultations::detail))
        .route("/console/consultations/{id}/points/{point}", post(consultations::follow_up))
        .route("/console/groups", get(groups::list).post(groups::create))
        .route("/console/groups/{id}", get(groups::detail))
        .route("/console/groups/{id}/plan", post(groups::set_plan))
        .route("/console/record", get(record::list))
        .route("/console/record/speech", post(record::speech))
        .route("/console/record/{person}", get(record::member))
        .route("/console/rules", get(record::rules).post(record::set_rules))
        .route("/console/feedback", get(feedback::list))
        .route("/console/studios", get(liaison::studios).post(liaison::create_studio))
        .route("/console/studios/{id}", get(liaison::studio).post(liaison::update_studio))
        .route("/console/studios/{id}/poster", get(liaison::poster))
        .route("/console/studio-messages/{id}/answer", post(liaison::answer_message))
        .route("/console/member-files", get(liaison::files))
        .route("/console/member-files/{person}", post(liaison::keep_file))
        .route("/console/corrections/{id}", post(liaison::decide_correction))
        .route("/console/sectors", get(liaison::sectors).post(liaison::set_conveners))
        .route("/console/admin", get(admin::page_handler))
        .route("/console/admin/settings", post(admin::settings))
        .route("/console/admin/sessions", post(admin::add_session))
        .route("/console/overview", get(overview::page_handler))
        .route("/console/live", get(live::events))
        .route("/console/assets/{name}", get(assets::serve))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .layer(headers)
}

/// The console's file downloads: outside the pages' compression (files are served by range, as
/// they are stored), with the same headers.
pub fn file_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/console/files/{hash}", get(upload::download))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
}

/// `GET /console`: what this person can do here, by role.
async fn home(user: ConsoleUser) -> impl IntoResponse {
    let staff = user.staff_orgs();
    let units = user.units();
    let admin = user.admin_orgs();
    let body = html! {
        @if !user.works_here() {
            p { "政协工作台供政协机关工作人员、承办单位和管理员使用。委员请使用手机上的“履职”App。" }
        }
        ul.cards {
            @if !staff.is_empty() {
                li { a href="/console/proposals" { "提案" } p { "立案审查、交办、审定答复、办结" } }
                li { a href="/console/reports" { "社情民意" } p { "受理、编发、报送上级、批示、反馈" } }
                li { a href="/console/notices" { "通知" } p { "已发通知和回执跟进" } }
                li { a href="/console/topics" { "网络议政" } p { "发起议题、管理意见、发布综述" } }
                li { a href="/console/meetings" { "会议活动" } p { "名单、请假审批、签到二维码" } }
                li { a href="/console/consultations" { "协商在基层" } p { "协商记录和共识落实情况" } }
                li { a href="/console/materials" { "学习资料" } p { "发布和撤回学习资料" } }
                li { a href="/console/news" { "信息发布" } p { "要闻和工作动态，可带封面照片" } }
                li { a href="/console/groups" { "学习交流群" } p { "建群、读书计划、导读" } }
                li { a href="/console/record" { "履职档案" } p { "委员履职情况、发言登记、自主履职审核、积分规则" } }
                li { a href="/console/overview" { "统计概览" } p { "按组织和月份的工作量" } }
            }
            @if !units.is_empty() {
                li { a href="/console/proposals" { "交办给本单位的提案" } p { "联系提案人、答复、退回交办" } }
            }
            @if !admin.is_empty() {
                li { a href="/console/accounts" { "账号管理" } p { "新建、批量导入、重置、停用" } }
                li { a href="/console/feedback" { "意见建议" } p { "查看并答复" } }
                li { a href="/console/admin" { "组织管理" } p { "组织设置、会议届次、审计日志、数据备份" } }
            }
        }
    };
    html::page("工作台", Some(&user), body)
}
