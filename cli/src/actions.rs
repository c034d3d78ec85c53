//! Actions in the terminal: the core's forms ([`ActionForm`]) read from the command line, so
//! the shell names no label, choice or limit of its own. Arguments fill the form's inputs in
//! order — a choice by its value or its label, a person by id or name, the last text input
//! takes the rest of the line, a many-choice the remaining words — or by `键=值`.

use lvzhi_client::{ActionForm, ActionKind, Client, FormValue, InputKind};
use lvzhi_domain::form::{NO, YES};

use crate::{err, find_person};

/// The proposal actions by the short words `lvzhi do` takes (the action's code without
/// `proposal-`, and a few older, shorter ones), with values the word already implies.
pub(crate) fn proposal_action(word: &str) -> Option<(ActionKind, Vec<FormValue>)> {
    let alias = |code: &str| ActionKind::from_code(&format!("proposal-{code}"));
    let mode = |m: &str| vec![FormValue::new("mode", m)];
    let (kind, given) = match word {
        "cosign" => (alias("open-co-signing")?, vec![]),
        "accept" => (alias("accept-invitation")?, vec![]),
        "decline" => (alias("decline-invitation")?, vec![]),
        "remove" => (alias("remove-invitee")?, vec![]),
        "reopen" => (alias("reopen-draft")?, vec![]),
        "restore" => (alias("restore-revision")?, vec![]),
        "return" => (alias("return-for-revision")?, vec![]),
        "convert" => (alias("propose-conversion")?, vec![]),
        "assign" => (alias("assign")?, mode("sole")),
        "parallel" => (alias("assign")?, mode("parallel")),
        "lead" => (alias("assign")?, mode("lead")),
        "extend" => (alias("extend-deadline")?, vec![]),
        "approve" => (alias("approve-replies")?, vec![]),
        "contact" => (alias("record-contact")?, vec![]),
        "view" => (alias("submit-view")?, vec![]),
        other => (alias(other)?, vec![]),
    };
    Some((kind, given))
}

/// The shell's words for actions on notices, meetings, the record, topics, study and chat:
/// the action each names, the values its flags or a leading word imply, and how many words
/// after the item's id that leading word takes (`decide-report 编号 accept|return 理由`).
pub(crate) fn alias(word: &str, cmd: &[String]) -> Option<(ActionKind, Vec<FormValue>, usize)> {
    use ActionKind as K;
    let flag = |f: &str| cmd.iter().any(|w| w == f);
    let kind = match word {
        "answer" => K::NoticeAnswer,
        "withdraw-notice" => K::NoticeWithdraw,
        "attend" => K::MeetingAttend,
        "leave" => K::MeetingAskLeave,
        "signup" => K::MeetingSignUp,
        "cancel" => K::MeetingCancelSignUp,
        "checkin" => K::MeetingCheckIn,
        "approve-leave" => {
            let decision = if flag("--refuse") { NO } else { YES };
            return Some((K::MeetingDecideLeave, vec![FormValue::new("decision", decision)], 0));
        }
        "checkin-for" => K::MeetingCheckInPerson,
        "absent" => K::MeetingMarkAbsent,
        "cancel-meeting" => K::MeetingCancel,
        "speak" => K::MeetingApplyToSpeak,
        "order-speakers" => K::MeetingOrderSpeakers,
        "spoke" => K::MeetingMarkSpoke,
        "decide-report" => {
            let kind = match cmd.get(2).map(String::as_str) {
                Some("accept") => K::SelfReportAccept,
                Some("return") => K::SelfReportRefuse,
                _ => return None,
            };
            return Some((kind, Vec::new(), 1));
        }
        "answer-feedback" => K::FeedbackAnswer,
        "second" => K::PostSecond,
        "hide-post" => K::PostHide,
        "close-topic" => K::TopicClose,
        "summary" => K::TopicSummarise,
        "studied" => K::MaterialMarkStudied,
        "withdraw-news" => K::NewsWithdraw,
        "recall" => K::MessageRecall,
        "delete" => K::MessageDelete,
        _ => return None,
    };
    Some((kind, Vec::new(), 0))
}

/// The values `args` give `form`, after those `given` already; `person` finds a person by id
/// or name.
pub(crate) fn values(
    form: &ActionForm,
    args: &[String],
    given: Vec<FormValue>,
    person: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Vec<FormValue>, String> {
    let mut out = given;
    let (named, positional): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|a| a.split_once('=').is_some_and(|(k, _)| form.inputs.iter().any(|i| i.key == k)));
    for a in named {
        let (k, v) = a.split_once('=').unwrap_or_default();
        out.push(FormValue::new(k, v));
    }
    let open: Vec<_> = form.inputs.iter().filter(|i| !out.iter().any(|v| v.key == i.key)).collect();
    let mut words = positional.into_iter().map(String::as_str).peekable();
    for (n, input) in open.iter().enumerate() {
        let last = n + 1 == open.len();
        if words.peek().is_none() {
            break;
        }
        match &input.kind {
            InputKind::Text { .. } if last => {
                out.push(FormValue::new(&input.key, words.by_ref().collect::<Vec<_>>().join(" ")))
            }
            InputKind::Choice { options, many: true } => {
                // The remaining words when it is the last input; else as long as they name options.
                while let Some(w) = words.next_if(|w| last || find(options, w).is_some()) {
                    out.push(FormValue::new(&input.key, pick(options, w)));
                }
            }
            InputKind::Choice { options, many: false } => {
                out.push(FormValue::new(&input.key, pick(options, words.next().unwrap_or_default())))
            }
            InputKind::Person { .. } => out.push(FormValue::new(&input.key, person(words.next().unwrap_or_default())?)),
            _ => out.push(FormValue::new(&input.key, words.next().unwrap_or_default())),
        }
    }
    if words.peek().is_some() {
        return Err(format!("多余的参数：{}；用法：{}", words.collect::<Vec<_>>().join(" "), usage(form)));
    }
    Ok(out)
}

