//! How an action asks for what it needs, as plain data: a label, and inputs (text with a limit,
//! a choice with its options and their labels, a person, a date, a number), each required or not.
//! Every shell — Compose, SwiftUI, the terminal, the web console — renders an [`ActionForm`]
//! and sends back [`FormValue`]s; the core reads them here ([`Filled`]) with one set of checks
//! and one set of Chinese messages, so no shell restates a label, a limit or a date rule.
//!
//! A base module: it knows no feature. The catalogue of actions, which does, is
//! [`crate::actions`].

use chrono::{Duration, NaiveDate, TimeZone};

use crate::time::{Timestamp, cst};

/// One input of a form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Input {
    /// The name its value travels under (`reason`, `units`…), stable across shells.
    pub key: String,
    /// What a person reads beside it, e.g. 「理由」.
    pub label: String,
    pub kind: InputKind,
    pub required: bool,
}

/// What kind of value an input takes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum InputKind {
    /// Free text up to `max_chars` characters; `multiline` for a paragraph rather than a line.
    Text { max_chars: u32, multiline: bool },
    /// One of `options` (or, with `many`, several in the order picked: the first unit of 主办会办
    /// leads). Options that depend on the item (its units, its co-proposers, the roster) are
    /// filled in by whoever builds the form for that item.
    Choice { options: Vec<ChoiceOption>, many: bool },
    /// A member of the organisation, found by name (thousands: the shell searches); never one of
    /// `exclude`.
    Person { exclude: Vec<String> },
    /// A day, typed or picked as 年-月-日 (China Standard Time).
    Date,
    /// A whole number from `min` to `max`.
    Number { min: u32, max: u32 },
}

/// One option of a choice: the value sent back and the label read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

impl ChoiceOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> ChoiceOption {
        ChoiceOption { value: value.into(), label: label.into() }
    }
}

/// A value a shell sends back: `key` as in the form's input; a many-choice sends one per pick.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FormValue {
    pub key: String,
    pub value: String,
}

impl FormValue {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> FormValue {
        FormValue { key: key.into(), value: value.into() }
    }
}

/// Why values do not fill a form; the message names the input as the person read it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("请填写「{label}」")]
    Missing { label: String },
    #[error("「{label}」不能超过{max}字")]
    TooLong { label: String, max: u32 },
    #[error("「{label}」的选项无效，请重新选择")]
    NotAnOption { label: String },
    #[error("「{label}」请按 年-月-日 填写，例如 2026-12-31")]
    NotADate { label: String },
    #[error("「{label}」应为{min}到{max}之间的整数")]
    NotANumber { label: String, min: u32, max: u32 },
    #[error("「{label}」只能选择一项")]
    OnlyOne { label: String },
}

/// A form paired with the values sent for it: the one place they are checked and read.
pub struct Filled<'a> {
    inputs: &'a [Input],
    values: &'a [FormValue],
}

