//! What the apps and the terminal shell use (`lvzhi_client::Client`, which `LvzhiApp` wraps)
//! carries a member's whole round trip — draft, 联名, submit, 立案, 交办 to two units, 答复,
//! reading the replies, 测评 — and the outbox as the member reads it.

use lvzhi_client::{ActionKind as K, FormValue, OutboxState, ProposalDetail};
use lvzhi_domain::chat::GroupKind;
use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::{ProposalContent, ProposalState};
use lvzhi_domain::protocol::ActingAs;
use lvzhi_store::sample;
use lvzhi_tests::{Phone, demo_server};

fn content() -> ProposalContent {
    ProposalContent {
        title: "关于加强宾川县农村饮水安全保障的提案".into(), ..sample::proposal_content(3, "宾川县")
    }
}

/// Takes an action as every shell does: its form's values, by key.
fn take(phone: &Phone, id: &str, kind: K, values: &[(&str, &str)]) -> ProposalDetail {
    let values: Vec<FormValue> = values.iter().map(|(k, v)| FormValue::new(*k, *v)).collect();
    phone.client.take_action(id, kind, &values).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    phone.client.detail(id).unwrap()
}

fn offers(d: &ProposalDetail, kind: K) -> bool {
    d.actions.iter().any(|f| f.action == kind)
}

