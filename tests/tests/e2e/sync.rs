//! The sync protocol end to end: a real server on 127.0.0.1, phones with their own database
//! files, and a proxy that loses responses, delivers requests twice and takes the network down.

use chrono::Duration;
use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::*;
use lvzhi_domain::protocol::ActingAs;
use lvzhi_store::proposal::repo;
use lvzhi_store::sample;
use lvzhi_tests::{Phone, TestServer, demo_server, sql_count, sql_exec, sql_strings};
use std::sync::atomic::Ordering;

const COUNTY: &str = "yn-12-03";
const SESSION: &str = "yn-12-03-s3";

fn as_member() -> ActingAs {
    ActingAs { role: Role::Member, org_id: COUNTY.into() }
}

fn as_staff() -> ActingAs {
    ActingAs { role: Role::ProposalStaff, org_id: COUNTY.into() }
}

fn as_unit() -> ActingAs {
    ActingAs { role: Role::UnitUser, org_id: COUNTY.into() }
}

async fn phone(server: &TestServer, name: &str, login: &str) -> Phone {
    let p = Phone::new(server.dir.path(), name, &server.url, server.clock.now()).await;
    p.login(login).await;
    p.client.sync_until_idle().await.unwrap();
    p
}

/// The server's version of a proposal.
fn on_server(server: &TestServer, id: &str) -> Proposal {
    server.state.store.read(|c| repo::load(c, id)).unwrap().expect("on the server")
}

fn on_phone(p: &Phone, id: &str) -> Option<Proposal> {
    p.client.store().read(|c| repo::load(c, id)).unwrap()
}

fn revisions_on_server(server: &TestServer, id: &str) -> Vec<Revision> {
    server.state.store.read(|c| repo::revisions(c, id)).unwrap()
}

