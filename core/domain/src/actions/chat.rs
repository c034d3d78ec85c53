//! A message in a group: its author recalls it within the window, anyone deletes their copy.

use super::{ActionKind as K, Command};
use crate::form::Input;

pub(super) fn describe(kind: K) -> (&'static str, Vec<Input>) {
    match kind {
        K::MessageRecall => ("撤回", vec![]),
        _ => ("删除", vec![]),
    }
}

pub(super) fn parse(kind: K) -> Command {
    match kind {
        K::MessageRecall => Command::MessageRecall,
        _ => Command::MessageDelete,
    }
}
