//! Actions in the terminal: the core's forms ([`ActionForm`]) read from the command line, so
//! the shell names no label, choice or limit of its own. Arguments fill the form's inputs in
//! order — a choice by its value or its label, a person by id or name, the last text input
//! takes the rest of the line, a many-choice the remaining words — or by `键=值`.

use lvzhi_client::{ActionForm, ActionKind, Client, FormValue, InputKind};

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

/// The values `args` give `form`, after those `given` already.
pub(crate) fn values(
    app: &Client,
    form: &ActionForm,
    args: &[String],
    given: Vec<FormValue>,
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
                for w in words.by_ref() {
                    out.push(FormValue::new(&input.key, pick(options, w)));
                }
            }
            InputKind::Choice { options, many: false } => {
                out.push(FormValue::new(&input.key, pick(options, words.next().unwrap_or_default())))
            }
            InputKind::Person { .. } => {
                out.push(FormValue::new(&input.key, find_person(app, words.next().unwrap_or_default())?))
            }
            _ => out.push(FormValue::new(&input.key, words.next().unwrap_or_default())),
        }
    }
    if words.peek().is_some() {
        return Err(format!("多余的参数：{}；用法：{}", words.collect::<Vec<_>>().join(" "), usage(form)));
    }
    Ok(out)
}

/// The option `word` names: by value (any case), by label, or by the start of one label.
fn pick(options: &[lvzhi_client::ChoiceOption], word: &str) -> String {
    let by = |f: &dyn Fn(&lvzhi_client::ChoiceOption) -> bool| options.iter().find(|o| f(o)).map(|o| o.value.clone());
    by(&|o| o.value == word)
        .or_else(|| by(&|o| o.value.eq_ignore_ascii_case(word)))
        .or_else(|| by(&|o| o.label == word))
        .or_else(|| {
            let starts: Vec<_> = options.iter().filter(|o| o.label.starts_with(word)).collect();
            (starts.len() == 1).then(|| starts[0].value.clone())
        })
        // Not an option here: the core's check names the input.
        .unwrap_or_else(|| word.to_string())
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
    let values = values(app, &form, args, given)?;
    app.take_action(item, kind, &values).map_err(err)
}
