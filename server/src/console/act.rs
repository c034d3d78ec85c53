//! Taking an action from the console: the posted values are read against the same form the
//! page offered (the core's description with the item's options), the command becomes the
//! mutation the phones would send, and the server's one writer decides it with the same rules
//! (`mutation::apply`), so a refusal reads exactly as on a phone.
//!
//! Each rendered form carries an id of its own, which is the client id its one mutation is
//! pushed under: a form submitted twice (a double click, a reload) is a replay and applies once,
//! and two forms of one browser never compete for mutation numbers.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lvzhi_domain::actions::{self, ActionForm, ActionKind, Circumstances, Command, Item};
use lvzhi_domain::duty::meeting::LeaveDecision;
use lvzhi_domain::form::{ChoiceOption, FormValue};
use lvzhi_domain::org::{Actor, RoleGrant};
use lvzhi_domain::proposal::RefusalKind;
use lvzhi_domain::protocol::{ActingAs, Mutation, MutationKind, MutationOutcome};
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_domain::visibility;
use lvzhi_sql::Connection;
use lvzhi_store::{consult, duty, forms, org, proposal, study};

use super::html;
use super::refusal::Refused;
use super::session::ConsoleUser;
use super::upload::{AnyForm, Posted};
use crate::AppState;
use crate::audit::{self, Event, Who};

/// `POST /console/act`: one action on one item.
pub async fn act(State(app): State<Arc<AppState>>, user: ConsoleUser, AnyForm(posted): AnyForm) -> Response {
    let fields = &posted.fields;
    let get = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    let back = get("_back").filter(|b| b.starts_with("/console") && !b.starts_with("//")).unwrap_or("/console");
    let back = back.to_string();
    if let Err(e) = user.check_csrf(get("csrf")) {
        return (e.status, html::refusal(Some(&user), &e.message, &back)).into_response();
    }
    let (Some(kind), Some(id), Some(form_id)) =
        (get("_action").and_then(ActionKind::from_code), get("_id"), get("_form").filter(|f| is_form_id(f)))
    else {
        return (StatusCode::BAD_REQUEST, html::refusal(Some(&user), "表单不完整，请返回页面刷新后再提交", &back))
            .into_response();
    };
    let values: Vec<FormValue> =
        fields.iter().filter(|(k, _)| !k.starts_with('_') && k != "csrf").map(|(k, v)| FormValue::new(k, v)).collect();
    // Files come only with an action that takes them, stored before the mutation refers to them.
    let attachments = if posted.files.is_empty() {
        Vec::new()
    } else if !kind.takes_files() {
        return (StatusCode::BAD_REQUEST, html::refusal(Some(&user), "此项办理不能附加文件", &back)).into_response();
    } else {
        match posted.store_files(&app, &user).await {
            Ok(a) => a,
            Err(r) => return (r.status, html::refusal(Some(&user), &r.reason, &back)).into_response(),
        }
    };
    match take(&app, &user, kind, id, form_id, &values, attachments).await {
        Ok(()) => {
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}done={}", kind.code())).into_response()
        }
        Err(r) => (r.status, html::refusal(Some(&user), &r.reason, &back)).into_response(),
    }
}

pub fn is_form_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Reads the values against the item's form, chooses the role to act in, and pushes the
/// mutation through the writer; the rules' refusal comes back as it would to a phone.
async fn take(
    app: &Arc<AppState>,
    user: &ConsoleUser,
    kind: ActionKind,
    id: &str,
    form_id: &str,
    values: &[FormValue],
    attachments: Vec<lvzhi_domain::files::Attachment>,
) -> Result<(), Refused> {
    let now = (app.clock)();
    let (acting_as, mut mutation) = app.store.read(|c| prepare(c, user, kind, id, values, now))??;
    if let MutationKind::ProposalAction {
        action: lvzhi_domain::proposal::Action::Reply { attachments: files, .. },
        ..
    } = &mut mutation
    {
        *files = attachments;
    }
    push(app, user, acting_as, form_id, mutation).await
}

