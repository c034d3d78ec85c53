//! Forms with files (`multipart/form-data`): the fields as text and the files as bytes, each
//! file stored as a blob the person owns (`blobs::store_whole`), checked as a phone's upload is;
//! and the route that hands a file back to whoever may read it.

use std::sync::Arc;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lvzhi_domain::files::Attachment;
use serde::Deserialize;

use super::refusal::Refused;
use super::session::ConsoleUser;
use crate::AppState;

/// A posted form with files.
#[derive(Default)]
pub struct Posted {
    pub fields: Vec<(String, String)>,
    /// (file name, bytes) of every non-empty file input.
    pub files: Vec<(String, Vec<u8>)>,
}

/// A posted form, `multipart/form-data` (with files) or `application/x-www-form-urlencoded`.
pub struct AnyForm(pub Posted);

impl axum::extract::FromRequest<Arc<AppState>> for AnyForm {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, app: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if multipart {
            let form = Multipart::from_request(req, app).await.map_err(IntoResponse::into_response)?;
            let posted = Posted::read(form).await.map_err(|r| (r.status, r.reason).into_response())?;
            Ok(AnyForm(posted))
        } else {
            let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(req, app)
                .await
                .map_err(IntoResponse::into_response)?;
            Ok(AnyForm(Posted { fields, files: Vec::new() }))
        }
    }
}

impl Posted {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every value sent under `key` (checkboxes, a multiple select).
    pub fn all(&self, key: &str) -> Vec<String> {
        self.fields.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
    }

    /// Reads a form `user` posted and checks its CSRF token.
    pub async fn checked(form: Multipart, user: &ConsoleUser) -> Result<Posted, Refused> {
        let posted = Posted::read(form).await?;
        user.check_csrf(posted.get("csrf")).map_err(|e| Refused::new(e.status, e.message))?;
        Ok(posted)
    }

    pub async fn read(mut form: Multipart) -> Result<Posted, Refused> {
        let mut posted = Posted::default();
        loop {
            let field = match form.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => return Ok(posted),
                Err(_) => return Err(Refused::new(StatusCode::BAD_REQUEST, "上传未完成或文件过大，请重试")),
            };
            let name = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().map(str::to_string);
            let bytes = field
                .bytes()
                .await
                .map_err(|_| Refused::new(StatusCode::BAD_REQUEST, "上传未完成或文件过大，请重试"))?;
            match file_name {
                Some(f) if !f.is_empty() && !bytes.is_empty() => posted.files.push((f, bytes.to_vec())),
                Some(_) => {}
                None => posted.fields.push((name, String::from_utf8_lossy(&bytes).into_owned())),
            }
        }
    }

    /// Stores the files as blobs of `user`, in the order given.
    pub async fn store_files(&self, app: &Arc<AppState>, user: &ConsoleUser) -> Result<Vec<Attachment>, Refused> {
        let mut out = Vec::with_capacity(self.files.len());
        for (name, bytes) in &self.files {
            let (app2, person, name2, bytes) = (app.clone(), user.person_id.clone(), name.clone(), bytes.clone());
            let stored = tokio::task::spawn_blocking(move || crate::blobs::store_whole(&app2, &person, &name2, &bytes))
                .await
                .map_err(|e| Refused::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            match stored {
                Ok(a) => out.push(a),
                Err(e) => {
                    let mut r = Refused::from(e);
                    r.reason = format!("{name}：{}", r.reason);
                    return Err(r);
                }
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct FileQuery {
    #[serde(default)]
    name: Option<String>,
}

/// `GET /console/files/{hash}?name=…`: the file, for whoever may read an item carrying it, as
/// a download (never shown inside a console page).
pub async fn download(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(hash): Path<String>,
    Query(q): Query<FileQuery>,
    headers: HeaderMap,
) -> Response {
    let mut response = match crate::blobs::serve(&app, &user.person_id, hash, &headers).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let name: String =
        q.name.unwrap_or_else(|| "附件".into()).chars().filter(|c| !c.is_control() && *c != '"').collect();
    let disposition = format!("attachment; filename*=UTF-8''{}", super::url::encode(&name));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    response
}

/// Links to an item's files.
pub fn links(files: &[Attachment]) -> maud::Markup {
    maud::html! {
        @if !files.is_empty() {
            ul.files {
                @for f in files {
                    li {
                        a href=(format!("/console/files/{}?name={}", f.hash, super::url::encode(&f.name))) { (f.name) }
                        " "
                        span.hint { "（" (lvzhi_domain::files::human_size(f.size)) "）" }
                    }
                }
            }
        }
    }
}