impl<'a> Filled<'a> {
    /// Checks every input: required ones present, text within its limit, choices among the
    /// options (when the form carries them), dates and numbers well formed.
    pub fn check(inputs: &'a [Input], values: &'a [FormValue]) -> Result<Filled<'a>, FormError> {
        let filled = Filled { inputs, values };
        for input in inputs {
            let given: Vec<&str> = filled.all(&input.key);
            if given.is_empty() {
                if input.required {
                    return Err(FormError::Missing { label: input.label.clone() });
                }
                continue;
            }
            let label = || input.label.clone();
            match &input.kind {
                InputKind::Text { max_chars, .. } => {
                    if given[0].chars().count() > *max_chars as usize {
                        return Err(FormError::TooLong { label: label(), max: *max_chars });
                    }
                }
                InputKind::Choice { options, many } => {
                    if !many && given.len() > 1 {
                        return Err(FormError::OnlyOne { label: label() });
                    }
                    if !options.is_empty() && !given.iter().all(|g| options.iter().any(|o| o.value == *g)) {
                        return Err(FormError::NotAnOption { label: label() });
                    }
                }
                InputKind::Person { exclude } => {
                    if exclude.iter().any(|e| e == given[0]) {
                        return Err(FormError::NotAnOption { label: label() });
                    }
                }
                InputKind::Date => {
                    parse_day(given[0]).ok_or_else(|| FormError::NotADate { label: label() })?;
                }
                InputKind::Number { min, max } => match given[0].trim().parse::<u32>() {
                    Ok(n) if (*min..=*max).contains(&n) => {}
                    _ => return Err(FormError::NotANumber { label: label(), min: *min, max: *max }),
                },
            }
        }
        Ok(filled)
    }

    /// Every non-blank value sent under `key`, in order.
    fn all(&self, key: &str) -> Vec<&'a str> {
        self.values.iter().filter(|v| v.key == key && !v.value.trim().is_empty()).map(|v| v.value.as_str()).collect()
    }

    /// The text under `key`, trimmed; empty when not given.
    pub fn text(&self, key: &str) -> String {
        self.all(key).first().map(|s| s.trim().to_string()).unwrap_or_default()
    }

    /// The text under `key`, or `None` when not given.
    pub fn optional(&self, key: &str) -> Option<String> {
        Some(self.text(key)).filter(|t| !t.is_empty())
    }

    /// Every pick of a many-choice, in order.
    pub fn picks(&self, key: &str) -> Vec<String> {
        self.all(key).into_iter().map(|s| s.trim().to_string()).collect()
    }

    /// A choice read as one of an enum's values, through the code the catalogue gave it.
    pub fn choice<T: Copy>(&self, key: &str, options: &[(T, &str)]) -> Result<T, FormError> {
        let given = self.text(key);
        options.iter().find(|(_, code)| *code == given).map(|(t, _)| *t).ok_or_else(|| self.not_an_option(key))
    }

    /// A yes/no choice given as `yes` / `no`.
    pub fn yes(&self, key: &str) -> Result<bool, FormError> {
        self.choice(key, &[(true, YES), (false, NO)])
    }

    /// The last instant of the day under `key` in China (a deadline "until 12月31日").
    pub fn end_of_day(&self, key: &str) -> Result<Timestamp, FormError> {
        let start = self.start_of_day(key)?;
        Ok(start + Duration::days(1) - Duration::milliseconds(1))
    }

    /// The first instant of the day under `key` in China (a date something happened on).
    pub fn start_of_day(&self, key: &str) -> Result<Timestamp, FormError> {
        start_of_day(&self.text(key)).ok_or_else(|| FormError::NotADate { label: self.label(key) })
    }

    pub fn number(&self, key: &str) -> Result<u32, FormError> {
        let label = self.label(key);
        self.text(key).parse::<u32>().map_err(|_| FormError::NotANumber { label, min: 0, max: u32::MAX })
    }

    /// The label of the input under `key`, for a message about it.
    pub fn label(&self, key: &str) -> String {
        self.inputs.iter().find(|i| i.key == key).map(|i| i.label.clone()).unwrap_or_else(|| key.to_string())
    }

    fn not_an_option(&self, key: &str) -> FormError {
        if self.text(key).is_empty() {
            FormError::Missing { label: self.label(key) }
        } else {
            FormError::NotAnOption { label: self.label(key) }
        }
    }
}

/// The codes of a yes/no choice.
pub const YES: &str = "yes";
pub const NO: &str = "no";

/// The first instant in China of the day typed as 年-月-日, if it is one.
pub fn start_of_day(text: &str) -> Option<Timestamp> {
    let midnight = parse_day(text)?.and_hms_opt(0, 0, 0)?;
    Some(cst().from_local_datetime(&midnight).single()?.to_utc())
}

/// A day typed as 年-月-日 (2026-12-31, also 2026/12/31 or 2026年12月31日).
fn parse_day(text: &str) -> Option<NaiveDate> {
    let t = text.trim().replace(['/', '年', '月'], "-").replace('日', "");
    NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok()
}

/// Builders for the catalogue: an input of each kind.
pub fn text(key: &str, label: &str, max_chars: usize, required: bool) -> Input {
    Input {
        key: key.into(),
        label: label.into(),
        kind: InputKind::Text { max_chars: max_chars as u32, multiline: max_chars > 100 },
        required,
    }
}

