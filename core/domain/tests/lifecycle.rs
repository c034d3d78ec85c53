//! Every transition of the proposal lifecycle, every role refused where it must be, and every
//! deadline, on the pure state machine.

mod common;

use ProposalState as S;
use chrono::Duration;
use common::World;
use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::lifecycle::Action;
use lvzhi_domain::proposal::*;
use lvzhi_domain::time;

fn content(title: &str) -> ProposalContent {
    ProposalContent {
        attachments: Vec::new(),
        title: title.into(),
        cause: "宾川县部分山区村组饮水工程老化。".into(),
        suggestions: "建议实施农村供水保障提升工程。".into(),
        category: "社会建设".into(),
    }
}

// --- 草稿 ---------------------------------------------------------------------------------

#[test]
fn only_members_create_drafts_in_their_own_organisation() {
    let w = World::new();
    let p = w.draft();
    assert_eq!(p.state, S::Draft);
    assert_eq!(p.revision, 1);
    assert_eq!(p.history_len, 1);
    assert!(matches!(w.create_as(&w.staff, content("关于x的提案")), Err(ProposalError::WrongRole { .. })));
    assert!(matches!(w.create_as(&w.u[0], content("关于x的提案")), Err(ProposalError::WrongRole { .. })));
    let outsider = lvzhi_domain::org::Actor { org_id: "yn-dali".into(), ..common::actor("m-outsider", Role::Member) };
    assert_eq!(w.create_as(&outsider, content("关于x的提案")), Err(ProposalError::OtherOrganisation));
}

#[test]
fn every_save_is_a_revision_and_any_revision_can_be_restored() {
    let w = World::new();
    let p = w.create_as(&w.m[0], content("关于农村饮水的提案")).unwrap();
    let p = w.act(&p, &w.m[0], Action::SaveDraft { content: content("关于加强农村饮水安全保障的提案") });
    let p = w.act(&p, &w.m[0], Action::SaveDraft { content: content("关于饮水的提案（改坏了）") });
    assert_eq!(p.revision, 3);
    // Saves are revisions, not history entries.
    assert_eq!(p.history_len, 1);
    let p = w.act(&p, &w.m[0], Action::RestoreRevision { revision: 2 });
    assert_eq!(p.revision, 4);
    assert_eq!(p.content.title, "关于加强农村饮水安全保障的提案");
    let revs = w.revisions.borrow();
    assert_eq!(revs[&(p.id.clone(), 4)].restored_from, Some(2));
    assert_eq!(revs[&(p.id.clone(), 3)].content.title, "关于饮水的提案（改坏了）");
    drop(revs);
    assert_eq!(
        w.refuse(&p, &w.m[0], Action::RestoreRevision { revision: 9 }),
        ProposalError::NoSuchRevision { revision: 9 }
    );
    assert_eq!(
        w.refuse(&p, &w.m[0], Action::RestoreRevision { revision: 0 }),
        ProposalError::NoSuchRevision { revision: 0 }
    );
}

#[test]
fn only_the_first_proposer_edits_and_nothing_oversized_is_saved() {
    let w = World::new();
    let p = w.draft();
    let e = w.refuse(&p, &w.m[1], Action::SaveDraft { content: content("关于x的提案") });
    assert_eq!(e.to_string(), "只有第一提案人可以保存草稿");
    assert!(matches!(
        w.refuse(&p, &w.staff, Action::SaveDraft { content: content("关于x的提案") }),
        ProposalError::WrongRole { .. }
    ));
    let long = content(&"长".repeat(101));
    let e = w.refuse(&p, &w.m[0], Action::SaveDraft { content: long });
    assert_eq!(e.to_string(), "「标题」不能超过100字");
    // An incomplete draft saves, but cannot be submitted.
    let p = w.act(
        &p,
        &w.m[0],
        Action::SaveDraft { content: ProposalContent { title: "关于".into(), ..Default::default() } },
    );
    let e = w.refuse(&p, &w.m[0], Action::Submit);
    assert_eq!(e.to_string(), "「案由」不能为空");
}

// --- 联名 ---------------------------------------------------------------------------------