/// Pushes one mutation of the console's through the writer, under the form's own client id,
/// and answers with the rules' refusal if there is one.
pub async fn push(
    app: &Arc<AppState>,
    user: &ConsoleUser,
    acting_as: ActingAs,
    form_id: &str,
    mutation: MutationKind,
) -> Result<(), Refused> {
    if !is_form_id(form_id) {
        return Err(Refused::new(StatusCode::BAD_REQUEST, "表单不完整，请返回页面刷新后再提交"));
    }
    let org = acting_as.org_id.clone();
    let kind = mutation.clone();
    let m = Mutation { id: 1, acting_as, kind: mutation };
    let client_id = format!("web-{form_id}");
    // A form sent again (a double click, a reload) is answered as before and audited once.
    let replay = app
        .store
        .read(|c| {
            crate::writer::last_decided(c, &user.person_id, &client_id)
                .map_err(|e| lvzhi_store::Error::Invalid(e.message))
        })
        .map_err(Refused::from)?
        .is_some();
    let pushed = app
        .writer()
        .push(&user.person_id, &user.session_id, &client_id, vec![m])
        .await
        .map_err(|e| Refused { status: e.status, reason: e.message })?;
    match pushed.results.into_iter().next().map(|r| r.outcome) {
        Some(MutationOutcome::Applied) if replay => Ok(()),
        Some(MutationOutcome::Applied) => {
            // Every action taken at the console is in the audit log: what, on which item.
            let what = serde_json::to_value(&kind).ok().and_then(|v| v["type"].as_str().map(str::to_string));
            let item = kind.aggregate(&org).map(|a| format!("{a:?}")).or_else(|| kind.touches().first().cloned());
            let detail = format!("{}：{}", what.unwrap_or_default(), item.unwrap_or_default());
            let who = Who { person: Some(&user.person_id), org: Some(&org), address: user.address };
            audit::record_now(&app.store, (app.clock)(), Event::ConsoleAction, who, &detail);
            Ok(())
        }
        Some(MutationOutcome::Rejected { reason }) => Err(Refused::new(StatusCode::CONFLICT, reason)),
        None => Err(Refused::new(StatusCode::INTERNAL_SERVER_ERROR, "服务器没有答复这次操作，请刷新后查看")),
    }
}

/// A console form's answer to the browser: [`push`]es `mutation`, then redirects to `done`, or
/// shows the refusal with a way back to `back`.
pub async fn push_then(
    app: &Arc<AppState>,
    user: &ConsoleUser,
    acting_as: ActingAs,
    form_id: &str,
    mutation: MutationKind,
    done: &str,
    back: &str,
) -> Response {
    match push(app, user, acting_as, form_id, mutation).await {
        Ok(()) => Redirect::to(done).into_response(),
        Err(r) => r.page(user, back),
    }
}

/// Reads a multipart form `user` posts in the name of the organisation its `org` field names,
/// checks its CSRF token, and gives the role `user` acts in there — refused unless on its staff,
/// with `what` they may not do (「发布通知」).
pub async fn checked_for_org(
    form: axum::extract::Multipart,
    user: &ConsoleUser,
    what: &str,
) -> Result<(Posted, ActingAs), Refused> {
    let posted = Posted::checked(form, user).await?;
    let org = posted.get("org").unwrap_or_default().trim().to_string();
    let acting = staff_role(user, &org)
        .ok_or_else(|| Refused::new(StatusCode::FORBIDDEN, format!("只有本组织的工作人员可以{what}")))?;
    Ok((posted, acting))
}

type Prepared = Result<(ActingAs, MutationKind), Refused>;

