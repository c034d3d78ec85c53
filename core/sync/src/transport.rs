//! HTTP to the sync server: JSON bodies, gzip-compressed from [`COMPRESS_FROM`] bytes, bearer
//! tokens, and the server's answers turned into [`Error`]s (401 → `Unauthorized`, 4xx →
//! `Refused` with the server's reason, 5xx → `Server`, no answer → `Network`).

use std::time::Duration;

use lvzhi_domain::files::UploadStatus;
use lvzhi_domain::protocol::{COMPRESS_FROM, ErrorBody};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// A request body as sent: JSON, gzip-compressed when large enough to gain from it.
#[derive(Debug, Clone)]
pub struct RequestBody {
    pub bytes: Vec<u8>,
    pub gzip: bool,
}

impl RequestBody {
    pub fn encode(request: &impl Serialize) -> Result<RequestBody> {
        use std::io::Write;
        let json = serde_json::to_vec(request)?;
        if json.len() < COMPRESS_FROM {
            return Ok(RequestBody { bytes: json, gzip: false });
        }
        let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 4), flate2::Compression::default());
        // Writing into a Vec cannot fail.
        enc.write_all(&json).map_err(|e| Error::Server(format!("gzip: {e}")))?;
        let bytes = enc.finish().map_err(|e| Error::Server(format!("gzip: {e}")))?;
        Ok(RequestBody { bytes, gzip: true })
    }
}

/// The server at one base URL.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: String,
}

impl Transport {
    /// The phone's HTTP client: rustls, gzip, timeouts fit for a slow link.
    pub fn new(base_url: &str) -> Result<Transport> {
        let http = Transport::phone_http().build().map_err(|e| Error::Network(e.to_string()))?;
        Ok(Transport::with(base_url, http))
    }

    /// How the phone's HTTP client is set up (tests add their own settings to the same one):
    /// no request waits for an answer longer than a long-poll and a slow link's page allow.
    pub fn phone_http() -> reqwest::ClientBuilder {
        reqwest::Client::builder().connect_timeout(Duration::from_secs(15)).timeout(Duration::from_secs(60))
    }