#[test]
fn co_signing_waits_for_every_invitee() {
    let w = World::new();
    let p = w.draft();
    assert_eq!(w.refuse(&p, &w.m[0], Action::OpenCoSigning), ProposalError::NoInvitees);
    assert_eq!(
        w.refuse(&p, &w.m[0], Action::Invite { person_id: w.m[0].person_id.clone() }),
        ProposalError::CannotInviteSelf
    );
    let p = w.act(&p, &w.m[0], Action::Invite { person_id: w.m[1].person_id.clone() });
    assert_eq!(
        w.refuse(&p, &w.m[0], Action::Invite { person_id: w.m[1].person_id.clone() }),
        ProposalError::AlreadyInvited
    );
    // Invitees must answer before submission: in a draft they have not even been asked.
    assert_eq!(w.refuse(&p, &w.m[0], Action::Submit), ProposalError::InvitationsPending { pending: 1 });
    let p = w.act(&p, &w.m[0], Action::Invite { person_id: w.m[2].person_id.clone() });
    let p = w.act(&p, &w.m[0], Action::OpenCoSigning);
    assert_eq!(p.state, S::CoSigning);
    // The text is frozen while co-signing.
    assert!(matches!(
        w.refuse(&p, &w.m[0], Action::SaveDraft { content: content("关于x的提案") }),
        ProposalError::WrongState { .. }
    ));
    let p = w.act(&p, &w.m[1], Action::RespondInvitation { accept: true });
    assert_eq!(w.refuse(&p, &w.m[1], Action::RespondInvitation { accept: false }), ProposalError::NoPendingInvitation);
    assert_eq!(w.refuse(&p, &w.m[3], Action::RespondInvitation { accept: true }), ProposalError::NoPendingInvitation);
    let e = w.refuse(&p, &w.m[0], Action::Submit);
    assert_eq!(e.to_string(), "还有1位委员未答复联名邀请，暂不能提交");
    // Removing the silent invitee unblocks submission.
    let p = w.act(&p, &w.m[0], Action::RemoveInvitee { person_id: w.m[2].person_id.clone() });
    assert_eq!(
        w.refuse(&p, &w.m[0], Action::RemoveInvitee { person_id: w.m[2].person_id.clone() }),
        ProposalError::NotInvited
    );
    let p = w.act(&p, &w.m[0], Action::Submit);
    assert_eq!(p.state, S::Submitted);
    assert_eq!(p.proposers().collect::<Vec<_>>(), ["m-zhangming", "m-lihua"]);
}

#[test]
fn removing_the_last_invitee_ends_co_signing() {
    let w = World::new();
    let p = w.co_signing();
    let p = w.act(&p, &w.m[0], Action::RemoveInvitee { person_id: w.m[1].person_id.clone() });
    assert_eq!(p.state, S::CoSigning);
    let p = w.act(&p, &w.m[0], Action::RemoveInvitee { person_id: w.m[2].person_id.clone() });
    assert_eq!(p.state, S::Draft);
    assert_eq!(w.act(&p, &w.m[0], Action::Submit).state, S::Submitted);
}

#[test]
fn reopening_the_draft_asks_everyone_again() {
    let w = World::new();
    let p = w.co_signing();
    let p = w.act(&p, &w.m[1], Action::RespondInvitation { accept: true });
    assert!(matches!(w.refuse(&p, &w.m[1], Action::ReopenDraft), ProposalError::NotFirstProposer { .. }));
    let p = w.act(&p, &w.m[0], Action::ReopenDraft);
    assert_eq!(p.state, S::Draft);
    assert!(p.invitations.iter().all(|i| i.status == InvitationStatus::Pending));
    let p = w.act(&p, &w.m[0], Action::SaveDraft { content: content("关于加强农村饮水安全保障的提案") });
    let p = w.act(&p, &w.m[0], Action::OpenCoSigning);
    assert_eq!(p.state, S::CoSigning);
}

#[test]
fn co_proposers_must_sign_before_the_deadline() {
    let w = World::new();
    let p = w.co_signing();
    w.advance(Duration::days(31));
    let e = w.refuse(&p, &w.m[1], Action::RespondInvitation { accept: true });
    assert!(matches!(e, ProposalError::DeadlinePassed { .. }));
    // Declining is always possible.
    let p = w.act(&p, &w.m[1], Action::RespondInvitation { accept: false });
    assert_eq!(p.invitation("m-lihua").unwrap().status, InvitationStatus::Declined);
}

// --- 提交 ---------------------------------------------------------------------------------

#[test]
fn submission_only_inside_the_window() {
    let w = World::new();
    let p = w.draft();
    let q = w.act(&p, &w.m[0], Action::Submit);
    assert_eq!((q.state, q.kind), (S::Submitted, Some(ProposalKind::Plenary)));
    assert_eq!(q.submitted_at, Some(w.now()));

    w.advance(Duration::days(31));
    let e = w.refuse(&p, &w.m[0], Action::Submit);
    assert_eq!(
        e.to_string(),
        format!("已超过提案截止时间（{}），本次会议不再接收提案", time::display(w.session.proposals_deadline))
    );

    let early = World::new();
    let p = early.draft();
    early.now.set(early.session.proposals_open_at - Duration::minutes(1));
    assert!(matches!(early.refuse(&p, &early.m[0], Action::Submit), ProposalError::WindowNotOpen { .. }));
}

#[test]
fn after_the_deadline_a_session_that_allows_it_files_an_interim_proposal() {
    let mut w = World::new();
    w.session.accepts_interim = true;
    let p = w.draft();
    w.advance(Duration::days(60));
    let p = w.act(&p, &w.m[0], Action::Submit);
    assert_eq!((p.state, p.kind), (S::Submitted, Some(ProposalKind::Interim)));
}