fn prepare(
    c: &Connection,
    user: &ConsoleUser,
    kind: ActionKind,
    id: &str,
    values: &[FormValue],
    now: Timestamp,
) -> lvzhi_store::Result<Prepared> {
    let read = |form: &ActionForm| {
        actions::parse(form, values).map_err(|e| Refused::new(StatusCode::BAD_REQUEST, e.to_string()))
    };
    let at = Circumstances { now_ms: to_millis(now), ..Circumstances::default() };
    match kind.item() {
        Item::Proposal => {
            let Some(p) = proposal::repo::load(c, id)? else { return Ok(Err(not_found("提案"))) };
            let actors: Vec<Actor> = user.actors().into_iter().filter(|a| a.org_id == p.org_id).collect();
            if !actors.iter().any(|a| visibility::can_read_proposal(a, &p)) {
                return Ok(Err(not_found("提案")));
            }
            let form = forms::proposal_form(c, &p, kind)?;
            let command = match read(&form) {
                Ok(command) => command,
                Err(r) => return Ok(Err(r)),
            };
            let Command::Proposal(action) = &command else { return Ok(Err(not_found("提案"))) };
            // The first of the person's roles here that may; otherwise the first refusal that
            // is not "not yours" (a missing input, a state), or that one.
            let facts = proposal::service::Facts::load(c, &p)?;
            let mut chosen = None;
            for a in &actors {
                match facts.decide(c, &p, a, action, now) {
                    Ok(_) => {
                        chosen = Some(a);
                        break;
                    }
                    Err(lvzhi_store::Error::Proposal(e)) if e.kind() == RefusalKind::NotPermitted => {}
                    Err(e) if e.is_refusal() => {
                        chosen.get_or_insert(a);
                    }
                    Err(e) => return Err(e),
                }
            }
            let Some(actor) = chosen.or(actors.first()) else { return Ok(Err(not_found("提案"))) };
            let acting = ActingAs { role: actor.role, org_id: actor.org_id.clone() };
            let at = Circumstances { base_revision: p.revision, ..at };
            Ok(Ok((acting, command.into_mutation(id, at))))
        }
        Item::Meeting => {
            let Some(m) = duty::repo::meeting(c, id)? else { return Ok(Err(not_found("会议活动"))) };
            let Some(acting) = staff_role(user, &m.org_id) else { return Ok(Err(not_staff())) };
            let offered = meeting_forms(c, &m)?;
            let form = offered.into_iter().find(|f| f.action == kind).unwrap_or_else(|| actions::describe(kind));
            let command = match read(&form) {
                Ok(command) => command,
                Err(r) => return Ok(Err(r)),
            };
            let mut at = at;
            if let Command::MeetingMarkAbsent { person_id } = &command {
                let a = duty::repo::attendance(c, id, person_id)?;
                at.excused = a.and_then(|a| a.leave) == Some(LeaveDecision::Approved);
            }
            Ok(Ok((acting, command.into_mutation(id, at))))
        }
        Item::Report => {
            let Some(r) = consult::repo::report(c, id)? else { return Ok(Err(not_found("社情民意信息"))) };
            let staff = user.staff_orgs();
            let scopes = visibility::report_scopes(&r);
            let Some(org) = staff.iter().find(|o| scopes.contains(&visibility::staff_scope(o))) else {
                return Ok(Err(not_found("社情民意信息")));
            };
            let Some(acting) = staff_role(user, org) else { return Ok(Err(not_staff())) };
            let steps = forms::report_steps(&r, &staff);
            let options =
                if steps.iter().any(|s| s == "send_up") { forms::send_up_options(c, &r.org_id)? } else { Vec::new() };
            let offered = forms::report_forms(false, &steps, &options);
            let form = offered.into_iter().find(|f| f.action == kind).unwrap_or_else(|| actions::describe(kind));
            Ok(read(&form).map(|command| (acting, command.into_mutation(id, at))))
        }
        item => {
            let Some(org_id) = item_org(c, item, id)? else { return Ok(Err(not_found("该事项"))) };
            let chain: Vec<String> = org::ancestry(c, &org_id)?.into_iter().map(|o| o.id).collect();
            // 意见建议 are answered by the organisation's administrators; the rest by its staff
            // (or, for what is sent up, the staff of an organisation above).
            let acting = if item == Item::Feedback {
                user.is_admin_of(&org_id)
                    .then(|| ActingAs { role: lvzhi_domain::org::Role::OrgAdmin, org_id: org_id.clone() })
            } else {
                staff_role(user, &org_id).or_else(|| chain.iter().find_map(|o| staff_role(user, o)))
            };
            let Some(acting) = acting else {
                return Ok(Err(not_staff()));
            };
            let form = actions::describe(kind);
            Ok(read(&form).map(|command| (acting, command.into_mutation(id, at))))
        }
    }
}

