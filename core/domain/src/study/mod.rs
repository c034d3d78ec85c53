//! 委员学习 and 线上读书: study materials staff publish to an audience, in series (专题) and an
//! order, with files or a video link (视频点播 is a link and its metadata, not a video server);
//! each member's own study of a material — when they studied it, their notes and highlights,
//! private to them; and reading groups' plans, 导读 by their lead readers, and the short notes
//! members may write about what they read.
//!
//! Nothing here is required or ranked: marking a material studied and writing a note are the
//! member's own acts, and become facts of their duty record ([`facts`]); there are no
//! check-ins, streaks or league tables (the rules against 指尖上的形式主义).

pub mod facts;
pub mod material;
pub mod reading;

use crate::duty::DutyError;

/// Why a study or reading action was refused, for the member.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StudyError {
    #[error(transparent)]
    Duty(#[from] DutyError),
    #[error("学习资料需要正文、附件或视频链接")]
    EmptyMaterial,
    #[error("视频链接须以 https:// 开头")]
    BadVideoLink,
    #[error("该学习资料已撤回")]
    Withdrawn,
    #[error("标注的文字不在资料正文中")]
    QuoteNotInText,
    #[error("笔记不能为空，且不超过{max}字")]
    BadNote { max: u32 },
    #[error("编号已被使用")]
    DuplicateId,
    #[error("只有读书群可以设置读书计划")]
    NotReadingGroup,
    #[error("领读人须是本群成员")]
    LeadNotMember,
    #[error("只有领读人可以发布导读")]
    NotLeadReader,
    #[error("您不是该读书群成员")]
    NotMember,
    #[error("书目不能为空，且阅读时间须先开始后结束")]
    BadPlan,
    #[error("日期格式应为 年-月-日")]
    BadDay,
    #[error("读书心得编号与群、作者和日期不符")]
    BadNoteId,
}

/// The longest note or reading note, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

pub(crate) fn check_note(text: &str) -> Result<&str, StudyError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > MAX_NOTE_CHARS {
        return Err(StudyError::BadNote { max: MAX_NOTE_CHARS as u32 });
    }
    Ok(t)
}
