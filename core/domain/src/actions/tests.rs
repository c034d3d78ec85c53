use std::collections::HashSet;

use super::*;
use crate::form::{FormValue, InputKind};

/// Values a person could send for `form`: the first option of a choice (or a stand-in id when
/// the item's options are not filled in), a date, the smallest number, some text.
fn sample(form: &ActionForm) -> Vec<FormValue> {
    form.inputs
        .iter()
        .map(|i| {
            let v = match &i.kind {
                InputKind::Text { .. } => "已与承办单位电话沟通".to_string(),
                InputKind::Choice { options, .. } => match options.first() {
                    Some(o) => o.value.clone(),
                    None if i.key == keys::DESTINATIONS => "cppcc/prefecture/yn-29".into(),
                    None => "1".into(),
                },
                InputKind::Person { .. } => "yn-zhangming".into(),
                InputKind::Date => "2026-12-31".into(),
                InputKind::Number { min, .. } => min.to_string(),
            };
            FormValue::new(i.key.clone(), v)
        })
        .collect()
}

#[test]
fn every_action_is_described_in_chinese_with_a_code_that_names_it_back() {
    let mut codes = HashSet::new();
    for kind in ActionKind::ALL {
        let form = describe(kind);
        assert!(form.label.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{kind:?}: {}", form.label);
        for input in &form.inputs {
            assert!(!input.label.is_empty() && !input.key.is_empty(), "{kind:?}");
        }
        assert!(codes.insert(kind.code()), "{kind:?}");
        assert_eq!(ActionKind::from_code(&kind.code()), Some(kind));
    }
    assert_eq!(ActionKind::ProposalExtendDeadline.code(), "proposal-extend-deadline");
    // Labels are unique among the actions on one kind of item: a person tells buttons apart.
    let mut labels = HashSet::new();
    for kind in ActionKind::ALL {
        assert!(labels.insert((kind.item(), describe(kind).label)), "{kind:?}");
    }
}

#[test]
fn every_action_parses_from_what_a_shell_sends_and_refuses_a_missing_input() {
    for kind in ActionKind::ALL {
        let form = describe(kind);
        parse(&form, &sample(&form)).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        if let Some(required) = form.inputs.iter().find(|i| i.required) {
            let without: Vec<FormValue> = sample(&form).into_iter().filter(|v| v.key != required.key).collect();
            let err = parse(&form, &without).unwrap_err();
            assert_eq!(err.to_string(), format!("请填写「{}」", required.label), "{kind:?}");
        }
    }
}

#[test]
fn proposal_forms_make_the_lifecycle_actions_the_old_screens_made() {
    let assign = describe(ActionKind::ProposalAssign);
    let values = [FormValue::new("mode", "lead"), FormValue::new("units", "yn-fgw"), FormValue::new("units", "yn-jyt")];
    assert_eq!(
        parse(&assign, &values).unwrap(),
        Command::Proposal(Action::Assign {
            plan: crate::proposal::AssignmentPlan::Lead {
                lead_id: "yn-fgw".into(),
                supporting_ids: vec!["yn-jyt".into()]
            }
        })
    );
    let sole = [FormValue::new("mode", "sole"), values[1].clone(), values[2].clone()];
    assert_eq!(parse(&assign, &sole).unwrap_err().to_string(), "「承办单位」只能选择一项");

    // 延期至 a day means the end of that day in China.
    let extend = describe(ActionKind::ProposalExtendDeadline);
    let Command::Proposal(Action::ExtendDeadline { until, reason }) =
        parse(&extend, &[FormValue::new("until", "2027-03-31"), FormValue::new("reason", "需跨部门协调")]).unwrap()
    else {
        panic!()
    };
    assert_eq!(crate::time::display(until), "2027-03-31 23:59");
    assert_eq!(reason, "需跨部门协调");

    // The labels are the lifecycle's, so 「不能撤回提案」 names the button pressed.
    assert_eq!(describe(ActionKind::ProposalWithdraw).label, "撤回提案");
    assert_eq!(describe(ActionKind::ProposalAcceptInvitation).label, "同意联名");
}

#[test]
fn a_form_with_its_options_filled_refuses_a_value_it_did_not_offer() {
    let mut merge = describe(ActionKind::ProposalMerge);
    if let Some(InputKind::Choice { options, .. }) = merge.input_mut("proposal").map(|i| &mut i.kind) {
        options.push(crate::form::ChoiceOption::new("p-2", "关于加强乡村学校师资的建议"));
    }
    assert!(parse(&merge, &[FormValue::new("proposal", "p-2")]).is_ok());
    assert!(matches!(parse(&merge, &[FormValue::new("proposal", "p-9")]), Err(FormError::NotAnOption { .. })));
}

#[test]
fn a_destination_travels_as_its_code_and_back() {
    use crate::consult::report::{Body, Destination, Level};
    let d = Destination { body: Body::PartyCommittee, level: Level::Prefecture, org_id: "yn-29".into() };
    assert_eq!(destination_code(&d), "party_committee/prefecture/yn-29");
    let form = describe(ActionKind::ReportSendUp);
    let sent = [FormValue::new("destinations", destination_code(&d)), FormValue::new("date", "2026-12-07")];
    let Command::ReportSendUp { destinations, date_ms } = parse(&form, &sent).unwrap() else { panic!() };
    assert_eq!(destinations, std::slice::from_ref(&d));
    assert_eq!(date_ms.map(|ms| crate::time::display(crate::time::from_millis(ms))), Some("2026-12-07 00:00".into()));
    // Without a date, 报送 is dated when it is taken.
    let today = [FormValue::new("destinations", destination_code(&d))];
    assert!(matches!(parse(&form, &today).unwrap(), Command::ReportSendUp { date_ms: None, .. }));
    let bad = [FormValue::new("destinations", "cppcc/galaxy/yn-29"), FormValue::new("date", "2026-12-07")];
    assert!(matches!(parse(&form, &bad), Err(FormError::NotAnOption { .. })));
}