fn not_found(what: &str) -> Refused {
    // The same answer whether it does not exist or is not this person's to see.
    Refused::new(StatusCode::NOT_FOUND, format!("没有找到该{what}，或您无权查看"))
}

fn not_staff() -> Refused {
    Refused::new(StatusCode::FORBIDDEN, "只有本组织的工作人员可以办理")
}

/// The person's staff role in `org_id`, to act in.
pub fn staff_role(user: &ConsoleUser, org_id: &str) -> Option<ActingAs> {
    user.grants
        .iter()
        .filter(|g: &&RoleGrant| g.role.is_staff() && g.org_id == org_id)
        .map(|g| ActingAs { role: g.role, org_id: g.org_id.clone() })
        .next()
}

/// The organisation an item belongs to.
fn item_org(c: &Connection, item: Item, id: &str) -> lvzhi_store::Result<Option<String>> {
    Ok(match item {
        Item::Notice => duty::repo::notice(c, id)?.map(|n| n.org_id),
        Item::Topic => consult::repo::topic(c, id)?.map(|t| t.org_id),
        Item::Post => match consult::repo::post(c, id)? {
            Some(p) => consult::repo::topic(c, &p.topic_id)?.map(|t| t.org_id),
            None => None,
        },
        Item::DutyEntry => duty::repo::entry(c, id)?.map(|e| e.org_id),
        Item::Feedback => duty::repo::feedback(c, id)?.map(|f| f.org_id),
        Item::Material => study::repo::material(c, id)?.map(|m| m.org_id),
        Item::News => study::repo::news_item(c, id)?.map(|n| n.org_id),
        Item::Proposal | Item::Meeting | Item::Report | Item::Message => None,
    })
}

/// The forms a meeting offers its staff, with the roster as their options: the same builder
/// the phone's meeting screen uses.
pub fn meeting_forms(c: &Connection, m: &lvzhi_domain::duty::meeting::Meeting) -> lvzhi_store::Result<Vec<ActionForm>> {
    let name = |p: &str| org::person_name(c, p);
    let mut pending = Vec::new();
    let mut open = Vec::new();
    for a in duty::repo::attendances_of_meeting(c, &m.id)? {
        let option = ChoiceOption::new(a.person_id.clone(), name(&a.person_id)?);
        if a.leave == Some(LeaveDecision::Pending) {
            pending.push(option.clone());
        }
        if a.checked_in_at_ms.is_none() && a.absent_excused.is_none() {
            open.push(option);
        }
    }
    let mut speakers = Vec::new();
    let mut not_spoken = Vec::new();
    if m.remote.is_some() {
        let mut requests = consult::repo::speech_requests_of_meeting(c, &m.id)?;
        requests.sort_by_key(|s| (s.order.unwrap_or(u32::MAX), s.applied_at_ms));
        for s in requests {
            let option = ChoiceOption::new(s.person_id.clone(), name(&s.person_id)?);
            if s.spoke_at_ms.is_none() {
                not_spoken.push(option.clone());
            }
            speakers.push(option);
        }
    }
    let roster = forms::Roster { pending, open, not_spoken, speakers };
    Ok(forms::meeting_forms(m, None, true, roster))
}
