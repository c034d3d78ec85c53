//! Study materials and news: 学完 is the member's own mark; staff withdraw.

use super::{ActionKind as K, Command};
use crate::duty::MAX_NOTE_CHARS;
use crate::form::{self, Filled, FormError, Input};

pub(super) fn describe(kind: K) -> (&'static str, Vec<Input>) {
    let reason = || form::text("reason", "撤回理由", MAX_NOTE_CHARS, true);
    match kind {
        K::MaterialMarkStudied => ("标记已学习", vec![]),
        K::MaterialWithdraw => ("撤回资料", vec![reason()]),
        _ => ("撤回信息", vec![reason()]),
    }
}

pub(super) fn parse(kind: K, f: &Filled) -> Result<Command, FormError> {
    Ok(match kind {
        K::MaterialMarkStudied => Command::MaterialMarkStudied,
        K::MaterialWithdraw => Command::MaterialWithdraw { reason: f.text("reason") },
        _ => Command::NewsWithdraw { reason: f.text("reason") },
    })
}