#[test]
fn withdrawal_until_review_decides() {
    let w = World::new();
    let p = w.submitted();
    assert!(matches!(
        w.refuse(&p, &w.m[1], Action::Withdraw { reason: "重复".into() }),
        ProposalError::NotFirstProposer { .. }
    ));
    assert_eq!(
        w.refuse(&p, &w.m[0], Action::Withdraw { reason: " ".into() }),
        ProposalError::EmptyField { field: "撤回原因".into() }
    );
    let q = w.act(&p, &w.m[0], Action::Withdraw { reason: "与其他委员提案重复".into() });
    assert_eq!(q.state, S::Withdrawn);
    let r = w.act(&p, &w.staff, Action::Register);
    let e = w.refuse(&r, &w.m[0], Action::Withdraw { reason: "想撤回".into() });
    assert_eq!(e.to_string(), "提案当前为「已立案」状态，不能撤回提案");
}

// --- 审查 ---------------------------------------------------------------------------------

#[test]
fn review_is_for_proposal_staff_of_the_same_organisation() {
    let w = World::new();
    let p = w.submitted();
    for who in [&w.m[0], &w.m[3], &w.u[0], &w.admin] {
        assert!(matches!(w.refuse(&p, who, Action::Register), ProposalError::WrongRole { .. }), "{who:?}");
    }
    let e = w.refuse(&p, &w.other_staff, Action::Register);
    assert_eq!(e, ProposalError::OtherOrganisation);
    assert_eq!(e.to_string(), "只能处理本组织的提案");
    assert_eq!(w.act(&p, &w.staff, Action::Register).state, S::Registered);
    // Nothing to review in a draft.
    assert!(matches!(w.refuse(&w.draft(), &w.staff, Action::Register), ProposalError::WrongState { .. }));
}

#[test]
fn not_registered_with_a_ground_from_the_list_and_text() {
    let w = World::new();
    let p = w.submitted();
    assert_eq!(
        w.refuse(
            &p,
            &w.staff,
            Action::NotRegister { ground: NotRegisteredGround::PersonalAffairs, text: String::new() }
        ),
        ProposalError::EmptyField { field: "不予立案说明".into() }
    );
    let p = w.act(
        &p,
        &w.staff,
        Action::NotRegister {
            ground: NotRegisteredGround::PersonalAffairs,
            text: "反映的是个人住房问题，建议通过信访渠道反映。".into(),
        },
    );
    assert_eq!(p.state, S::NotRegistered);
    assert_eq!(p.not_registered.as_ref().unwrap().0, NotRegisteredGround::PersonalAffairs);
    assert!(p.state.is_terminal());
}

#[test]
fn returned_for_revision_goes_back_to_draft_with_the_note() {
    let w = World::new();
    let p = w.submitted();
    let p = w.act(&p, &w.staff, Action::ReturnForRevision { note: "建议部分请细化到具体措施".into() });
    assert_eq!(p.state, S::Draft);
    assert_eq!(p.staff_note.as_deref(), Some("建议部分请细化到具体措施"));
    assert_eq!(p.kind, None);
    let p = w.act(&p, &w.m[0], Action::SaveDraft { content: content("关于加强农村饮水安全保障的提案") });
    // The co-proposers sign the revised text again.
    assert_eq!(w.refuse(&p, &w.m[0], Action::Submit), ProposalError::InvitationsPending { pending: 2 });
    let p = w.act(&p, &w.m[0], Action::OpenCoSigning);
    assert!(p.invitations.iter().all(|i| i.status == InvitationStatus::Pending));
    let p = w.act(&p, &w.m[1], Action::RespondInvitation { accept: true });
    let p = w.act(&p, &w.m[2], Action::RespondInvitation { accept: true });
    let p = w.act(&p, &w.m[0], Action::Submit);
    assert_eq!(p.state, S::Submitted);
    assert_eq!(p.staff_note, None);
}

#[test]
fn merge_registers_and_links() {
    let w = World::new();
    let a = w.submitted();
    assert_eq!(w.refuse(&a, &w.staff, Action::Merge { with_id: a.id.clone() }), ProposalError::MergeWithSelf);
    let a = w.act(&a, &w.staff, Action::Merge { with_id: "p-other".into() });
    assert_eq!(a.state, S::Registered);
    assert_eq!(a.merged_with, ["p-other"]);
    let b = w.registered();
    let b = w.act(&b, &w.staff, Action::LinkMerged { with_id: a.id.clone() });
    assert_eq!(b.state, S::Registered);
    assert_eq!(w.refuse(&b, &w.staff, Action::LinkMerged { with_id: a.id.clone() }), ProposalError::AlreadyMerged);
}