    /// With a given client (tests turn connection reuse off to go through a lossy proxy).
    pub fn with(base_url: &str, http: reqwest::Client) -> Transport {
        Transport { http, base_url: base_url.trim_end_matches('/').to_string() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// POSTs `body` as JSON without a token (login, refresh).
    pub async fn post_json<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T> {
        let resp = self.http.post(self.url(path)).json(body).send().await.map_err(network)?;
        read_json(resp).await
    }

    /// The raw answer to an unauthenticated POST, for callers that read 401 themselves.
    pub async fn post_raw(&self, path: &str, body: &impl Serialize) -> Result<reqwest::Response> {
        self.http.post(self.url(path)).json(body).send().await.map_err(network)
    }

    /// POSTs an encoded body with a bearer token.
    pub async fn post_authed<T: DeserializeOwned>(&self, path: &str, token: &str, body: &RequestBody) -> Result<T> {
        let mut post =
            self.http.post(self.url(path)).bearer_auth(token).header(reqwest::header::CONTENT_TYPE, "application/json");
        if body.gzip {
            post = post.header(reqwest::header::CONTENT_ENCODING, "gzip");
        }
        let resp = post.body(body.bytes.clone()).send().await.map_err(network)?;
        read_json(resp).await
    }

    /// GETs with a bearer token.
    pub async fn get_authed<T: DeserializeOwned>(&self, path: &str, token: &str) -> Result<T> {
        let resp = self.http.get(self.url(path)).bearer_auth(token).send().await.map_err(network)?;
        read_json(resp).await
    }

    /// GETs JSON with a bearer token; 404 is `None`.
    pub async fn get_optional<T: DeserializeOwned>(&self, path: &str, token: &str) -> Result<Option<T>> {
        let resp = self.http.get(self.url(path)).bearer_auth(token).send().await.map_err(network)?;
        if resp.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        read_json(resp).await.map(Some)
    }

    /// PUTs an upload's frames from `offset`; the server's answer (200, or 409 with where it
    /// is) as an [`UploadStatus`], and whether it was a 409.
    pub async fn put_upload<S>(
        &self,
        path: &str,
        token: &str,
        file: &crate::file_cache::FileInfo,
        offset: u64,
        length: u64,
        frames: S,
    ) -> Result<(UploadStatus, bool)>
    where
        S: futures_util::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        bytes::Bytes: From<S::Ok>,
    {
        use lvzhi_domain::files::headers;
        let resp = self
            .http
            .put(self.url(path))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            // Known in advance: sent as Content-Length (not chunked), as proxies like.
            .header(reqwest::header::CONTENT_LENGTH, length)
            .header(headers::OFFSET, offset)
            .header(headers::LENGTH, file.size)
            .header(headers::TYPE, &file.content_type)
            // An upload over 2G takes minutes; each frame has the server's own deadline.
            .timeout(Duration::from_secs(3600))
            .body(reqwest::Body::wrap_stream(frames))
            .send()
            .await
            .map_err(network)?;
        // A body cut or slowed on the way (408), or a frame damaged on the way: try again from
        // where the server is, never a refusal of the file.
        if resp.status() == reqwest::StatusCode::REQUEST_TIMEOUT {
            return Err(Error::Network("上传中断".into()));
        }
        if resp.status() == reqwest::StatusCode::BAD_REQUEST {
            let bytes = resp.bytes().await.map_err(network)?;
            let reason = serde_json::from_slice::<ErrorBody>(&bytes).map(|b| b.error).unwrap_or_default();
            if reason == lvzhi_domain::files::FileError::ChunkHash.to_string() {
                return Err(Error::Network(reason));
            }
            return Err(Error::Refused(reason));
        }
        if resp.status() == reqwest::StatusCode::CONFLICT {
            let bytes = resp.bytes().await.map_err(network)?;
            if let Ok(status) = serde_json::from_slice::<UploadStatus>(&bytes) {
                return Ok((status, true));
            }
            let reason = serde_json::from_slice::<ErrorBody>(&bytes).map(|b| b.error).unwrap_or_default();
            return Err(Error::Refused(reason));
        }
        read_json(resp).await.map(|s| (s, false))
    }

    /// GETs a file from byte `from` on; the response is read by the caller as it arrives.
    pub async fn get_range(&self, path: &str, token: &str, from: u64) -> Result<reqwest::Response> {
        let mut get = self.http.get(self.url(path)).bearer_auth(token).timeout(Duration::from_secs(3600));
        if from > 0 {
            get = get.header(reqwest::header::RANGE, format!("bytes={from}-"));
        }
        let resp = get.send().await.map_err(network)?;
        let status = resp.status();
        if status.is_success() {
            return Ok(resp);
        }
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(Error::Unauthorized);
        }
        let bytes = resp.bytes().await.map_err(network)?;
        let reason =
            serde_json::from_slice::<ErrorBody>(&bytes).map(|b| b.error).unwrap_or_else(|_| status.to_string());
        Err(if status.is_client_error() { Error::Refused(reason) } else { Error::Server(reason) })
    }

    /// POSTs with a bearer token and ignores the answer (logout is best effort).
    pub async fn post_and_forget(&self, path: &str, token: &str) {
        let _ = self.http.post(self.url(path)).bearer_auth(token).send().await;
    }
}

fn network(e: reqwest::Error) -> Error {
    Error::Network(e.to_string())
}

/// Reads a JSON answer, or the error its status and body say.
pub async fn read_json<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T> {
    let status = resp.status();
    if status == reqwest::StatusCode::UNAUTHORIZED {
        return Err(Error::Unauthorized);
    }
    let bytes = resp.bytes().await.map_err(network)?;
    if !status.is_success() {
        let reason =
            serde_json::from_slice::<ErrorBody>(&bytes).map(|b| b.error).unwrap_or_else(|_| status.to_string());
        return Err(if status.is_client_error() { Error::Refused(reason) } else { Error::Server(reason) });
    }
    serde_json::from_slice(&bytes).map_err(|e| Error::Server(format!("unreadable response: {e}")))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use lvzhi_domain::protocol::*;

    use super::*;

    fn request(cursors: usize) -> SyncRequest {
        SyncRequest {
            protocol: PROTOCOL_VERSION,
            client_id: "phone-1".into(),
            mutations: vec![],
            cursors: (0..cursors).map(|i| (format!("group:学习交流群-{i}"), i as u64)).collect(),
            wait_secs: 25,
            initial_messages: 200,
            page_bytes: None,
        }
    }

    #[test]
    fn small_requests_go_as_plain_json_and_large_ones_gzipped() {
        let small = RequestBody::encode(&request(2)).unwrap();
        assert!(!small.gzip);
        assert_eq!(serde_json::from_slice::<SyncRequest>(&small.bytes).unwrap(), request(2));

        let large = RequestBody::encode(&request(200)).unwrap();
        assert!(large.gzip);
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(&large.bytes[..]).read_to_end(&mut json).unwrap();
        assert!(large.bytes.len() < json.len() / 2);
        assert_eq!(serde_json::from_slice::<SyncRequest>(&json).unwrap(), request(200));
    }
}