pub fn choice(key: &str, label: &str, options: Vec<ChoiceOption>) -> Input {
    Input { key: key.into(), label: label.into(), kind: InputKind::Choice { options, many: false }, required: true }
}

pub fn many(key: &str, label: &str, options: Vec<ChoiceOption>) -> Input {
    Input { key: key.into(), label: label.into(), kind: InputKind::Choice { options, many: true }, required: true }
}

pub fn person(key: &str, label: &str) -> Input {
    Input { key: key.into(), label: label.into(), kind: InputKind::Person { exclude: Vec::new() }, required: true }
}

pub fn date(key: &str, label: &str) -> Input {
    Input { key: key.into(), label: label.into(), kind: InputKind::Date, required: true }
}

pub fn number(key: &str, label: &str, min: u32, max: u32) -> Input {
    Input { key: key.into(), label: label.into(), kind: InputKind::Number { min, max }, required: true }
}

/// The options of an enum choice, from its values, their codes and their labels.
pub fn options<T: Copy>(all: &[(T, &str)], label: impl Fn(T) -> &'static str) -> Vec<ChoiceOption> {
    all.iter().map(|(t, code)| ChoiceOption::new(*code, label(*t))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason_form() -> Vec<Input> {
        vec![text("reason", "理由", 10, true), date("until", "延期至"), number("n", "名额", 1, 500)]
    }

    #[test]
    fn checks_required_limits_dates_and_numbers_with_chinese_messages() {
        let inputs = reason_form();
        let ok =
            [FormValue::new("reason", " 调研 "), FormValue::new("until", "2026年12月31日"), FormValue::new("n", "30")];
        let f = Filled::check(&inputs, &ok).unwrap();
        assert_eq!(f.text("reason"), "调研");
        assert_eq!(crate::time::display(f.end_of_day("until").unwrap()), "2026-12-31 23:59");
        assert_eq!(f.number("n").unwrap(), 30);

        let missing = [FormValue::new("reason", "  "), FormValue::new("until", "2026-12-31"), FormValue::new("n", "3")];
        assert_eq!(Filled::check(&inputs, &missing).err().unwrap().to_string(), "请填写「理由」");
        let long = [FormValue::new("reason", "一二三四五六七八九十一"), ok[1].clone(), ok[2].clone()];
        assert_eq!(Filled::check(&inputs, &long).err().unwrap().to_string(), "「理由」不能超过10字");
        let bad_day = [ok[0].clone(), FormValue::new("until", "2026-02-30"), ok[2].clone()];
        assert!(matches!(Filled::check(&inputs, &bad_day), Err(FormError::NotADate { .. })));
        let bad_n = [ok[0].clone(), ok[1].clone(), FormValue::new("n", "0")];
        assert_eq!(Filled::check(&inputs, &bad_n).err().unwrap().to_string(), "「名额」应为1到500之间的整数");
    }

    #[test]
    fn choices_must_be_among_the_options_and_single_unless_many() {
        let inputs = vec![
            choice("c", "类别", vec![ChoiceOption::new("a", "A类"), ChoiceOption::new("b", "B类")]),
            many("u", "承办单位", vec![ChoiceOption::new("u1", "一"), ChoiceOption::new("u2", "二")]),
        ];
        let ok = [FormValue::new("c", "b"), FormValue::new("u", "u2"), FormValue::new("u", "u1")];
        let f = Filled::check(&inputs, &ok).unwrap();
        assert_eq!(f.picks("u"), ["u2", "u1"]);
        assert_eq!(f.choice("c", &[(1, "a"), (2, "b")]).unwrap(), 2);
        let two = [FormValue::new("c", "a"), FormValue::new("c", "b"), FormValue::new("u", "u1")];
        assert_eq!(Filled::check(&inputs, &two).err().unwrap().to_string(), "「类别」只能选择一项");
        let stranger = [FormValue::new("c", "a"), FormValue::new("u", "u9")];
        assert_eq!(Filled::check(&inputs, &stranger).err().unwrap().to_string(), "「承办单位」的选项无效，请重新选择");
    }
}