fn content(title: &str) -> ProposalContent {
    ProposalContent { title: title.into(), ..sample::proposal_content(0, "宾川县") }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_lives_its_whole_life_across_five_devices() {
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let mut zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;
    let staff = phone(&server, "chenjing", "chenjing").await;
    let unit = phone(&server, "liujun", "liujun").await;

    // 张明 drafts offline for days, across restarts of the app.
    zhang.offline();
    let p = zhang.client.create_proposal(&as_member(), SESSION, content("关于发展肉牛养殖的提案")).unwrap();
    let id = p.id.clone();
    zhang.restart();
    zhang
        .client
        .act(&as_member(), &id, Action::SaveDraft { content: content("关于发展肉牛养殖产业助推乡村振兴的提案") })
        .unwrap();
    zhang.client.act(&as_member(), &id, Action::Invite { person_id: "demo-lihua".into() }).unwrap();
    zhang.client.act(&as_member(), &id, Action::OpenCoSigning).unwrap();
    assert!(zhang.client.sync_once(0).await.is_err(), "offline");
    assert_eq!(zhang.client.status().state, lvzhi_sync::SyncState::Offline);
    assert_eq!(zhang.client.status().pending, 4);
    zhang.restart();
    assert_eq!(on_phone(&zhang, &id).unwrap().state, ProposalState::CoSigning);

    zhang.online();
    zhang.client.sync_until_idle().await.unwrap();
    assert_eq!(zhang.client.status().pending, 0);
    assert_eq!(on_server(&server, &id).state, ProposalState::CoSigning);

    // 李华 receives the invitation, then signs offline.
    li.client.sync_until_idle().await.unwrap();
    assert_eq!(on_phone(&li, &id).unwrap().state, ProposalState::CoSigning);
    li.offline();
    li.client.act(&as_member(), &id, Action::RespondInvitation { accept: true }).unwrap();
    li.online();
    li.client.sync_until_idle().await.unwrap();

    zhang.client.sync_until_idle().await.unwrap();
    zhang.client.act(&as_member(), &id, Action::Submit).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    assert_eq!(on_server(&server, &id).state, ProposalState::Submitted);

    // Staff review and assign; the unit replies; staff approve; both proposers evaluate.
    staff.client.sync_until_idle().await.unwrap();
    staff.client.act(&as_staff(), &id, Action::Register).unwrap();
    staff
        .client
        .act(&as_staff(), &id, Action::Assign { plan: AssignmentPlan::Sole { unit_id: "yn-12-03-agri".into() } })
        .unwrap();
    staff.client.sync_until_idle().await.unwrap();
    unit.client.sync_until_idle().await.unwrap();
    unit.client.act(&as_unit(), &id, Action::RecordContact { note: "电话联系张明委员".into() }).unwrap();
    unit.client
        .act(
            &as_unit(),
            &id,
            Action::Reply {
                category: ReplyCategory::A,
                text: "已纳入全县肉牛产业发展规划。".into(),
                attachments: Vec::new(),
            },
        )
        .unwrap();
    unit.client.sync_until_idle().await.unwrap();
    staff.client.sync_until_idle().await.unwrap();
    staff.client.act(&as_staff(), &id, Action::ApproveReplies { categories: vec![], note: String::new() }).unwrap();
    staff.client.sync_until_idle().await.unwrap();
    for member in [&zhang, &li] {
        member.client.sync_until_idle().await.unwrap();
        member
            .client
            .act(&as_member(), &id, Action::Evaluate { rating: Rating::Satisfied, comment: "满意".into() })
            .unwrap();
        member.client.sync_until_idle().await.unwrap();
    }
    let final_state = on_server(&server, &id);
    assert_eq!(final_state.state, ProposalState::Closed);

    // Every device ends in the same state, history included.
    for p in [&zhang, &li, &staff, &unit] {
        p.client.sync_until_idle().await.unwrap();
        assert_eq!(on_phone(p, &id).unwrap(), final_state, "{}", p.name);
        let verified = lvzhi_store::proposal::service::verify_history(p.client.store(), &id).unwrap();
        assert_eq!(verified, Ok(()), "{}", p.name);
    }
    assert_eq!(revisions_on_server(&server, &id).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_of_one_member_edit_the_same_draft_offline_and_both_versions_survive() {
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let android = phone(&server, "zhangming-android", "zhangming").await;
    let iphone = phone(&server, "zhangming-iphone", "zhangming").await;
    let p = android.client.create_proposal(&as_member(), SESSION, content("关于加强农村饮水安全保障的提案")).unwrap();
    android.client.sync_until_idle().await.unwrap();
    iphone.client.sync_until_idle().await.unwrap();

    android.offline();
    iphone.offline();
    android.client.act(&as_member(), &p.id, Action::SaveDraft { content: content("安卓上改的标题") }).unwrap();
    iphone.client.act(&as_member(), &p.id, Action::SaveDraft { content: content("苹果上改的标题") }).unwrap();
    android.online();
    iphone.online();
    android.client.sync_until_idle().await.unwrap();
    iphone.client.sync_until_idle().await.unwrap();
    android.client.sync_until_idle().await.unwrap();

    let server_p = on_server(&server, &p.id);
    assert_eq!(server_p.content.title, "安卓上改的标题", "the first save to arrive stays current");
    let revs = revisions_on_server(&server, &p.id);
    let titles: Vec<(&str, bool)> = revs.iter().map(|r| (r.content.title.as_str(), r.conflict)).collect();
    assert_eq!(
        titles,
        [
            ("关于加强农村饮水安全保障的提案", false),
            ("安卓上改的标题", false),
            ("苹果上改的标题", true),
            ("安卓上改的标题", false)
        ]
    );
    for d in [&android, &iphone] {
        assert_eq!(on_phone(d, &p.id).unwrap(), server_p, "{}", d.name);
        let local = d.client.store().read(|c| repo::revisions(c, &p.id)).unwrap();
        assert_eq!(local, revs, "{}", d.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_push_sent_three_times_applies_once() {
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let p = zhang.client.create_proposal(&as_member(), SESSION, content("关于推进高原特色现代农业发展的提案")).unwrap();
    zhang
        .client
        .act(&as_member(), &p.id, Action::SaveDraft { content: content("关于推进高原特色农业的提案") })
        .unwrap();
    // Two responses are lost on the way back; the server got all three deliveries.
    zhang.proxy.state.lose_responses.store(2, Ordering::SeqCst);
    assert!(zhang.client.sync_once(0).await.is_err());
    assert!(zhang.client.sync_once(0).await.is_err());
    zhang.client.sync_until_idle().await.unwrap();
    let on = on_server(&server, &p.id);
    assert_eq!(on.revision, 2);
    assert_eq!(on.history_len, 1);
    assert_eq!(revisions_on_server(&server, &p.id).len(), 2);
    assert_eq!(zhang.client.outbox().unwrap(), vec![]);
    assert_eq!(on_phone(&zhang, &p.id).unwrap(), on);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duplicate_delivery_changes_nothing() {
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let p = zhang.client.create_proposal(&as_member(), SESSION, content("关于保护洱海流域生态环境的提案")).unwrap();
    zhang.proxy.state.duplicate_requests.store(1, Ordering::SeqCst);
    zhang.client.sync_until_idle().await.unwrap();
    let on = on_server(&server, &p.id);
    assert_eq!((on.revision, on.history_len), (1, 1));
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM mutation_results", []), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_killed_between_the_servers_commit_and_the_response_loses_and_doubles_nothing() {
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let mut zhang = phone(&server, "zhangming", "zhangming").await;
    let p = zhang.client.create_proposal(&as_member(), SESSION, content("关于加快普洱茶产业提质增效的提案")).unwrap();
    zhang.client.act(&as_member(), &p.id, Action::Submit).unwrap();
    zhang.proxy.state.lose_responses.store(1, Ordering::SeqCst);
    assert!(zhang.client.sync_once(0).await.is_err());
    // Killed now; started again on the same file.
    zhang.restart();
    assert_eq!(zhang.client.outbox().unwrap().len(), 2, "the outbox survived the kill");
    zhang.client.sync_until_idle().await.unwrap();
    let on = on_server(&server, &p.id);
    assert_eq!((on.state, on.history_len, on.revision), (ProposalState::Submitted, 2, 1));
    assert_eq!(on_phone(&zhang, &p.id).unwrap(), on);
    assert!(zhang.client.outbox().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mutation_refused_after_the_deadline_comes_back_with_its_reason_and_blocks_nothing() {
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let late =
        zhang.client.create_proposal(&as_member(), SESSION, content("关于完善山区农村公路养护机制的提案")).unwrap();
    let other =
        zhang.client.create_proposal(&as_member(), SESSION, content("关于提升农村电商物流服务能力的提案")).unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    // Offline, the phone still thinks it is in time; by the time it syncs, the server knows the
    // window closed. The demo session accepts 平时提案, so close it for this test.
    zhang.offline();
    sql_exec(&server.state.store, "UPDATE sessions SET accepts_interim = 0", []);
    sql_exec(zhang.client.store(), "UPDATE sessions SET accepts_interim = 0", []);
    zhang.client.act(&as_member(), &late.id, Action::Submit).unwrap();
    zhang
        .client
        .act(&as_member(), &other.id, Action::SaveDraft { content: content("关于提升农村电商和物流服务能力的提案") })
        .unwrap();
    assert_eq!(on_phone(&zhang, &late.id).unwrap().state, ProposalState::Submitted, "optimistic");
    server.clock.advance(Duration::days(61));
    zhang.online();
    zhang.client.sync_until_idle().await.unwrap();

    let outbox = zhang.client.outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    let reason = outbox[0].rejected.clone().expect("rejected");
    assert!(reason.starts_with("已超过提案截止时间"), "{reason}");
    assert_eq!(zhang.client.status().rejected, 1);
    // The mutation behind it went through.
    assert_eq!(on_server(&server, &other.id).content.title, "关于提升农村电商和物流服务能力的提案");
    // The phone shows the server's truth again: still a draft.
    assert_eq!(on_phone(&zhang, &late.id).unwrap().state, ProposalState::Draft);
    assert_eq!(on_server(&server, &late.id).state, ProposalState::Draft);
    // Discarding the refused submission clears it.
    zhang.client.discard(outbox[0].mutation.id).unwrap();
    assert!(zhang.client.outbox().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_organisations_cannot_read_or_write_and_bad_tokens_get_401() {
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let p =
        zhang.client.create_proposal(&as_member(), SESSION, content("关于促进少数民族传统村落保护利用的提案")).unwrap();
    zhang.client.act(&as_member(), &p.id, Action::Submit).unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    // 杨帆 is a member of the provincial committee: 宾川县's data never reaches his phone.
    let yang = phone(&server, "yangfan", "yangfan").await;
    assert!(on_phone(&yang, &p.id).is_none());
    let cursors = sql_strings(yang.client.store(), "SELECT scope FROM sync_cursors", []);
    assert!(cursors.iter().all(|s| !s.contains(COUNTY)), "{cursors:?}");
    // Nor can he act in 宾川县: he holds no role there.
    let refused =
        yang.client.act(&ActingAs { role: Role::ProposalStaff, org_id: COUNTY.into() }, &p.id, Action::Register);
    assert!(refused.is_err());

    // A revoked session gets 401 and cannot refresh.
    let token = zhang.client.sync().tokens().unwrap().unwrap();
    let http = reqwest::Client::new();
    let revoke = http
        .delete(format!("{}/v1/sessions/{}", server.url, token.session_id))
        .bearer_auth(&token.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), 204);
    let err = zhang.client.sync_once(0).await.unwrap_err();
    assert!(matches!(err, lvzhi_sync::Error::Unauthorized), "{err:?}");

    // An expired access token is refreshed once, by itself; an expired refresh token is not.
    let li = phone(&server, "lihua", "lihua").await;
    server.clock.advance(Duration::hours(25));
    li.client.sync_once(0).await.unwrap();
    let raw = http.post(format!("{}/v1/sync", server.url)).bearer_auth("not-a-token").body("{}").send().await.unwrap();
    assert_eq!(raw.status(), 401);
    server.clock.advance(Duration::days(121));
    assert!(matches!(li.client.sync_once(0).await.unwrap_err(), lvzhi_sync::Error::Unauthorized));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_a_4xx_with_a_reason_and_change_nothing() {
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let token = zhang.client.sync().tokens().unwrap().unwrap().access_token;
    let http = reqwest::Client::new();
    let post = |body: &'static str| http.post(format!("{}/v1/sync", server.url)).bearer_auth(&token).body(body).send();
    let bad_json = post("{not json").await.unwrap();
    assert_eq!(bad_json.status(), 400);
    assert!(bad_json.text().await.unwrap().contains("请求格式错误"));
    let bad_version = post(r#"{"protocol":99,"client_id":"c","mutations":[],"cursors":{}}"#).await.unwrap();
    assert_eq!(bad_version.status(), 400);
    let unknown_kind = post(
        r#"{"protocol":1,"client_id":"c","mutations":[{"id":1,"acting_as":{"role":"Member","org_id":"yn-12-03"},"kind":{"type":"launch_rocket"}}],"cursors":{}}"#,
    )
    .await
    .unwrap();
    assert_eq!(unknown_kind.status(), 400);
    let gap = post(
        r#"{"protocol":1,"client_id":"c2","mutations":[{"id":5,"acting_as":{"role":"Member","org_id":"yn-12-03"},"kind":{"type":"create_proposal","proposal_id":"x","session_id":"yn-12-03-s3","content":{"title":"t","cause":"","suggestions":"","category":""}}}],"cursors":{}}"#,
    )
    .await
    .unwrap();
    assert_eq!(gap.status(), 409);
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM proposals", []), 0);
    // A request head larger than the server's 8 KiB read buffer (a phone's is a few hundred
    // bytes) is refused with 431, and the server goes on serving.
    let padded =
        http.get(format!("{}/v1/ping", server.url)).header("X-Padding", "x".repeat(10_000)).send().await.unwrap();
    assert_eq!(padded.status(), 431);
    let after =
        http.get(format!("{}/v1/ping", server.url)).header("X-Padding", "x".repeat(4_000)).send().await.unwrap();
    assert_eq!(after.text().await.unwrap(), "pong");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_mutation_can_be_resent_once_the_cause_is_gone() {
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let p = zhang.client.create_proposal(&as_member(), SESSION, content("关于扶持花卉产业品牌建设的提案")).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    let close_interim = |v: i64| sql_exec(&server.state.store, "UPDATE sessions SET accepts_interim = ?1", [v]);
    close_interim(0);
    server.clock.advance(Duration::days(61));
    zhang.client.act(&as_member(), &p.id, Action::Submit).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    let refused = zhang.client.outbox().unwrap();
    assert_eq!(refused.len(), 1);
    assert!(refused[0].rejected.is_some());
    // The committee opens 平时提案 again; the member sends the same submission again.
    close_interim(1);
    zhang.client.resend(refused[0].mutation.id).unwrap();
    assert_eq!(zhang.client.outbox().unwrap()[0].rejected, None);
    zhang.client.sync_until_idle().await.unwrap();
    assert!(zhang.client.outbox().unwrap().is_empty());
    let on = on_server(&server, &p.id);
    assert_eq!((on.state, on.kind), (ProposalState::Submitted, Some(ProposalKind::Interim)));
    assert_eq!(on_phone(&zhang, &p.id).unwrap(), on);
}

/// An idle sync answers with no pages at all, even for a scope the phone holds that is still
/// empty (an organisation's `members:` scope before its first notice): one lookup, a few bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_sync_sends_no_pages_even_for_empty_scopes() {
    let server = lvzhi_tests::demo_server(lvzhi_store::sample::fixed_now()).await;
    let phone = Phone::logged_in(&server, "idle-phone", "wangfang").await;
    let cursors = lvzhi_tests::sql_strings(phone.client.store(), "SELECT scope || '=' || cursor FROM sync_cursors", []);
    assert!(cursors.iter().any(|c| c == "members:yn-12-03=0"), "the empty scope is held: {cursors:?}");
    let tokens = phone.client.sync().tokens().unwrap().unwrap();
    let client_id = phone.client.sync().client_id().unwrap();
    let cursors: serde_json::Map<String, serde_json::Value> = cursors
        .iter()
        .map(|c| {
            let (scope, cursor) = c.split_once('=').unwrap();
            (scope.to_string(), serde_json::json!(cursor.parse::<u64>().unwrap()))
        })
        .collect();
    let body = serde_json::json!({ "protocol": 1, "client_id": client_id, "mutations": [], "cursors": cursors });
    let answer: serde_json::Value =
        lvzhi_tests::post_sync(&server.url, &tokens.access_token, &body).await.json().await.unwrap();
    assert!(answer.get("pages").is_none() && answer.get("scopes").is_none(), "{answer}");
}