#[test]
fn conversion_only_with_the_proposers_consent() {
    let w = World::new();
    let p = w.submitted();
    let p = w.act(
        &p,
        &w.staff,
        Action::ProposeConversion {
            to: ConversionTarget::SocialConditionReport,
            note: "内容更适合以社情民意信息报送".into(),
        },
    );
    assert_eq!(p.state, S::ConversionPending);
    // Staff cannot consent for the member; a co-proposer cannot either.
    assert!(matches!(
        w.refuse(&p, &w.staff, Action::RespondConversion { consent: true }),
        ProposalError::WrongRole { .. }
    ));
    assert!(matches!(
        w.refuse(&p, &w.m[1], Action::RespondConversion { consent: true }),
        ProposalError::NotFirstProposer { .. }
    ));
    let declined = w.act(&p, &w.m[0], Action::RespondConversion { consent: false });
    assert_eq!(declined.state, S::Submitted);
    assert_eq!(declined.conversion, None);
    let converted = w.act(&p, &w.m[0], Action::RespondConversion { consent: true });
    assert_eq!(converted.state, S::Converted);
    assert_eq!(converted.converted_to, Some(ConversionTarget::SocialConditionReport));
    // Still pending: the member may withdraw instead.
    assert_eq!(w.act(&p, &w.m[0], Action::Withdraw { reason: "自行撤回".into() }).state, S::Withdrawn);
}

// --- 交办 ---------------------------------------------------------------------------------

#[test]
fn assignment_modes_and_their_checks() {
    let w = World::new();
    let p = w.registered();
    let bad = |plan| w.refuse(&p, &w.staff, Action::Assign { plan });
    assert!(matches!(
        bad(AssignmentPlan::Parallel { unit_ids: vec!["u-agri".into()] }),
        ProposalError::InvalidAssignment { .. }
    ));
    assert!(matches!(
        bad(AssignmentPlan::Lead { lead_id: "u-agri".into(), supporting_ids: vec![] }),
        ProposalError::InvalidAssignment { .. }
    ));
    let e = bad(AssignmentPlan::Parallel { unit_ids: vec!["u-agri".into(), "u-agri".into()] });
    assert_eq!(e.to_string(), "交办方案有误：同一单位不能重复交办");

    let sole = w.act(&p, &w.staff, Action::Assign { plan: AssignmentPlan::Sole { unit_id: "u-agri".into() } });
    assert_eq!(sole.state, S::Handling);
    assert_eq!(sole.handling_deadline, Some(time::add_months(w.now(), 3)));
    let parallel = w.act(
        &p,
        &w.staff,
        Action::Assign { plan: AssignmentPlan::Parallel { unit_ids: vec!["u-agri".into(), "u-water".into()] } },
    );
    assert_eq!(parallel.assignments.len(), 2);
    assert!(parallel.assignments.iter().all(|a| a.role == AssignmentRole::Parallel));
    let lead = w.handling_lead();
    assert_eq!(lead.assignments[0].role, AssignmentRole::Lead);
    assert_eq!(lead.assignments[1].role, AssignmentRole::Supporting);
    assert!(matches!(
        w.refuse(&p, &w.m[0], Action::Assign { plan: AssignmentPlan::Sole { unit_id: "u-agri".into() } }),
        ProposalError::WrongRole { .. }
    ));
}

#[test]
fn a_unit_returns_a_wrong_assignment_within_seven_days_and_staff_reassign() {
    let w = World::new();
    let p = w.handling();
    // Another unit cannot return it; the unit cannot pass it on itself.
    assert_eq!(
        w.refuse(&p, &w.u[1], Action::ReturnAssignment { reason: "不是我们".into() }),
        ProposalError::UnitNotAssigned
    );
    w.advance(Duration::days(7));
    let p2 = w.act(&p, &w.u[0], Action::ReturnAssignment { reason: "饮水工程属于水务局职责".into() });
    assert_eq!(p2.state, S::Registered);
    assert_eq!(p2.flags(w.now(), &w.settings), [ProposalFlag::NeedsReassignment]);
    assert_eq!(p2.handling_deadline, None);
    let p3 = w.act(&p2, &w.staff, Action::Assign { plan: AssignmentPlan::Sole { unit_id: "u-water".into() } });
    assert_eq!(p3.state, S::Handling);
    assert_eq!(p3.active_assignments().count(), 1);
    assert_eq!(p3.assignments.len(), 2, "the returned assignment stays on record");
    // One day too late.
    w.advance(Duration::days(1));
    let e = w.refuse(&p, &w.u[0], Action::ReturnAssignment { reason: "饮水工程属于水务局职责".into() });
    assert_eq!(e.to_string(), "交办已超过7天，不能退回；请与提案委员会联系");
}

#[test]
fn the_return_window_is_configurable() {
    let mut w = World::new();
    w.settings.return_window_days = 3;
    let p = w.handling();
    w.advance(Duration::days(4));
    assert_eq!(
        w.refuse(&p, &w.u[0], Action::ReturnAssignment { reason: "不属于本单位职责".into() }),
        ProposalError::ReturnWindowPassed { days: 3 }
    );
}

