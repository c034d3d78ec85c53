//! Property test: random sequences of actions by random people at random times never take a
//! proposal where the lifecycle forbids, never break its invariants, and never lose a revision.

mod common;

use ProposalState as S;
use chrono::Duration;
use common::World;
use lvzhi_domain::org::Actor;
use lvzhi_domain::proposal::lifecycle::Action;
use lvzhi_domain::proposal::*;
use proptest::prelude::*;

/// Every edge the rules allow (self-loops of non-terminal states are allowed too).
const EDGES: &[(S, S)] = &[
    (S::Draft, S::CoSigning),
    (S::Draft, S::Submitted),
    (S::CoSigning, S::Draft),
    (S::CoSigning, S::Submitted),
    (S::Submitted, S::Withdrawn),
    (S::Submitted, S::Registered),
    (S::Submitted, S::NotRegistered),
    (S::Submitted, S::Draft),
    (S::Submitted, S::ConversionPending),
    (S::ConversionPending, S::Converted),
    (S::ConversionPending, S::Submitted),
    (S::ConversionPending, S::Withdrawn),
    (S::Registered, S::Handling),
    (S::Handling, S::Registered),
    (S::Handling, S::Replied),
    (S::Replied, S::Evaluating),
    (S::Evaluating, S::Closed),
    (S::Evaluating, S::Rehandling),
    (S::Evaluating, S::AwaitingClosure),
    (S::Rehandling, S::Replied),
    (S::AwaitingClosure, S::Closed),
];

fn who(w: &World, i: u8) -> &Actor {
    match i % 10 {
        i @ 0..=3 => &w.m[i as usize],
        4 => &w.staff,
        5 => &w.other_staff,
        i @ 6..=8 => &w.u[(i - 6) as usize],
        _ => &w.admin,
    }
}

/// Seven times in ten an action that fits the state, so that sequences get deep into the
/// lifecycle; otherwise any action at all.
fn guided_kind(state: S, kind: u8) -> u8 {
    let fitting: &[u8] = match state {
        S::Draft => &[0, 1, 2, 3, 4, 4, 7, 7],
        S::CoSigning => &[2, 3, 5, 5, 5, 6, 7],
        S::Submitted => &[9, 10, 10, 11, 12, 13, 14],
        S::ConversionPending => &[9, 15],
        S::Registered => &[16, 28],
        S::Handling => &[17, 18, 19, 20, 21, 22, 22, 28],
        S::Replied => &[24],
        S::Evaluating => &[25, 25, 27],
        S::Rehandling => &[20, 21, 22, 22],
        S::AwaitingClosure => &[27],
        _ => &[],
    };
    if kind % 10 < 7 && !fitting.is_empty() { fitting[(kind / 10) as usize % fitting.len()] } else { kind }
}

fn natural_actor(w: &World, kind: u8, arg: u8) -> &Actor {
    match kind % 29 {
        5 | 25 | 26 => &w.m[(arg % 3) as usize],
        0..=9 | 15 => &w.m[0],
        18 | 20 | 21 | 22 | 23 => &w.u[(arg % 3) as usize],
        _ => &w.staff,
    }
}

fn action(w: &World, kind: u8, arg: u8) -> Action {
    let person = w.m[(arg % 4) as usize].person_id.clone();
    let unit = ["u-agri", "u-water", "u-finance"][(arg % 3) as usize].to_string();
    let other_unit = ["u-agri", "u-water", "u-finance"][((arg % 3 + 1) % 3) as usize].to_string();
    let text = if arg.is_multiple_of(7) { String::new() } else { format!("说明{arg}") };
    let rating = [Rating::Satisfied, Rating::BasicallySatisfied, Rating::Unsatisfied][(arg / 3 % 3) as usize];
    let category = [ReplyCategory::A, ReplyCategory::B, ReplyCategory::C][(arg % 3) as usize];
    match kind % 29 {
        0 => Action::SaveDraft {
            content: ProposalContent {
                attachments: Vec::new(),
                title: format!("关于第{arg}版的提案"),
                cause: if arg.is_multiple_of(5) { String::new() } else { "案由".into() },
                suggestions: "建议".into(),
                category: "经济建设".into(),
            },
        },
        1 => Action::RestoreRevision { revision: u32::from(arg % 8) },
        2 => Action::Invite { person_id: person },
        3 => Action::RemoveInvitee { person_id: person },
        4 => Action::OpenCoSigning,
        5 => Action::RespondInvitation { accept: !arg.is_multiple_of(3) },
        6 => Action::ReopenDraft,
        7 | 8 => Action::Submit,
        9 => Action::Withdraw { reason: text },
        10 => Action::Register,
        11 => Action::NotRegister { ground: NotRegisteredGround::NoConcreteSuggestion, text },
        12 => Action::ReturnForRevision { note: text },
        13 => Action::Merge { with_id: if arg.is_multiple_of(2) { "p-other".into() } else { "p1".into() } },
        14 => Action::ProposeConversion { to: ConversionTarget::OpinionLetter, note: text },
        15 => Action::RespondConversion { consent: arg.is_multiple_of(2) },
        16 => Action::Assign {
            plan: match arg % 3 {
                0 => AssignmentPlan::Sole { unit_id: unit },
                1 => AssignmentPlan::Parallel { unit_ids: vec![unit, other_unit] },
                _ => AssignmentPlan::Lead { lead_id: unit, supporting_ids: vec![other_unit] },
            },
        },
        17 => Action::AddUnit { unit_id: unit, role: AssignmentRole::Supporting },
        18 => Action::ReturnAssignment { reason: text },
        19 => Action::ExtendDeadline { until: w.now() + Duration::days(i64::from(arg) * 2), reason: text },
        20 => Action::RecordContact { note: text },
        21 => Action::SubmitView { text },
        22 | 23 => Action::Reply { category, text, attachments: Vec::new() },
        24 => Action::ApproveReplies { categories: vec![], note: String::new() },
        25 | 26 => Action::Evaluate { rating, comment: String::new() },
        27 => Action::Close { note: text },
        _ => {
            if arg.is_multiple_of(2) {
                Action::MarkKey { leader: "李副主席".into() }
            } else {
                Action::UnmarkKey
            }
        }
    }
}