/// The option `word` names: by value (any case), by label, or by the start of one label.
fn find(options: &[lvzhi_client::ChoiceOption], word: &str) -> Option<String> {
    let by = |f: &dyn Fn(&lvzhi_client::ChoiceOption) -> bool| options.iter().find(|o| f(o)).map(|o| o.value.clone());
    by(&|o| o.value == word)
        .or_else(|| by(&|o| o.value.eq_ignore_ascii_case(word)))
        .or_else(|| by(&|o| o.label == word))
        .or_else(|| {
            let starts: Vec<_> = options.iter().filter(|o| o.label.starts_with(word)).collect();
            (starts.len() == 1).then(|| starts[0].value.clone())
        })
}

/// The value to send for `word`; a word that names no option goes as typed, and the core's
/// check names the input.
fn pick(options: &[lvzhi_client::ChoiceOption], word: &str) -> String {
    find(options, word).unwrap_or_else(|| word.to_string())
}

/// How to type `form` after its action: its inputs in order, optional ones in brackets.
pub(crate) fn usage(form: &ActionForm) -> String {
    let inputs: Vec<String> = form
        .inputs
        .iter()
        .map(|i| {
            let what = match &i.kind {
                InputKind::Choice { options, many } if !options.is_empty() => {
                    let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
                    format!("{}（{}{}）", i.label, labels.join("|"), if *many { "，可多选" } else { "" })
                }
                InputKind::Date => format!("{}（年-月-日）", i.label),
                _ => i.label.clone(),
            };
            if i.required { what } else { format!("[{what}]") }
        })
        .collect();
    format!("{} {}", form.action.code(), inputs.join(" ")).trim_end().to_string()
}

/// Takes `kind` on `item` with `args` read against the item's form.
pub(crate) fn take(
    app: &Client,
    item: &str,
    kind: ActionKind,
    args: &[String],
    given: Vec<FormValue>,
) -> Result<(), String> {
    let form = app.action_form(item, kind).map_err(err)?;
    let values = values(&form, args, given, &|who| find_person(app, who))?;
    app.take_action(item, kind, &values).map_err(err)
}

#[cfg(test)]
mod tests {
    use lvzhi_client::{ActionKind, ChoiceOption, FormValue, InputKind};
    use lvzhi_domain::actions::{describe, parse};

    use super::{proposal_action, usage, values};

    /// What a person types after an action: each input in order, a choice by its label.
    fn typed(form: &lvzhi_client::ActionForm) -> Vec<String> {
        form.inputs
            .iter()
            .map(|i| match &i.kind {
                InputKind::Choice { options, .. } => options[0].label.clone(),
                InputKind::Person { .. } => "李华".into(),
                InputKind::Date => "2026-12-31".into(),
                InputKind::Number { min, .. } => min.to_string(),
                InputKind::Text { .. } => "已与承办单位电话沟通".into(),
            })
            .collect()
    }

    /// The item's options, as the client fills them in for a real item.
    fn with_item_options(mut form: lvzhi_client::ActionForm) -> lvzhi_client::ActionForm {
        for input in &mut form.inputs {
            if let InputKind::Choice { options, .. } = &mut input.kind
                && options.is_empty()
            {
                options.push(match input.key.as_str() {
                    "revision" => ChoiceOption::new("1", "第1版"),
                    "destinations" => ChoiceOption::new("cppcc/prefecture/yn-29", "大理白族自治州政协"),
                    _ => ChoiceOption::new("item-1", "宾川县农业农村局"),
                });
            }
        }
        form
    }

    #[test]
    fn every_action_of_the_core_parses_from_the_command_line() {
        let person = |who: &str| {
            if who == "李华" { Ok("demo-lihua".to_string()) } else { Err(format!("找不到人员：{who}")) }
        };
        for kind in ActionKind::ALL {
            let form = with_item_options(describe(kind));
            let sent = values(&form, &typed(&form), Vec::new(), &person).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            parse(&form, &sent).unwrap_or_else(|e| panic!("{kind:?} from {sent:?}: {e}"));
            assert!(usage(&form).starts_with(&kind.code()), "{}", usage(&form));
        }
    }

    #[test]
    fn short_words_and_named_values_read_as_the_old_commands_did() {
        let person = |_: &str| Err("没有人员".to_string());
        let (kind, given) = proposal_action("lead").unwrap();
        assert_eq!(kind, ActionKind::ProposalAssign);
        let form = with_item_options(describe(kind));
        let sent = values(&form, &["item-1".into()], given, &person).unwrap();
        assert_eq!(sent, [FormValue::new("mode", "lead"), FormValue::new("units", "item-1")]);
        // A choice by the start of its label; the last text takes the rest of the line.
        let reply = describe(ActionKind::ProposalReply);
        let args: Vec<String> = ["A", "已纳入", "年度计划"].map(String::from).to_vec();
        let sent = values(&reply, &args, Vec::new(), &person).unwrap();
        assert_eq!(sent, [FormValue::new("category", "a"), FormValue::new("text", "已纳入 年度计划")]);
        let named = values(&reply, &["text=已答复".into(), "B".into()], Vec::new(), &person).unwrap();
        assert_eq!(named, [FormValue::new("text", "已答复"), FormValue::new("category", "b")]);
        assert!(values(&describe(ActionKind::ProposalSubmit), &["多余".into()], Vec::new(), &person).is_err());
        assert_eq!(proposal_action("not-register").map(|(k, _)| k), Some(ActionKind::ProposalNotRegister));
        assert!(proposal_action("fly").is_none());
    }
}
