//! Study-group chat end to end: a real server, several phones, and the lossy proxy.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use chrono::Duration;
use lvzhi_client::live::{self, ListUpdate};
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::ActingAs;
use lvzhi_store::chat::{MessageState, TimelineItem};
use lvzhi_store::sample;
use lvzhi_tests::{Phone, TestServer, demo_server, post_sync, sql_count, study_group};

const COUNTY: &str = "yn-12-03";

async fn phone(server: &TestServer, name: &str, login: &str) -> Phone {
    let p = Phone::new(server.dir.path(), name, &server.url, server.clock.now()).await;
    p.login(login).await;
    p.client.sync_until_idle().await.unwrap();
    p
}

fn texts(items: &[TimelineItem]) -> Vec<String> {
    items.iter().map(|i| i.text.clone()).collect()
}

fn ids(items: &[TimelineItem]) -> Vec<String> {
    items.iter().map(|i| i.id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_messages_sent_offline_arrive_once_and_in_order_for_everyone() {
    let server = demo_server(sample::fixed_now()).await;
    let (staff, group) = study_group(&server).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;

    zhang.offline();
    for n in 1..=20 {
        zhang.client.send_message(&group, &format!("第{n}条：关于肉牛养殖的学习体会"), None, vec![]).unwrap();
    }
    let local = zhang.client.timeline(&group, 100).unwrap();
    assert_eq!(local.len(), 20);
    assert!(local.iter().all(|i| i.state == MessageState::Sending && i.seq.is_none()));
    // Meanwhile 李华 talks, online: her messages come first in the server's order.
    li.client.send_message(&group, "大家好，今天学习乡村振兴促进法。", None, vec![]).unwrap();
    li.client.sync_until_idle().await.unwrap();

    zhang.online();
    zhang.client.sync_until_idle().await.unwrap();
    for p in [&li, &staff, &zhang] {
        p.client.sync_until_idle().await.unwrap();
    }
    let reference = li.client.timeline(&group, 100).unwrap();
    assert_eq!(reference.len(), 21);
    assert_eq!(reference[0].text, "大家好，今天学习乡村振兴促进法。");
    let expected: Vec<String> = (1..=20).map(|n| format!("第{n}条：关于肉牛养殖的学习体会")).collect();
    assert_eq!(texts(&reference[1..]), expected);
    assert_eq!(reference.iter().map(|i| i.seq.unwrap()).collect::<Vec<_>>(), (1..=21).collect::<Vec<_>>());
    for p in [&zhang, &staff] {
        let t = p.client.timeline(&group, 100).unwrap();
        assert_eq!(ids(&t), ids(&reference), "{}", p.name);
        assert!(t.iter().all(|i| i.state == MessageState::Sent));
    }
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM chat_messages", []), 21);
    // Offline Chinese search, one and two characters included.
    li.offline();
    assert_eq!(li.client.search_messages("肉牛", 50).unwrap().len(), 20);
    assert_eq!(li.client.search_messages("牛", 50).unwrap().len(), 20);
    assert_eq!(li.client.search_messages("乡村振兴", 50).unwrap().len(), 1);
    assert!(li.client.search_messages("咖啡", 50).unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_drop_mid_send_and_a_duplicate_delivery_change_nothing() {
    let server = demo_server(sample::fixed_now()).await;
    let (_staff, group) = study_group(&server).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;
    for n in 1..=5 {
        zhang.client.send_message(&group, &format!("消息{n}"), None, vec![]).unwrap();
    }
    // The server stores them, but the answer never arrives.
    zhang.proxy.state.lose_responses.store(1, Ordering::SeqCst);
    assert!(zhang.client.sync_once(0).await.is_err());
    for n in 6..=8 {
        zhang.client.send_message(&group, &format!("消息{n}"), None, vec![]).unwrap();
    }
    zhang.proxy.state.duplicate_requests.store(1, Ordering::SeqCst);
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();
    let expected: Vec<String> = (1..=8).map(|n| format!("消息{n}")).collect();
    assert_eq!(texts(&li.client.timeline(&group, 50).unwrap()), expected);
    assert_eq!(texts(&zhang.client.timeline(&group, 50).unwrap()), expected);
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM chat_messages", []), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_counts_and_read_markers_are_shared_by_one_members_devices() {
    let server = demo_server(sample::fixed_now()).await;
    let (_staff, group) = study_group(&server).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li_android = phone(&server, "lihua-android", "lihua").await;
    let li_ipad = phone(&server, "lihua-ipad", "lihua").await;
    zhang.client.send_message(&group, "第一条", None, vec![]).unwrap();
    zhang.client.send_message(&group, "@李华 请看看这份材料", None, vec!["demo-lihua".into()]).unwrap();
    zhang.client.send_message(&group, "第三条", None, vec![]).unwrap();
    zhang.client.send_message(&group, "@李华 第四条也请看", None, vec!["demo-lihua".into()]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    for li in [&li_android, &li_ipad] {
        li.client.sync_until_idle().await.unwrap();
        let s = &li.client.groups().unwrap()[0];
        assert_eq!((s.unread, s.unread_mentions, s.read_seq), (4, 2, 0), "{}", li.name);
    }
    // Her own messages never count as unread for her.
    assert_eq!(zhang.client.groups().unwrap()[0].unread, 0);

    li_android.client.mark_read(&group, 3).unwrap();
    assert_eq!(li_android.client.groups().unwrap()[0].unread, 1, "at once, offline too");
    li_android.client.sync_until_idle().await.unwrap();
    li_ipad.client.sync_until_idle().await.unwrap();
    let s = &li_ipad.client.groups().unwrap()[0];
    assert_eq!((s.unread, s.unread_mentions, s.read_seq), (1, 1, 3));
    // A marker never moves back.
    li_ipad.client.mark_read(&group, 2).unwrap();
    li_ipad.client.sync_until_idle().await.unwrap();
    assert_eq!(li_ipad.client.groups().unwrap()[0].read_seq, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recall_within_two_minutes_and_deletion_by_staff_leave_a_visible_line() {
    let server = demo_server(sample::fixed_now()).await;
    let (staff, group) = study_group(&server).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;
    let first = zhang.client.send_message(&group, "发错群了", None, vec![]).unwrap();
    let second = zhang.client.send_message(&group, "这条会超过两分钟", None, vec![]).unwrap();
    let third = li.client.send_message(&group, "不当言论", None, vec![]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();

    let advance = |d: Duration| {
        server.clock.advance(d);
        zhang.clock.advance(d);
    };
    advance(Duration::seconds(60));
    zhang.client.recall_message(&first).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    // Only the sender recalls.
    assert!(li.client.recall_message(&first).is_err());
    advance(Duration::seconds(90));
    let late = zhang.client.recall_message(&second).unwrap_err();
    assert_eq!(late.user_message(), "只能撤回2分钟内发送的消息");
    let as_staff = ActingAs { role: Role::ProposalStaff, org_id: COUNTY.into() };
    staff.client.sync_until_idle().await.unwrap();
    staff.client.delete_message(&as_staff, &third).unwrap();
    assert!(zhang.client.delete_message(&ActingAs { role: Role::Member, org_id: COUNTY.into() }, &third).is_err());
    for p in [&zhang, &staff, &li, &zhang, &li] {
        p.client.sync_until_idle().await.unwrap();
    }
    let t = li.client.timeline(&group, 10).unwrap();
    assert_eq!(texts(&t), ["张明撤回了一条消息", "这条会超过两分钟", "该消息已被管理员删除"]);
    assert!(t[0].recalled && t[2].deleted);
    // The recalled text is gone everywhere, search included.
    assert!(li.client.search_messages("发错", 10).unwrap().is_empty());
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM chat_messages WHERE text = '发错群了'", []), 0);

    // A phone whose clock says "in time" is still refused by the server's clock.
    let fourth = zhang.client.send_message(&group, "第四条", None, vec![]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    server.clock.advance(Duration::minutes(10));
    zhang.offline();
    zhang.client.recall_message(&fourth).unwrap();
    zhang.online();
    zhang.client.sync_until_idle().await.unwrap();
    let outbox = zhang.client.outbox().unwrap();
    assert_eq!(outbox[0].rejected.as_deref(), Some("只能撤回2分钟内发送的消息"));
    let t = zhang.client.timeline(&group, 10).unwrap();
    assert_eq!(t.last().unwrap().text, "第四条");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_member_can_neither_read_nor_post_and_leaving_removes_the_messages() {
    let server = demo_server(sample::fixed_now()).await;
    let (_staff, group) = study_group(&server).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;
    let wang = phone(&server, "wangfang", "wangfang").await;
    zhang.client.send_message(&group, "只有群成员能看到", None, vec![]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    wang.client.sync_until_idle().await.unwrap();
    assert!(wang.client.groups().unwrap().is_empty());
    assert!(wang.client.timeline(&group, 10).unwrap().is_empty());
    assert!(wang.client.send_message(&group, "我也想说", None, vec![]).is_err());
    // Even a hand-made request is refused by the server.
    let token = wang.client.sync().tokens().unwrap().unwrap().access_token;
    let http = reqwest::Client::new();
    let history = http
        .get(format!("{}/v1/groups/{group}/messages?before=100", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(history.status(), 403);
    let forged = serde_json::json!({
        "protocol": 1, "client_id": "wang-forged", "cursors": {},
        "mutations": [{"id": 1, "acting_as": {"role": "Member", "org_id": COUNTY},
            "kind": {"type": "send_message", "message": {"message_id": "forged-1", "group_id": group,
                "text": "伪造的消息", "reply_to": null, "mentions": []}}}]
    });
    let resp: serde_json::Value = post_sync(&server.url, &token, &forged).await.json().await.unwrap();
    assert_eq!(resp["results"][0]["status"], "rejected");
    assert_eq!(resp["results"][0]["reason"], "您不是该群成员");
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM chat_messages WHERE id = 'forged-1'", []), 0);

    // 李华 leaves: the group and its messages leave her phone.
    li.client.sync_until_idle().await.unwrap();
    assert_eq!(li.client.timeline(&group, 10).unwrap().len(), 1);
    li.client.leave_group(&group).unwrap();
    li.client.sync_until_idle().await.unwrap();
    assert!(li.client.groups().unwrap().is_empty());
    assert_eq!(sql_count(li.client.store(), "SELECT count(*) FROM chat_messages", []), 0);
    assert!(li.client.search_messages("群成员", 10).unwrap().is_empty());
}

/// Every update a timeline listener received, in order.
#[derive(Default)]
struct Recorder(Mutex<Vec<ListUpdate<TimelineItem>>>);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeline_listener_gets_a_snapshot_then_diffs_until_its_handle_drops() {
    let server = demo_server(sample::fixed_now()).await;
    let (_staff, group) = study_group(&server).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;
    zhang.client.send_message(&group, "早上好", None, vec![]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();

    let recorder = Arc::new(Recorder::default());
    let rec = recorder.clone();
    let handle = li.client.watch_timeline(&group, 50, move |u| rec.0.lock().unwrap().push(u));
    let mirror = || {
        let updates = recorder.0.lock().unwrap().clone();
        let mut list = Vec::new();
        for u in updates {
            match u {
                ListUpdate::Snapshot { items } => list = items,
                ListUpdate::Diffs { diffs } => live::apply(&mut list, &diffs),
            }
        }
        list
    };
    let settle = || async { tokio::time::sleep(std::time::Duration::from_millis(200)).await };
    settle().await;
    assert_eq!(texts(&mirror()), ["早上好"]);
    // Her own message shows at once as sending, then as sent after the round trip.
    li.client.send_message(&group, "早上好！", None, vec![]).unwrap();
    settle().await;
    assert_eq!(mirror().last().unwrap().state, MessageState::Sending);
    zhang.client.send_message(&group, "今天学习《政协章程》", None, vec![]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();
    settle().await;
    let now = li.client.timeline(&group, 50).unwrap();
    assert_eq!(mirror(), now);
    assert!(now.iter().all(|i| i.state == MessageState::Sent));
    assert!(matches!(recorder.0.lock().unwrap()[0], ListUpdate::Snapshot { .. }));
    let seen = recorder.0.lock().unwrap().len();
    drop(handle);
    zhang.client.send_message(&group, "这条她的监听器收不到了", None, vec![]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();
    settle().await;
    assert_eq!(recorder.0.lock().unwrap().len(), seen);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_phone_starts_with_recent_history_and_pages_back_on_demand() {
    let server = demo_server(sample::fixed_now()).await;
    let (_staff, group) = study_group(&server).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    for n in 1..=30 {
        zhang.client.send_message(&group, &format!("读书打卡第{n}天"), None, vec![]).unwrap();
    }
    zhang.client.sync_until_idle().await.unwrap();
    let mut li = Phone::new(server.dir.path(), "lihua-new", &server.url, server.clock.now()).await;
    li.client.sync().set_initial_messages(10);
    li.login("lihua").await;
    li.client.sync_until_idle().await.unwrap();
    let recent = li.client.timeline(&group, 100).unwrap();
    assert_eq!(recent.len(), 10);
    assert_eq!(recent[0].text, "读书打卡第21天");
    let older = li.client.fetch_older_messages(&group, recent[0].seq.unwrap(), 15).await.unwrap();
    assert_eq!(texts(&older), (6..=20).map(|n| format!("读书打卡第{n}天")).collect::<Vec<_>>());
    // Offline-readable from now on.
    li.offline();
    assert_eq!(li.client.older_messages(&group, 21, 50).unwrap().len(), 15);
    assert_eq!(li.client.search_messages("第7天", 10).unwrap().len(), 1);
    li.online();
    li.client.sync_until_idle().await.unwrap();
    assert_eq!(li.client.older_messages(&group, 21, 50).unwrap().len(), 15, "a sync keeps them");
    let _ = &mut li;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_messages_survive_a_kill_and_failed_ones_are_retried_all_at_once() {
    let server = demo_server(sample::fixed_now()).await;
    let (staff, group) = study_group(&server).await;
    let as_staff = ActingAs { role: Role::ProposalStaff, org_id: COUNTY.into() };
    let mut li = phone(&server, "lihua", "lihua").await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let first = zhang.client.send_message(&group, "欢迎李华委员", None, vec![]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();

    // Offline, 李华 writes three messages (one a reply); the app is killed and restarted.
    li.offline();
    li.client.send_message(&group, "谢谢！", Some(first.clone()), vec!["demo-zhangming".into()]).unwrap();
    li.client.send_message(&group, "我整理了一份调研材料", None, vec![]).unwrap();
    li.client.send_message(&group, "明天发给大家", None, vec![]).unwrap();
    li.restart();
    assert_eq!(li.client.timeline(&group, 10).unwrap().iter().filter(|i| i.state == MessageState::Sending).count(), 3);
    // Meanwhile staff take her out of the group; her messages are refused.
    staff.client.set_group_members(&as_staff, &group, vec![], vec!["demo-lihua".into()]).unwrap();
    staff.client.sync_until_idle().await.unwrap();
    li.online();
    li.client.sync_once(0).await.unwrap();
    let failed: Vec<TimelineItem> =
        li.client.timeline(&group, 10).unwrap().into_iter().filter(|i| i.seq.is_none()).collect();
    assert_eq!(failed.len(), 3, "kept, not dropped");
    for f in &failed {
        assert_eq!(f.state, MessageState::Failed { reason: "您不是该群成员".into() });
    }
    // She is added back; "retry all" sends the three, once, in order, the reply intact.
    staff.client.set_group_members(&as_staff, &group, vec!["demo-lihua".into()], vec![]).unwrap();
    staff.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();
    assert_eq!(li.client.retry_failed(&group).unwrap(), 3);
    li.client.sync_until_idle().await.unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    let seen = zhang.client.timeline(&group, 10).unwrap();
    assert_eq!(texts(&seen), ["欢迎李华委员", "谢谢！", "我整理了一份调研材料", "明天发给大家"]);
    assert_eq!(seen[1].reply_to.as_deref(), Some(first.as_str()));
    assert_eq!(seen[1].mentions, ["demo-zhangming"]);
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM chat_messages", []), 4);
}

/// Pushes that arrive together are applied together (one commit for the lot), yet each client's
/// batch stands alone: every mutation once and in its client's order, a bad request in the
/// crowd refused alone, and a replay changing nothing. The server keeps no chat search index;
/// phones do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_of_pushes_is_applied_once_each_and_a_bad_one_fails_alone() {
    let server = demo_server(sample::fixed_now()).await;
    let (_staff, group) = study_group(&server).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;
    let zhang_token = zhang.client.sync().tokens().unwrap().unwrap().access_token;
    let li_token = li.client.sync().tokens().unwrap().unwrap().access_token;
    let batch = |client: &str, first_id: u64| {
        let mutations: Vec<_> = (first_id..first_id + 3)
            .map(|id| {
                serde_json::json!({"id": id, "acting_as": {"role": "Member", "org_id": COUNTY},
                    "kind": {"type": "send_message", "message": {"message_id": format!("{client}-{id}"),
                        "group_id": group, "text": format!("{client}：第{id}条关于洱海保护的发言"),
                        "reply_to": null, "mentions": []}}})
            })
            .collect();
        serde_json::json!({"protocol": 1, "client_id": client, "cursors": {}, "mutations": mutations})
    };
    // 张明's device "crowd-0" exists; 李华 must not push through it.
    let first = post_sync(&server.url, &zhang_token, &batch("crowd-0", 1)).await;
    assert_eq!(first.status(), 200);

    let mut crowd = tokio::task::JoinSet::new();
    let mut join = |client: String, token: &str, body: serde_json::Value| {
        let (url, token) = (server.url.clone(), token.to_string());
        crowd.spawn(async move { (client, post_sync(&url, &token, &body).await) });
    };
    for i in 1..=30 {
        join(format!("crowd-{i}"), &zhang_token, batch(&format!("crowd-{i}"), 1));
    }
    for i in 0..5 {
        // A gap: these clients never sent mutation 1.
        join(format!("gap-{i}"), &li_token, batch(&format!("gap-{i}"), 2));
    }
    join("stolen".into(), &li_token, batch("crowd-0", 4));
    let mut statuses = std::collections::BTreeMap::new();
    while let Some(done) = crowd.join_next().await {
        let (client, resp) = done.unwrap();
        let status = resp.status().as_u16();
        if client.starts_with("crowd-") {
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_eq!(body["last_applied"], 3, "{client}");
            assert!(body["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{client}: {body}");
        }
        statuses.insert(client, status);
    }
    assert!(statuses.iter().filter(|(c, _)| c.starts_with("crowd-")).all(|(_, s)| *s == 200), "{statuses:?}");
    assert!(statuses.iter().filter(|(c, _)| c.starts_with("gap-")).all(|(_, s)| *s == 409), "{statuses:?}");
    assert_eq!(statuses["stolen"], 403);

    // Every accepted message once, with a place of its own, in each client's order; nothing from
    // the refused requests.
    let store = &server.state.store;
    assert_eq!(sql_count(store, "SELECT count(*) FROM chat_messages", []), 31 * 3);
    assert_eq!(sql_count(store, "SELECT count(DISTINCT seq) FROM chat_messages WHERE group_id = ?1", [&group]), 93);
    assert_eq!(sql_count(store, "SELECT max(seq) FROM chat_messages WHERE group_id = ?1", [&group]), 93);
    assert_eq!(sql_count(store, "SELECT count(*) FROM chat_messages WHERE id LIKE 'gap-%' OR id = 'crowd-0-4'", []), 0);
    for i in 0..=30 {
        let seqs: Vec<u64> = lvzhi_tests::sql_strings(
            store,
            "SELECT CAST(seq AS TEXT) FROM chat_messages WHERE id LIKE ?1 || '-%' ORDER BY id",
            [format!("crowd-{i}")],
        )
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "crowd-{i} out of order: {seqs:?}");
    }

    // A replay of a whole batch answers the same and adds nothing.
    let again: serde_json::Value =
        post_sync(&server.url, &zhang_token, &batch("crowd-7", 1)).await.json().await.unwrap();
    assert_eq!(again["last_applied"], 3);
    assert_eq!(sql_count(store, "SELECT count(*) FROM chat_messages", []), 93);

    // The server has no chat index at all (a device table); 李华's phone finds the words.
    let catalog = if lvzhi_tests::on_postgres() {
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'chat_search'"
    } else {
        "SELECT count(*) FROM sqlite_schema WHERE name = 'chat_search'"
    };
    assert_eq!(sql_count(store, catalog, []), 0);
    li.client.sync_until_idle().await.unwrap();
    assert!(!li.client.search_messages("洱海", 200).unwrap().is_empty());
}

/// A long backlog comes in many pages, pulled back to back (the next requested while the last
/// is applied, larger once the link proves fast). Answers lost along the way cost a retry,
/// never a message twice or a gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_backlog_arrives_in_pipelined_pages_once_and_in_order_despite_lost_answers() {
    let server = demo_server(sample::fixed_now()).await;
    let (_staff, group) = study_group(&server).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let token = zhang.client.sync().tokens().unwrap().unwrap().access_token;
    let long_text = "关于加快怒江州贡山县独龙江乡草果产业提质增效、完善冷链物流和电商销售渠道的学习体会。".repeat(4);
    for batch in 0..30u64 {
        let mutations: Vec<_> = (batch * 100 + 1..=batch * 100 + 100)
            .map(|id| {
                serde_json::json!({"id": id, "acting_as": {"role": "Member", "org_id": COUNTY},
                    "kind": {"type": "send_message", "message": {"message_id": format!("backlog-{id:05}"),
                        "group_id": group, "text": format!("{id}：{long_text}"), "reply_to": null, "mentions": []}}})
            })
            .collect();
        let body = serde_json::json!({"protocol": 1, "client_id": "backlog", "cursors": {}, "mutations": mutations});
        let resp = post_sync(&server.url, &token, &body).await;
        assert_eq!(resp.status(), 200);
    }

    // The phone may ask for smaller or larger pages, within the server's bounds.
    let li_token = phone(&server, "lihua", "lihua").await.client.sync().tokens().unwrap().unwrap().access_token;
    let scope = format!("group:{group}");
    for (asked, at_most) in [(1u32, 64 * 1024), (u32::MAX, 1024 * 1024)] {
        let body = serde_json::json!({"protocol": 1, "client_id": format!("pager-{asked}"), "mutations": [],
            "cursors": {}, "initial_messages": 5000, "page_bytes": asked});
        let resp: serde_json::Value = post_sync(&server.url, &li_token, &body).await.json().await.unwrap();
        let page = resp["pages"].as_array().unwrap().iter().find(|p| p["scope"] == scope.as_str()).unwrap();
        let bytes: usize = page["changes"].as_array().unwrap().iter().map(|c| c["data"].to_string().len() + 64).sum();
        assert!(bytes <= at_most && bytes > at_most / 2, "asked {asked}: {bytes} bytes");
        assert_eq!(page["more"], true);
    }

    let li = Phone::new(server.dir.path(), "lihua-new", &server.url, server.clock.now()).await;
    li.client.sync().set_initial_messages(5000);
    li.login("lihua").await;
    // Lose answers while the pages flow: whichever requests they belong to, the phone retries.
    let state = li.proxy.state.clone();
    let saboteur = tokio::spawn(async move {
        for at in [2, 4, 7] {
            while state.requests.load(Ordering::SeqCst) < at {
                tokio::time::sleep(std::time::Duration::from_micros(200)).await;
            }
            state.lose_responses.store(1, Ordering::SeqCst);
        }
    });
    let mut failures = 0;
    loop {
        match li.client.sync_until_idle().await {
            Ok(()) => break,
            Err(lvzhi_sync::Error::Network(_)) if failures < 10 => failures += 1,
            Err(e) => panic!("sync failed: {e}"),
        }
    }
    saboteur.abort();
    assert!(li.proxy.state.requests.load(Ordering::SeqCst) >= 4, "the backlog took several pages");

    let items = li.client.timeline(&group, 5000).unwrap();
    assert_eq!(items.len(), 3000);
    let expected: Vec<String> = (1..=3000).map(|id| format!("backlog-{id:05}")).collect();
    assert_eq!(ids(&items), expected, "each message once, in the server's order");
    let cursor =
        lvzhi_tests::sql_count(li.client.store(), "SELECT cursor FROM sync_cursors WHERE scope = ?1", [&scope]);
    let head = sql_count(&server.state.store, "SELECT seq FROM scope_heads WHERE scope = ?1", [&scope]);
    assert_eq!(cursor, head, "the phone's cursor is at the scope's head");
}