fn check_invariants(w: &World, p: &Proposal) {
    // Not one revision lost: 1..=n are all kept and the last is the current text.
    let revs = w.revisions.borrow();
    for n in 1..=p.revision {
        assert!(revs.contains_key(&(p.id.clone(), n)), "revision {n} lost");
    }
    assert_eq!(revs[&(p.id.clone(), p.revision)].content, p.content);
    drop(revs);

    assert!(p.round == 1 || p.round == 2);
    if p.state.is_private() {
        assert_eq!(p.kind, None);
        assert_eq!(p.submitted_at, None);
    } else {
        assert!(p.kind.is_some(), "{:?} without kind", p.state);
    }
    if p.state == S::CoSigning {
        assert!(!p.invitations.is_empty());
    }
    let replying: Vec<&Assignment> = p.active_assignments().filter(|a| a.role.replies()).collect();
    if p.state.is_handling() {
        assert!(p.handling_deadline.is_some());
        assert!(!replying.is_empty(), "handling without a unit that replies");
    }
    if matches!(p.state, S::Replied | S::Evaluating) {
        assert!(replying.iter().all(|a| a.reply.is_some()));
    }
    if matches!(p.state, S::Evaluating | S::AwaitingClosure) {
        assert!(p.replies_approved_at.is_some());
    }
    if p.state == S::AwaitingClosure {
        assert_eq!(p.round, 2);
    }
    if p.state == S::Rehandling {
        assert_eq!(p.round, 2);
    }
    // One evaluation per proposer per round, by proposers only.
    for e in &p.evaluations {
        assert!(p.is_proposer(&e.person_id));
        assert_eq!(p.evaluations.iter().filter(|x| x.person_id == e.person_id && x.round == e.round).count(), 1);
    }
    // A unit is never active twice.
    let mut active: Vec<&str> = p.active_assignments().map(|a| a.unit_id.as_str()).collect();
    let n = active.len();
    active.sort_unstable();
    active.dedup();
    assert_eq!(active.len(), n);
    if p.key.is_some() {
        assert!(p.state.is_registered_and_open() || p.state == S::Closed);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_stay_inside_the_lifecycle(
        steps in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), 0u8..4), 1..120)
    ) {
        let w = World::new();
        let mut p = w.draft();
        let mut recorded = 1; // creation
        for (kind, actor, arg, wait) in steps {
            if wait == 3 {
                w.advance(Duration::days(i64::from(arg % 40)));
            }
            // Mostly the person the action is meant for, sometimes anyone at all.
            let kind = guided_kind(p.state, kind);
            let who = if actor % 4 == 0 { who(&w, actor / 4) } else { natural_actor(&w, kind, arg) };
            let action = action(&w, kind, arg);
            match w.try_act(&p, who, action.clone()) {
                Ok(next) => {
                    prop_assert!(!p.state.is_terminal(), "{:?} left terminal {:?}", action, p.state);
                    if next.state != p.state {
                        prop_assert!(EDGES.contains(&(p.state, next.state)), "{:?} -> {:?} by {:?}", p.state, next.state, action);
                    }
                    check_invariants(&w, &next);
                    if !matches!(action, Action::SaveDraft { .. } | Action::RestoreRevision { .. }) {
                        recorded += 1;
                    }
                    p = next;
                }
                Err(e) => {
                    // A refusal is a readable sentence, never empty.
                    prop_assert!(!e.to_string().is_empty());
                }
            }
        }
        // Every accepted action but saves and restores is in the history chain.
        prop_assert_eq!(p.history_len, recorded);
    }
}
