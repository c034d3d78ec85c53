//! Pages that update themselves: `GET /console/live?scope=…` is a stream of server-sent events,
//! one `change` event whenever a commit wrote to that scope (the same feed that wakes phones'
//! long-polls), and a comment now and then to keep proxies from closing it. The page then fetches
//! itself and replaces the part that changed. Only a scope the person's console pages read may
//! be followed: the `staff:` scope of an organisation they are staff of.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use lvzhi_domain::visibility;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use super::session::ConsoleUser;
use crate::AppState;

#[derive(Debug, Deserialize)]
pub struct LiveQuery {
    scope: String,
}

pub async fn events(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<LiveQuery>) -> Response {
    let allowed = user.staff_orgs().iter().any(|o| visibility::staff_scope(o) == q.scope);
    if !allowed {
        return (StatusCode::FORBIDDEN, "只能关注本组织的变化").into_response();
    }
    let rx = app.changes.subscribe();
    let scope = q.scope;
    let events = stream::unfold((rx, scope), |(mut rx, scope)| async move {
        loop {
            match rx.recv().await {
                Ok(scopes) if scopes.contains(&scope) => {
                    return Some((Ok::<_, Infallible>(Event::default().event("change").data("1")), (rx, scope)));
                }
                Ok(_) => continue,
                // Missed some: something may have changed here, so say so.
                Err(RecvError::Lagged(_)) => {
                    return Some((Ok(Event::default().event("change").data("1")), (rx, scope)));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))).into_response()
}
