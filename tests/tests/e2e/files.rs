//! 附件 end to end: a real server, phones with their own (encrypted) databases, and the lossy
//! proxy cutting connections in the middle of uploads and downloads.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use lvzhi_client::files::FileState;
use lvzhi_domain::files::{self, Attachment, CHUNK_BYTES, FRAME_HEADER_BYTES, encode_frame};
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::ActingAs;
use lvzhi_server::{AppState, Config, serve};
use lvzhi_store::sample;
use lvzhi_sync::Error;
use lvzhi_tests::{Phone, Rng, TestServer, demo_server, sql_count};

const COUNTY: &str = "yn-12-03";

/// The county's study group of 张明 and 李华.
async fn study_group(server: &TestServer) -> String {
    lvzhi_tests::study_group(server).await.1
}

/// A document of `len` bytes that looks like a PDF to the type check.
fn pdf(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut bytes = b"%PDF-1.7\n".to_vec();
    while bytes.len() < len {
        bytes.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

fn framed(size: u64) -> u64 {
    lvzhi_sync::files::framed_length(size, 0)
}

fn server_received(server: &TestServer, hash: &str) -> i64 {
    server
        .state
        .store
        .read(|c| {
            c.query_row("SELECT coalesce(max(received), 0) FROM uploads WHERE hash = ?1", [hash], |r| r.get(0))
                .map_err(lvzhi_store::Error::from)
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_10_mb_file_goes_through_cut_connections_and_opens_offline_on_another_phone() {
    let server = demo_server(sample::fixed_now()).await;
    let group = study_group(&server).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let mut rng = Rng(2027);

    let data = pdf(10 * 1024 * 1024, 7);
    let attachment = zhang.client.attach_file("宾川县柑橘产业调研报告.pdf", "application/pdf", &data, false).unwrap();
    assert_eq!(attachment.hash, files::hash_of(&data));
    let id = zhang
        .client
        .send_message_with_files(&group, "调研报告全文，请各位委员参阅", None, vec![], vec![attachment.clone()])
        .unwrap();
    // Shown at once; held back from the outbox until its file is up. The group's next message
    // waits behind it (everyone reads them in the order written); other work is not held up.
    let outbox = zhang.client.sync().outbox().unwrap();
    assert!(outbox.iter().all(|e| e.is_held()) && outbox.len() == 1, "{outbox:?}");
    // Held is unsent: logging out asks first, the banner counts it.
    assert_eq!(zhang.client.unsent().unwrap(), 1);
    assert!(matches!(zhang.client.logout(false).await, Err(lvzhi_client::Error::UnsentWork { count: 1 })));
    zhang.client.send_message(&group, "报告稍后就到", None, vec![]).unwrap();
    let draft = zhang.client.create_draft(sample::proposal_content(3, "宾川县")).unwrap();
    zhang.client.sync().sync_once(0).await.unwrap();
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM chat_messages", []), 0);
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM proposals WHERE id = ?1", [&draft.id]), 1);
    assert_eq!(zhang.client.sync().outbox().unwrap().len(), 2);
    assert!(matches!(zhang.client.attachment_view(&attachment).unwrap().state, FileState::Uploading { done: 0 }));

    // Connections cut at random: every attempt goes on from the last frame the server kept.
    let mut cuts = 0;
    let mut kept_before = 0;
    loop {
        let cut = 50_000 + rng.below(2_000_000) as u64;
        zhang.proxy.state.cut_request_after.store(cut, Ordering::SeqCst);
        match zhang.client.sync().upload_pending().await {
            Ok(_) => break,
            Err(Error::Network(_)) => {
                cuts += 1;
                let kept = server_received(&server, &attachment.hash);
                assert!(kept >= kept_before, "the server never loses frames it kept");
                kept_before = kept;
            }
            Err(e) => panic!("upload failed: {e}"),
        }
        assert!(cuts < 100, "the upload does not finish");
    }
    zhang.proxy.state.cut_request_after.store(0, Ordering::SeqCst);
    assert!(cuts >= 3, "the test cut connections ({cuts})");
    // Sent once, plus at most the frame in flight at each cut, plus requests' headers.
    let sent = zhang.proxy.state.bytes_up.load(Ordering::SeqCst);
    let allowance = cuts * (CHUNK_BYTES + FRAME_HEADER_BYTES + 2_048) as u64 + 64 * 1024;
    assert!(sent <= framed(data.len() as u64) + allowance, "sent {sent} for {} in {cuts} cuts", data.len());
    // The server has the blob, whole and named by its hash; nothing of the upload is left over.
    let blob: Vec<u8> = server
        .state
        .store
        .read(|c| {
            let mut stmt = c.prepare("SELECT data FROM blob_chunks WHERE hash = ?1 ORDER BY idx")?;
            let chunks = stmt.query_map([&attachment.hash], |r| r.get::<_, Vec<u8>>(0))?;
            Ok::<_, lvzhi_store::Error>(chunks.collect::<lvzhi_sql::Result<Vec<_>>>()?.concat())
        })
        .unwrap();
    assert_eq!(files::hash_of(&blob), attachment.hash);
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM upload_chunks", []), 0);

    // The held messages went out with the next sync, in the order they were written.
    zhang.client.sync_until_idle().await.unwrap();
    assert!(zhang.client.sync().outbox().unwrap().is_empty());
    let order = lvzhi_tests::sql_strings(&server.state.store, "SELECT text FROM chat_messages ORDER BY seq", []);
    assert_eq!(order, vec!["调研报告全文，请各位委员参阅".to_string(), "报告稍后就到".to_string()]);

    // 李华 sees the message with its thumbnail-less document, downloads it through cuts, and
    // opens it with no network.
    li.client.sync_until_idle().await.unwrap();
    let timeline = li.client.timeline(&group, 20).unwrap();
    let item = timeline.iter().find(|i| i.id == id).expect("the message arrived");
    assert_eq!(item.attachments, vec![attachment.clone()]);
    assert_eq!(li.client.attachment_view(&attachment).unwrap().state, FileState::NotHere);
    let mut cuts = 0;
    let mut have_before = 0;
    loop {
        let cut = 50_000 + rng.below(2_000_000) as u64;
        li.proxy.state.cut_response_after.store(cut, Ordering::SeqCst);
        match li.client.download_file(&attachment).await {
            Ok(()) => break,
            Err(Error::Network(_)) => {
                cuts += 1;
                let have = li.client.sync().file(&attachment.hash).unwrap().unwrap().have;
                assert!(have >= have_before, "a download keeps what it has");
                have_before = have;
            }
            Err(e) => panic!("download failed: {e}"),
        }
        assert!(cuts < 100, "the download does not finish");
    }
    li.proxy.state.cut_response_after.store(0, Ordering::SeqCst);
    assert!(cuts >= 3, "the test cut connections ({cuts})");
    let received = li.proxy.state.bytes_down.load(Ordering::SeqCst);
    assert!(
        received <= data.len() as u64 + cuts * (CHUNK_BYTES as u64 + 2_048) + 256 * 1024,
        "received {received} for {} in {cuts} cuts",
        data.len()
    );
    li.offline();
    let opened = li.client.file_bytes(&attachment.hash).unwrap().expect("whole on the phone");
    assert_eq!(opened, data);
    assert_eq!(li.client.attachment_view(&attachment).unwrap().state, FileState::Here);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_is_readable_only_through_what_refers_to_it() {
    let server = demo_server(sample::fixed_now()).await;
    let group = study_group(&server).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let photo = lvzhi_media::sample_photo(1200, 900, 90, 3);
    let a = zhang.client.attach_file("宾川县冷库现场.jpg", "image/jpeg", &photo, false).unwrap();
    assert!(a.thumbnail.is_some() && a.width == Some(1200));
    zhang.client.send_message_with_files(&group, "", None, vec![], vec![a.clone()]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    let http = reqwest::Client::new();
    let get = |token: String| {
        let (http, url) = (http.clone(), format!("{}/v1/blobs/{}", server.url, a.hash));
        async move { http.get(url).bearer_auth(token).send().await.unwrap() }
    };
    // 王芳 (same county, not in the group) and 马超 (the provincial organisation) are refused.
    for login in ["wangfang", "machao"] {
        let other = Phone::logged_in(&server, login, login).await;
        let token = other.client.sync().tokens().unwrap().unwrap().access_token;
        let resp = get(token).await;
        assert_eq!(resp.status(), reqwest::StatusCode::FORBIDDEN, "{login}");
        assert!(resp.text().await.unwrap().contains("无权查看该附件"));
        // Knowing the hash is not enough to attach the file: the bytes must be sent.
        let status = http
            .get(format!("{}/v1/blobs/{}/upload", server.url, a.hash))
            .bearer_auth(other.client.sync().tokens().unwrap().unwrap().access_token)
            .send()
            .await
            .unwrap();
        assert_eq!(status.status(), reqwest::StatusCode::NOT_FOUND);
    }
    // 李华, in the group, reads it; a range starts where asked.
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let token = li.client.sync().tokens().unwrap().unwrap().access_token;
    let whole = get(token.clone()).await.bytes().await.unwrap();
    assert_eq!(files::hash_of(&whole), a.hash);
    let tail = http
        .get(format!("{}/v1/blobs/{}", server.url, a.hash))
        .bearer_auth(&token)
        .header("range", "bytes=1000-")
        .send()
        .await
        .unwrap();
    assert_eq!(tail.status(), reqwest::StatusCode::PARTIAL_CONTENT);
    assert_eq!(&tail.bytes().await.unwrap()[..], &whole[1000..]);
}

/// Sends raw frames as an upload.
async fn put(
    server: &TestServer,
    token: &str,
    hash: &str,
    offset: u64,
    size: u64,
    ty: &str,
    body: Vec<u8>,
) -> (u16, String) {
    let resp = reqwest::Client::new()
        .put(format!("{}/v1/blobs/{hash}", server.url))
        .bearer_auth(token)
        .header("upload-offset", offset)
        .header("upload-length", size)
        .header("upload-type", ty)
        .body(body)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_get_a_clear_reason_and_leave_nothing_half_stored() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let token = zhang.client.sync().tokens().unwrap().unwrap().access_token;

    // On the phone: over the limit, an unknown type, a photo that does not decode.
    let big = pdf(21 * 1024 * 1024, 1);
    let e = zhang.client.attach_file("全年会议纪要.pdf", "application/pdf", &big, false).unwrap_err();
    assert_eq!(e.user_message(), "文件超过大小上限（20 MB）");
    let e = zhang.client.attach_file("安装包.exe", "application/x-msdownload", b"MZ..", false).unwrap_err();
    assert_eq!(e.user_message(), "不支持的文件类型：application/x-msdownload");
    let photo = lvzhi_media::sample_photo(400, 300, 80, 2);
    let e = zhang.client.attach_file("损坏的照片.jpg", "image/jpeg", &photo[..photo.len() / 2], false).unwrap_err();
    assert_eq!(e.user_message(), "图片无法打开，可能已损坏");
    assert_eq!(sql_count(zhang.client.store(), "SELECT count(*) FROM files", []), 0, "nothing kept");
    // The member's photo settings: within bounds, then used for the next photo.
    let bad = lvzhi_client::files::ShrinkSettings { long_edge: 100, quality: 80 };
    assert_eq!(
        zhang.client.sync().set_photo_settings(bad).unwrap_err().user_message(),
        "照片长边须在640至4096像素之间，质量在30至95之间"
    );
    zhang
        .client
        .sync()
        .set_photo_settings(lvzhi_client::files::ShrinkSettings { long_edge: 800, quality: 70 })
        .unwrap();
    let big = lvzhi_media::sample_photo(2400, 1800, 90, 6);
    let shrunk = zhang.client.attach_file("现场照片.jpg", "image/jpeg", &big, false).unwrap();
    assert_eq!((shrunk.width, shrunk.height), (Some(800), Some(600)));

    // On the server: the same rules, and the frames checked one by one.
    let data = pdf(3 * CHUNK_BYTES + 100, 2);
    let hash = files::hash_of(&data);
    let size = data.len() as u64;
    let frame = |range: std::ops::Range<usize>| {
        let mut out = Vec::new();
        encode_frame(&data[range], &mut out);
        out
    };
    let (status, body) = put(&server, &token, &hash, 0, 25 * 1024 * 1024, "application/pdf", vec![]).await;
    assert_eq!((status, body.contains("文件超过大小上限")), (413, true));
    let (status, body) = put(&server, &token, &hash, 0, size, "application/x-msdownload", vec![]).await;
    assert_eq!((status, body.contains("不支持的文件类型")), (415, true));
    // Out of order: the server holds nothing yet and says so.
    let (status, body) = put(&server, &token, &hash, CHUNK_BYTES as u64, size, "application/pdf", frame(0..10)).await;
    assert_eq!(status, 409);
    assert_eq!(serde_json::from_str::<files::UploadStatus>(&body).unwrap().offset, 0);
    // A damaged second frame: the first is kept, the second refused.
    let mut body = frame(0..CHUNK_BYTES);
    let mut second = frame(CHUNK_BYTES..2 * CHUNK_BYTES);
    *second.last_mut().unwrap() ^= 0xff;
    body.extend(second);
    let (status, reason) = put(&server, &token, &hash, 0, size, "application/pdf", body).await;
    assert_eq!((status, reason.contains("分片校验失败")), (400, true), "{reason}");
    assert_eq!(server_received(&server, &hash), CHUNK_BYTES as i64);
    // The rest, from where the server is.
    let mut rest = frame(CHUNK_BYTES..2 * CHUNK_BYTES);
    rest.extend(frame(2 * CHUNK_BYTES..3 * CHUNK_BYTES));
    rest.extend(frame(3 * CHUNK_BYTES..data.len()));
    let (status, body) = put(&server, &token, &hash, CHUNK_BYTES as u64, size, "application/pdf", rest).await;
    assert_eq!(status, 200, "{body}");
    assert!(serde_json::from_str::<files::UploadStatus>(&body).unwrap().complete);

    // Bytes that are not what the hash names: refused whole, nothing kept.
    let other = pdf(1000, 3);
    let claimed = files::hash_of(b"something else");
    let mut body = Vec::new();
    encode_frame(&other, &mut body);
    let (status, reason) = put(&server, &token, &claimed, 0, 1000, "application/pdf", body).await;
    assert_eq!((status, reason.contains("文件校验失败")), (400, true), "{reason}");
    // An "image" that does not decode, with the right hash.
    let broken = photo[..photo.len() / 2].to_vec();
    let mut body = Vec::new();
    encode_frame(&broken, &mut body);
    let (status, reason) =
        put(&server, &token, &files::hash_of(&broken), 0, broken.len() as u64, "image/jpeg", body).await;
    assert_eq!((status, reason.contains("图片无法打开")), (400, true), "{reason}");
    let store = &server.state.store;
    assert_eq!(
        sql_count(store, "SELECT count(*) FROM blobs", []),
        1,
        "only the good file (the photo above is not sent)"
    );
    assert_eq!(sql_count(store, "SELECT count(*) FROM uploads", []), 0);
    assert_eq!(sql_count(store, "SELECT count(*) FROM upload_chunks", []), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_upload_has_no_partial_file_referenced_and_the_upload_resumes() {
    let server = demo_server(sample::fixed_now()).await;
    let group = study_group(&server).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let data = pdf(2 * 1024 * 1024, 9);
    let a = zhang.client.attach_file("会议材料汇编.pdf", "application/pdf", &data, false).unwrap();
    zhang.client.send_message_with_files(&group, "会议材料", None, vec![], vec![a.clone()]).unwrap();
    zhang.proxy.state.cut_request_after.store(700_000, Ordering::SeqCst);
    assert!(zhang.client.sync().upload_pending().await.is_err());
    // The server takes the frames that reached it as the connection dies.
    let mut kept = 0;
    for _ in 0..100 {
        kept = server_received(&server, &a.hash);
        if kept > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(kept > 0 && kept < data.len() as i64);

    // The server process goes away at once (its state dropped with no shutdown), and starts
    // again on the same file at the same address.
    let TestServer { running, state, clock, dir: _dir, .. } = server;
    let addr = running.addr;
    let db = state.config.db.clone();
    running.kill();
    drop(state);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut config = Config::new(db, addr);
    config.clock = clock.clock();
    config.limits = lvzhi_server::limits::Limits::relaxed();
    let state = Arc::new(AppState::open(config).unwrap());
    assert_eq!(sql_count(&state.store, "SELECT count(*) FROM blobs", []), 0);
    assert_eq!(sql_count(&state.store, "SELECT count(*) FROM blob_refs", []), 0);
    assert_eq!(sql_count(&state.store, "SELECT count(*) FROM chat_messages", []), 0);
    let running = serve(state.clone(), addr).await.unwrap();

    zhang.client.sync_until_idle().await.unwrap();
    assert_eq!(sql_count(&state.store, "SELECT count(*) FROM blobs WHERE hash = ?1", [&a.hash]), 1);
    assert_eq!(sql_count(&state.store, "SELECT count(*) FROM blob_refs WHERE hash = ?1", [&a.hash]), 1);
    assert_eq!(sql_count(&state.store, "SELECT count(*) FROM chat_messages", []), 1);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_stays_within_its_budget_and_keeps_pinned_files() {
    let server = demo_server(sample::fixed_now()).await;
    let group = study_group(&server).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let mut li = Phone::logged_in(&server, "lihua", "lihua").await;
    let sizes = [300_000usize, 250_000, 400_000, 350_000, 300_000, 200_000];
    let mut sent: Vec<Attachment> = Vec::new();
    for (n, size) in sizes.iter().enumerate() {
        let a = zhang
            .client
            .attach_file(&format!("第{}次常委会材料.pdf", n + 1), "application/pdf", &pdf(*size, n as u64), false)
            .unwrap();
        zhang.client.send_message_with_files(&group, "", None, vec![], vec![a.clone()]).unwrap();
        sent.push(a);
    }
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();

    let budget = 800_000;
    li.client.set_cache_budget(budget).unwrap();
    // Tomorrow's meeting material is pinned first; then everything is opened, in turn.
    li.client.pin_file(&sent[0], true).unwrap();
    for (n, a) in sent.iter().enumerate() {
        li.clock.advance(chrono::Duration::minutes(1));
        li.client.download_file(a).await.unwrap();
        let usage = li.client.cache_usage().unwrap();
        assert!(usage.used_bytes <= budget, "after file {n}: {usage:?}");
    }
    let here = |p: &Phone, a: &Attachment| p.client.attachment_view(a).unwrap().state == FileState::Here;
    assert!(here(&li, &sent[0]), "pinned stays");
    assert!(here(&li, &sent[5]), "the newest stays");
    assert!(!here(&li, &sent[1]) && !here(&li, &sent[2]), "the least recently used went");
    // An evicted file downloads again when opened.
    li.client.download_file(&sent[1]).await.unwrap();
    assert_eq!(li.client.file_bytes(&sent[1].hash).unwrap().unwrap(), pdf(sizes[1], 1));

    // 清理缓存 keeps pinned files and uploads still waiting; the rest goes, and survives a restart.
    li.offline();
    let pending = li.client.attach_file("未发送的材料.pdf", "application/pdf", &pdf(100_000, 99), false).unwrap();
    let freed = li.client.clear_cache().unwrap();
    assert!(freed > 0);
    li.restart();
    assert!(here(&li, &sent[0]));
    assert!(!here(&li, &sent[5]));
    assert!(matches!(li.client.attachment_view(&pending).unwrap().state, FileState::Uploading { .. }));
    let usage = li.client.cache_usage().unwrap();
    assert_eq!(usage.used_bytes, sizes[0] as u64 + 100_000);
    assert_eq!(usage.kept_bytes, usage.used_bytes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_drafted_offline_with_a_photo_is_submitted_in_order_once_the_photo_is_up() {
    use lvzhi_client::OutboxState;
    use lvzhi_domain::proposal::{Action, ProposalState};
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let as_member = ActingAs { role: Role::Member, org_id: COUNTY.into() };

    zhang.offline();
    let photo = lvzhi_media::sample_photo(2000, 1500, 90, 4);
    let a = zhang.client.attach_file("宾川县肉牛养殖场调研照片.jpg", "image/jpeg", &photo, false).unwrap();
    let content = lvzhi_domain::proposal::ProposalContent {
        attachments: vec![a.clone()],
        ..sample::proposal_content(1, "宾川县")
    };
    let draft = zhang.client.create_draft(content).unwrap();
    zhang.client.act(&as_member, &draft.id, Action::Submit).unwrap();
    // The submission waits behind the draft, which waits for its photo.
    let items = zhang.client.outbox_items().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i.state == OutboxState::WaitingForFiles), "{items:?}");
    assert_eq!(zhang.client.detail(&draft.id).unwrap().state, ProposalState::Submitted);

    zhang.online();
    zhang.client.sync_until_idle().await.unwrap();
    assert!(zhang.client.outbox_items().unwrap().is_empty());
    let on_server = server.state.store.read(|c| lvzhi_store::proposal::repo::load(c, &draft.id)).unwrap().unwrap();
    assert_eq!(on_server.state, ProposalState::Submitted);
    assert_eq!(on_server.content.attachments, vec![a.clone()]);
    // Staff, who may read the proposal, read its photo too.
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    staff.client.download_file(&a).await.unwrap();
    assert_eq!(files::hash_of(&staff.client.file_bytes(&a.hash).unwrap().unwrap()), a.hash);
}