async fn sync(phones: &[&Phone]) {
    for p in phones {
        p.client.sync_until_idle().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_drafts_co_signs_and_rates_the_replies_of_two_units_through_the_app_surface() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let agri = Phone::logged_in(&server, "liujun", "liujun").await;
    let water = Phone::logged_in(&server, "sunli", "sunli").await;

    // 张明 drafts offline and finds his co-proposer by 界别.
    zhang.offline();
    let draft = zhang.client.create_draft(content()).unwrap();
    assert_eq!(draft.state, ProposalState::Draft);
    assert!(offers(&draft, K::ProposalInvite));
    let found = zhang.client.search_people("农业和农村").unwrap();
    let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"李华") && !names.contains(&"王芳"), "{names:?}");
    let lihua = found.iter().find(|p| p.name == "李华").unwrap();
    assert_eq!(lihua.groups, ["农业和农村界"]);
    let id = draft.id.clone();
    take(&zhang, &id, K::ProposalInvite, &[("person", &lihua.id)]);
    let d = take(&zhang, &id, K::ProposalOpenCoSigning, &[]);
    assert_eq!(d.co_proposers.len(), 1);
    assert_eq!(zhang.client.outbox_items().unwrap().len(), 3);
    assert!(zhang.client.outbox_items().unwrap().iter().all(|i| i.state == OutboxState::Pending));
    assert_eq!(zhang.client.outbox_items().unwrap()[0].label, "起草提案：关于加强宾川县农村饮水安全保障的提案");
    zhang.online();
    sync(&[&zhang, &li]).await;
    assert!(zhang.client.outbox_items().unwrap().is_empty());

    // 李华 accepts; 张明 submits.
    let d = li.client.detail(&id).unwrap();
    assert!(offers(&d, K::ProposalAcceptInvitation), "{:?}", d.actions);
    take(&li, &id, K::ProposalAcceptInvitation, &[]);
    sync(&[&li, &zhang]).await;
    let d = take(&zhang, &id, K::ProposalSubmit, &[]);
    assert_eq!(d.state, ProposalState::Submitted);
    sync(&[&zhang, &staff]).await;

    // Staff register and assign to two units in parallel.
    let d = take(&staff, &id, K::ProposalRegister, &[]);
    // The form offers the organisation's units by name.
    let assign = d.actions.iter().find(|f| f.action == K::ProposalAssign).expect("交办 offered");
    let lvzhi_client::InputKind::Choice { options, many: true } = &assign.inputs[1].kind else { panic!("{assign:?}") };
    let unit = |name: &str| options.iter().find(|o| o.label.contains(name)).unwrap().value.clone();
    let (agri_id, water_id) = (unit("农业农村局"), unit("水务局"));
    let d = take(&staff, &id, K::ProposalAssign, &[("mode", "parallel"), ("units", &agri_id), ("units", &water_id)]);
    assert_eq!(d.assignments.len(), 2);
    assert!(d.assignments.iter().all(|a| a.role_label == "分办" && a.reply.is_none()));
    assert!(d.handling_deadline_ms.is_some());
    sync(&[&staff, &agri, &water]).await;

    // Each unit replies.
    take(&agri, &id, K::ProposalReply, &[("category", "a"), ("text", "已将农村饮水工程纳入年度计划。")]);
    take(&water, &id, K::ProposalReply, &[("category", "b"), ("text", "拟于明年完成管网改造。")]);
    sync(&[&agri, &water, &staff]).await;
    take(&staff, &id, K::ProposalApproveReplies, &[]);
    sync(&[&staff, &zhang, &li]).await;

    // 张明 reads both replies with their categories, and both proposers rate them.
    let d = zhang.client.detail(&id).unwrap();
    assert_eq!(d.state, ProposalState::Evaluating);
    let replies: Vec<(String, String, String)> = d
        .assignments
        .iter()
        .map(|a| {
            let r = a.reply.as_ref().expect("replied");
            (a.unit_name.clone(), r.category_label.clone(), r.text.clone())
        })
        .collect();
    assert_eq!(
        replies,
        [
            ("宾川县农业农村局".into(), "A类（已解决或采纳）".into(), "已将农村饮水工程纳入年度计划。".into()),
            ("宾川县水务局".into(), "B类（列入计划拟解决）".into(), "拟于明年完成管网改造。".into()),
        ]
    );
    assert!(offers(&d, K::ProposalEvaluate));
    take(&zhang, &id, K::ProposalEvaluate, &[("rating", "satisfied"), ("comment", "答复具体，感谢。")]);
    take(&li, &id, K::ProposalEvaluate, &[("rating", "basically_satisfied")]);
    sync(&[&zhang, &li, &zhang]).await;
    let d = zhang.client.detail(&id).unwrap();
    assert_eq!(d.state, ProposalState::Closed);
    let ratings: Vec<(&str, &str)> = d.evaluations.iter().map(|e| (e.name.as_str(), e.rating_label.as_str())).collect();
    assert_eq!(ratings, [("张明", "满意"), ("李华", "基本满意")]);
    assert!(d.co_proposers[0].answered_at_ms.is_some());
    assert_eq!(d.revisions.len(), 1);
    assert_eq!(d.kind_label.as_deref(), Some("大会提案"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_says_what_was_refused_and_what_waits_behind_it() {
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let as_staff = ActingAs { role: Role::ProposalStaff, org_id: "yn-12-03".into() };
    let group = staff
        .client
        .create_group(&as_staff, "提案工作交流群", GroupKind::Topic, vec!["demo-zhangming".into()])
        .unwrap();
    staff.client.sync_until_idle().await.unwrap();
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;

    // Days offline: more messages than one request carries, then a draft.
    zhang.offline();
    let batch = lvzhi_domain::protocol::MAX_BATCH;
    for n in 1..=batch + 1 {
        zhang.client.send_message(&group, &format!("第{n}条：饮水工程调研提纲"), None, vec![]).unwrap();
    }
    let draft = zhang.client.create_draft(content()).unwrap();
    // Meanwhile staff took 张明 out of the group.
    staff.client.set_group_members(&as_staff, &group, vec![], vec!["demo-zhangming".into()]).unwrap();
    staff.client.sync_until_idle().await.unwrap();

    // One round trip: the first request's messages are refused; the rest wait behind them.
    zhang.online();
    zhang.client.sync_once(0).await.unwrap();
    let items = zhang.client.outbox_items().unwrap();
    assert_eq!(items.len(), batch + 2);
    assert_eq!(items[0].label, "发送消息：第1条：饮水工程调研提纲");
    assert_eq!(items[0].state, OutboxState::Refused { reason: "您不是该群成员".into() });
    assert!(items[..batch].iter().all(|i| matches!(i.state, OutboxState::Refused { .. })));
    assert_eq!(
        items[batch].state,
        OutboxState::WaitingBehind { refused_id: items[0].id, reason: "您不是该群成员".into() },
        "{}",
        items[batch].label
    );
    assert_eq!(items[batch + 1].label, "起草提案：关于加强宾川县农村饮水安全保障的提案");
    assert_eq!(items[batch + 1].state, OutboxState::Pending, "the draft is held up by nothing");

    // Discarding the refused ones frees the one behind them; the next sync decides it and the
    // draft.
    for item in &items[..batch] {
        zhang.client.discard(item.id).unwrap();
    }
    assert_eq!(zhang.client.outbox_items().unwrap()[0].state, OutboxState::Pending);
    zhang.client.sync_until_idle().await.unwrap();
    let left = zhang.client.outbox_items().unwrap();
    assert_eq!(left.len(), 1, "the last message is refused in its turn: {left:?}");
    assert!(matches!(left[0].state, OutboxState::Refused { .. }));
    assert_eq!(zhang.client.detail(&draft.id).unwrap().state, ProposalState::Draft);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_proposal_asks_the_lifecycle_once_per_command_and_reads_its_session_once() {
    use lvzhi_domain::proposal::lifecycle;
    use lvzhi_store::proposal::service::Facts;
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let id = zhang.client.create_draft(content()).unwrap().id;
    take(&zhang, &id, K::ProposalSubmit, &[]);
    sync(&[&zhang, &staff]).await;

    // Counted on this thread: the detail is built synchronously here.
    for (who, phone) in [("张明", &zhang), ("陈静", &staff)] {
        let (runs, loads) = (lifecycle::executions_on_this_thread(), Facts::loaded_on_this_thread());
        let d = phone.client.detail(&id).unwrap();
        let runs = lifecycle::executions_on_this_thread() - runs;
        let loads = Facts::loaded_on_this_thread() - loads;
        assert!(!d.actions.is_empty(), "{who} has something to do");
        let kinds = K::proposal_kinds().count() as u64;
        assert!(runs <= kinds, "{who}: the lifecycle ran {runs} times");
        assert!(runs >= d.actions.len() as u64, "{who}: each action offered was asked about");
        assert_eq!(loads, 1, "{who}: the session and settings were read {loads} times");
    }
    // What staff may do to a submitted proposal, and what its member may do, as before.
    assert!(offers(&staff.client.detail(&id).unwrap(), K::ProposalRegister));
    assert!(offers(&zhang.client.detail(&id).unwrap(), K::ProposalWithdraw));
}