#[test]
fn a_supporting_unit_returning_leaves_the_lead_working_and_staff_add_another() {
    let w = World::new();
    let p = w.handling_lead();
    let p = w.act(&p, &w.u[1], Action::ReturnAssignment { reason: "与本单位无关".into() });
    assert_eq!(p.state, S::Handling);
    assert!(matches!(
        w.refuse(&p, &w.staff, Action::AddUnit { unit_id: "u-agri".into(), role: AssignmentRole::Supporting }),
        ProposalError::InvalidAssignment { .. }
    ));
    assert!(matches!(
        w.refuse(&p, &w.staff, Action::AddUnit { unit_id: "u-finance".into(), role: AssignmentRole::Sole }),
        ProposalError::InvalidAssignment { .. }
    ));
    let p = w.act(&p, &w.staff, Action::AddUnit { unit_id: "u-finance".into(), role: AssignmentRole::Supporting });
    assert_eq!(p.active_assignments().count(), 2);
}

// --- 办理 ---------------------------------------------------------------------------------

#[test]
fn handling_is_three_months_with_one_extension_up_to_six() {
    let w = World::new();
    let p = w.handling();
    let start = w.now();
    assert!(p.flags(start, &w.settings).is_empty());
    let overdue_at = time::add_months(start, 3) + Duration::minutes(1);
    assert!(p.flags(overdue_at, &w.settings).contains(&ProposalFlag::Overdue));

    let too_long = time::add_months(start, 6) + Duration::days(1);
    assert_eq!(
        w.refuse(&p, &w.staff, Action::ExtendDeadline { until: too_long, reason: "需跨年度协调资金".into() }),
        ProposalError::ExtensionTooLong { max_months: 6 }
    );
    assert_eq!(
        w.refuse(&p, &w.staff, Action::ExtendDeadline { until: start, reason: "需跨年度协调资金".into() }),
        ProposalError::ExtensionNotLater
    );
    assert_eq!(
        w.refuse(&p, &w.staff, Action::ExtendDeadline { until: time::add_months(start, 5), reason: String::new() }),
        ProposalError::EmptyField { field: "延期理由".into() }
    );
    assert!(matches!(
        w.refuse(&p, &w.u[0], Action::ExtendDeadline { until: time::add_months(start, 5), reason: "x".into() }),
        ProposalError::WrongRole { .. }
    ));
    let p = w.act(
        &p,
        &w.staff,
        Action::ExtendDeadline { until: time::add_months(start, 6), reason: "需跨年度协调资金".into() },
    );
    assert_eq!(p.handling_deadline, Some(time::add_months(start, 6)));
    assert!(!p.flags(overdue_at, &w.settings).contains(&ProposalFlag::Overdue));
    assert!(p.flags(time::add_months(start, 6) + Duration::minutes(1), &w.settings).contains(&ProposalFlag::Overdue));
    assert_eq!(
        w.refuse(&p, &w.staff, Action::ExtendDeadline { until: time::add_months(start, 6), reason: "再延".into() }),
        ProposalError::ExtensionUsed
    );
}

#[test]
fn a_missed_fifteen_working_day_contact_is_flagged() {
    let w = World::new();
    let p = w.handling();
    let start = w.now(); // Friday 2027-01-15
    let due = time::add_working_days(start, 15); // Friday 2027-02-05, end of day
    assert_eq!(time::display(due), "2027-02-05 23:59");
    assert!(!p.flags(due, &w.settings).contains(&ProposalFlag::FirstContactOverdue));
    assert!(p.flags(due + Duration::minutes(1), &w.settings).contains(&ProposalFlag::FirstContactOverdue));
    let contacted = w.act(&p, &w.u[0], Action::RecordContact { note: "到张明委员所在村实地调研".into() });
    assert!(!contacted.flags(due + Duration::days(1), &w.settings).contains(&ProposalFlag::FirstContactOverdue));
    // The first contact is kept, later ones do not move it.
    w.advance(Duration::days(3));
    let again = w.act(&contacted, &w.u[0], Action::RecordContact { note: "再次电话沟通".into() });
    assert_eq!(again.assignments[0].first_contact_at, Some(start));
}

#[test]
fn parallel_units_each_reply() {
    let w = World::new();
    let p = w.registered();
    let p = w.act(
        &p,
        &w.staff,
        Action::Assign { plan: AssignmentPlan::Parallel { unit_ids: vec!["u-agri".into(), "u-water".into()] } },
    );
    let p = w.act(
        &p,
        &w.u[0],
        Action::Reply { category: ReplyCategory::A, text: "已落实。".into(), attachments: Vec::new() },
    );
    assert_eq!(p.state, S::Handling);
    assert_eq!(
        w.refuse(
            &p,
            &w.u[0],
            Action::Reply { category: ReplyCategory::A, text: "再答".into(), attachments: Vec::new() }
        ),
        ProposalError::AlreadyReplied
    );
    let p = w.act(
        &p,
        &w.u[1],
        Action::Reply { category: ReplyCategory::B, text: "正在推进。".into(), attachments: Vec::new() },
    );
    assert_eq!(p.state, S::Replied);
}

#[test]
fn the_lead_replies_with_the_supporting_views_attached() {
    let w = World::new();
    let p = w.handling_lead();
    assert_eq!(
        w.refuse(
            &p,
            &w.u[1],
            Action::Reply { category: ReplyCategory::A, text: "答复".into(), attachments: Vec::new() }
        ),
        ProposalError::SupportingUnitCannotReply
    );
    assert_eq!(w.refuse(&p, &w.u[0], Action::SubmitView { text: "意见".into() }), ProposalError::NotSupportingUnit);
    let p = w.act(&p, &w.u[1], Action::SubmitView { text: "水务局将配合实施供水管网改造。".into() });
    let p = w.act(
        &p,
        &w.u[0],
        Action::Reply {
            category: ReplyCategory::A, text: "已会同水务局落实。".into(), attachments: Vec::new()
        },
    );
    assert_eq!(p.state, S::Replied);
    let reply = p.assignments[0].reply.as_ref().unwrap();
    assert_eq!(reply.supporting_views.len(), 1);
    assert_eq!(reply.supporting_views[0].unit_id, "u-water");
    // A unit that already replied cannot return it any more.
    let q = w.handling();
    let q = w.act(
        &q,
        &w.u[0],
        Action::Reply { category: ReplyCategory::A, text: "已落实。".into(), attachments: Vec::new() },
    );
    assert_eq!(q.state, S::Replied);
}

// --- 答复、测评、办结 ---------------------------------------------------------------------

#[test]
fn staff_approve_replies_and_may_change_the_category() {
    let w = World::new();
    let p = w.replied();
    assert!(matches!(
        w.refuse(&p, &w.m[0], Action::ApproveReplies { categories: vec![], note: String::new() }),
        ProposalError::WrongRole { .. }
    ));
    assert_eq!(
        w.refuse(
            &p,
            &w.staff,
            Action::ApproveReplies { categories: vec![("u-water".into(), ReplyCategory::A)], note: String::new() }
        ),
        ProposalError::NoSuchReply
    );
    let p = w.act(
        &p,
        &w.staff,
        Action::ApproveReplies { categories: vec![("u-agri".into(), ReplyCategory::C)], note: "仅作参考".into() },
    );
    assert_eq!(p.state, S::Evaluating);
    let reply = p.assignments[0].reply.as_ref().unwrap();
    assert_eq!((reply.category, reply.approved_category), (ReplyCategory::B, Some(ReplyCategory::C)));
}

#[test]
fn every_proposer_evaluates_and_satisfaction_closes() {
    let w = World::new();
    let p = w.evaluating();
    assert!(
        matches!(
            w.refuse(&p, &w.m[2], Action::Evaluate { rating: Rating::Satisfied, comment: String::new() }),
            ProposalError::NotAProposer { .. }
        ),
        "王芳 declined to co-sign"
    );
    assert!(matches!(
        w.refuse(&p, &w.staff, Action::Evaluate { rating: Rating::Satisfied, comment: String::new() }),
        ProposalError::WrongRole { .. }
    ));
    let p = w.act(&p, &w.m[0], Action::Evaluate { rating: Rating::Satisfied, comment: "办理认真".into() });
    assert_eq!(p.state, S::Evaluating);
    assert_eq!(
        w.refuse(&p, &w.m[0], Action::Evaluate { rating: Rating::Satisfied, comment: String::new() }),
        ProposalError::AlreadyEvaluated
    );
    let p = w.act(&p, &w.m[1], Action::Evaluate { rating: Rating::BasicallySatisfied, comment: String::new() });
    assert_eq!(p.state, S::Closed);
}

#[test]
fn unsatisfied_sends_it_back_once_then_staff_close_with_a_note() {
    let w = World::new();
    let p = w.rehandling();
    assert_eq!((p.state, p.round), (S::Rehandling, 2));
    assert_eq!(p.handling_deadline, Some(time::add_months(w.now(), 3)));
    assert!(p.assignments[0].reply.is_none(), "the unit writes a new reply");
    let p = w.awaiting_closure();
    assert_eq!(p.state, S::AwaitingClosure);
    assert_eq!(
        w.refuse(&p, &w.staff, Action::Close { note: String::new() }),
        ProposalError::EmptyField { field: "办结说明".into() }
    );
    assert!(matches!(w.refuse(&p, &w.m[0], Action::Close { note: "x".into() }), ProposalError::WrongRole { .. }));
    let p = w.act(&p, &w.staff, Action::Close { note: "已两次办理，作办结处理并说明情况".into() });
    assert_eq!(p.state, S::Closed);
    assert_eq!(p.evaluations.len(), 4);
}

#[test]
fn staff_close_a_silent_evaluation_only_after_its_window() {
    let w = World::new();
    let p = w.evaluating();
    let p = w.act(&p, &w.m[0], Action::Evaluate { rating: Rating::Satisfied, comment: String::new() });
    assert_eq!(w.refuse(&p, &w.staff, Action::Close { note: "逾期未测评".into() }), ProposalError::EvaluationOpen);
    w.now.set(time::add_working_days(w.now(), 15) + Duration::minutes(1));
    assert!(p.flags(w.now(), &w.settings).contains(&ProposalFlag::EvaluationOverdue));
    let p = w.act(&p, &w.staff, Action::Close { note: "李华委员逾期未测评，视为满意".into() });
    assert_eq!(p.state, S::Closed);
}

#[test]
fn key_proposals_are_flagged_by_staff_after_registration() {
    let w = World::new();
    let s = w.submitted();
    assert!(matches!(
        w.refuse(&s, &w.staff, Action::MarkKey { leader: "李副主席".into() }),
        ProposalError::WrongState { .. }
    ));
    let p = w.handling();
    assert!(matches!(
        w.refuse(&p, &w.m[0], Action::MarkKey { leader: "李副主席".into() }),
        ProposalError::WrongRole { .. }
    ));
    assert_eq!(
        w.refuse(&p, &w.staff, Action::MarkKey { leader: " ".into() }),
        ProposalError::EmptyField { field: "督办领导".into() }
    );
    let p = w.act(&p, &w.staff, Action::MarkKey { leader: "县政协李副主席".into() });
    assert_eq!(p.key.as_ref().unwrap().leader, "县政协李副主席");
    assert!(p.flags(w.now(), &w.settings).contains(&ProposalFlag::Key));
    assert_eq!(w.refuse(&p, &w.staff, Action::MarkKey { leader: "另一位".into() }), ProposalError::AlreadyKey);
    let p = w.act(&p, &w.staff, Action::UnmarkKey);
    assert_eq!(w.refuse(&p, &w.staff, Action::UnmarkKey), ProposalError::NotKey);
    let c = w.closed();
    assert!(matches!(
        w.refuse(&c, &w.staff, Action::MarkKey { leader: "李副主席".into() }),
        ProposalError::WrongState { .. }
    ));
}

// --- The whole table ------------------------------------------------------------------------

/// For a proposal in each state, try every action with the actor most entitled to it: exactly
/// the actions in the table are accepted; everything else is refused (never a panic).
#[test]
fn the_transition_table_is_exactly_what_the_rules_allow() {
    let w = World::new();
    let states: Vec<(S, Proposal)> = vec![
        (S::Draft, {
            let p = w.draft();
            w.act(&p, &w.m[0], Action::Invite { person_id: "m-lihua".into() })
        }),
        (S::CoSigning, w.co_signing()),
        (S::Submitted, w.submitted()),
        (S::ConversionPending, {
            let p = w.submitted();
            w.act(
                &p,
                &w.staff,
                Action::ProposeConversion { to: ConversionTarget::OpinionLetter, note: "改为意见函".into() },
            )
        }),
        (S::Registered, w.registered()),
        (S::Handling, w.handling_lead()),
        (S::Replied, w.replied()),
        (S::Evaluating, w.evaluating()),
        (S::Rehandling, {
            let p = w.handling_lead();
            let p = w.act(
                &p,
                &w.u[0],
                Action::Reply { category: ReplyCategory::B, text: "正在推进。".into(), attachments: Vec::new() },
            );
            let p = w.act(&p, &w.staff, Action::ApproveReplies { categories: vec![], note: String::new() });
            let p = w.act(&p, &w.m[0], Action::Evaluate { rating: Rating::Unsatisfied, comment: "不满意".into() });
            w.act(&p, &w.m[1], Action::Evaluate { rating: Rating::Satisfied, comment: String::new() })
        }),
        (S::AwaitingClosure, w.awaiting_closure()),
        (S::Closed, w.closed()),
        (S::NotRegistered, {
            let p = w.submitted();
            w.act(
                &p,
                &w.staff,
                Action::NotRegister { ground: NotRegisteredGround::AcademicDiscussion, text: "学术探讨".into() },
            )
        }),
        (S::Withdrawn, {
            let p = w.submitted();
            w.act(&p, &w.m[0], Action::Withdraw { reason: "撤回".into() })
        }),
        (S::Converted, {
            let p = w.submitted();
            let p = w.act(
                &p,
                &w.staff,
                Action::ProposeConversion { to: ConversionTarget::OpinionLetter, note: "改为意见函".into() },
            );
            w.act(&p, &w.m[0], Action::RespondConversion { consent: true })
        }),
    ];
    assert_eq!(states.len(), S::ALL.len());
    for (state, p) in &states {
        assert_eq!(p.state, *state);
    }

    let later = w.now() + Duration::days(1);
    let actions: Vec<(&str, &lvzhi_domain::org::Actor, Action)> = vec![
        ("save_draft", &w.m[0], Action::SaveDraft { content: content("关于x的提案") }),
        ("restore_revision", &w.m[0], Action::RestoreRevision { revision: 1 }),
        ("invite", &w.m[0], Action::Invite { person_id: "m-zhaoqiang".into() }),
        ("remove_invitee", &w.m[0], Action::RemoveInvitee { person_id: "m-lihua".into() }),
        ("open_co_signing", &w.m[0], Action::OpenCoSigning),
        ("respond_invitation", &w.m[1], Action::RespondInvitation { accept: true }),
        ("reopen_draft", &w.m[0], Action::ReopenDraft),
        ("withdraw", &w.m[0], Action::Withdraw { reason: "撤回".into() }),
        ("register", &w.staff, Action::Register),
        (
            "not_register",
            &w.staff,
            Action::NotRegister { ground: NotRegisteredGround::StateSecrets, text: "涉密".into() },
        ),
        ("return_for_revision", &w.staff, Action::ReturnForRevision { note: "请修改".into() }),
        ("merge", &w.staff, Action::Merge { with_id: "p-other".into() }),
        ("link_merged", &w.staff, Action::LinkMerged { with_id: "p-other".into() }),
        (
            "propose_conversion",
            &w.staff,
            Action::ProposeConversion { to: ConversionTarget::SocialConditionReport, note: "转".into() },
        ),
        ("respond_conversion", &w.m[0], Action::RespondConversion { consent: false }),
        ("assign", &w.staff, Action::Assign { plan: AssignmentPlan::Sole { unit_id: "u-finance".into() } }),
        ("add_unit", &w.staff, Action::AddUnit { unit_id: "u-finance".into(), role: AssignmentRole::Supporting }),
        ("return_assignment", &w.u[0], Action::ReturnAssignment { reason: "非本单位职责".into() }),
        (
            "extend_deadline",
            &w.staff,
            Action::ExtendDeadline { until: time::add_months(later, 4), reason: "延期".into() },
        ),
        ("record_contact", &w.u[0], Action::RecordContact { note: "联系".into() }),
        ("submit_view", &w.u[1], Action::SubmitView { text: "会办意见".into() }),
        ("reply", &w.u[0], Action::Reply { category: ReplyCategory::A, text: "答复".into(), attachments: Vec::new() }),
        ("approve_replies", &w.staff, Action::ApproveReplies { categories: vec![], note: String::new() }),
        ("evaluate", &w.m[0], Action::Evaluate { rating: Rating::Satisfied, comment: String::new() }),
        ("close", &w.staff, Action::Close { note: "办结".into() }),
        ("mark_key", &w.staff, Action::MarkKey { leader: "李副主席".into() }),
        ("unmark_key", &w.staff, Action::UnmarkKey),
        ("submit", &w.m[0], Action::Submit),
    ];
    let allowed: &[(S, &[&str])] = &[
        (S::Draft, &["save_draft", "restore_revision", "invite", "remove_invitee", "open_co_signing"]),
        (S::CoSigning, &["invite", "remove_invitee", "respond_invitation", "reopen_draft"]),
        (
            S::Submitted,
            &[
                "withdraw",
                "register",
                "not_register",
                "return_for_revision",
                "merge",
                "link_merged",
                "propose_conversion",
            ],
        ),
        (S::ConversionPending, &["withdraw", "respond_conversion"]),
        (S::Registered, &["assign", "link_merged", "mark_key"]),
        (
            S::Handling,
            &[
                "add_unit",
                "return_assignment",
                "extend_deadline",
                "record_contact",
                "submit_view",
                "reply",
                "link_merged",
                "mark_key",
            ],
        ),
        (S::Replied, &["approve_replies", "mark_key"]),
        (S::Evaluating, &["evaluate", "mark_key"]),
        (S::Rehandling, &["add_unit", "record_contact", "submit_view", "reply", "link_merged", "mark_key"]),
        (S::AwaitingClosure, &["close", "mark_key"]),
        (S::Closed, &[]),
        (S::NotRegistered, &[]),
        (S::Withdrawn, &[]),
        (S::Converted, &[]),
    ];
    for (state, p) in &states {
        let ok_here = allowed.iter().find(|(s, _)| s == state).unwrap().1;
        for (code, who, action) in &actions {
            assert_eq!(action.code(), *code);
            let result = w.try_act(p, who, action.clone());
            let expected = ok_here.contains(code);
            assert_eq!(result.is_ok(), expected, "{code} in {state:?}: {:?}", result.as_ref().map(|q| q.state));
            if let Err(e) = result {
                assert!(!e.to_string().is_empty());
            }
        }
    }
}
