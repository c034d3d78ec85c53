//! 委员档案: the file a committee keeps of each member — gender, 民族, 党派, 工作单位及职务, 届次
//! and phone (界别 and 专委会 are the member's groups, kept with the organisation) — and how it
//! changes: staff keep it; a member who finds something wrong asks for a correction, which
//! staff approve (the file takes it, with its history) or return with a reason.
//!
//! Who sees what: the member their own whole file; staff of the member's organisation every
//! whole file; everyone else only the directory's entry — name, 界别, 专委会 and 单位职务, never a
//! phone (`DirectoryEntry` has no field for one).
//!
//! This is the first part of issue 30: the rules, pure. Storage, sync and the screens follow.

use serde::{Deserialize, Serialize};

use crate::org::Actor;

/// 性别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// The fields of a file a member may ask to correct.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFields {
    pub gender: Option<Gender>,
    /// 民族 (汉族, 彝族, 白族…).
    pub ethnicity: String,
    /// 党派 (中共, 民革, 民盟…, 无党派人士).
    pub party: String,
    /// 工作单位及职务.
    pub employer_title: String,
    /// 届次 (第十届).
    pub term: String,
    /// 联系电话: staff of the member's organisation and the member only.
    pub phone: String,
}

/// Longest of each text field, in characters.
const MAX_SHORT: usize = 20;
const MAX_EMPLOYER_TITLE: usize = 100;
const MAX_NOTE: usize = 500;

/// What a file's fields are called, in the order a form shows them.
const LABELS: [&str; 6] = ["性别", "民族", "党派", "工作单位及职务", "届次", "联系电话"];

impl FileFields {
    fn values(&self) -> [String; 6] {
        [
            self.gender.map(|g| g.label().to_string()).unwrap_or_default(),
            self.ethnicity.clone(),
            self.party.clone(),
            self.employer_title.clone(),
            self.term.clone(),
            self.phone.clone(),
        ]
    }

    /// These fields with those named by `labels` taken from `from`.
    pub fn with_from(&self, from: &FileFields, labels: &[&str]) -> FileFields {
        let mut out = self.clone();
        for label in labels {
            match *label {
                "性别" => out.gender = from.gender,
                "民族" => out.ethnicity = from.ethnicity.clone(),
                "党派" => out.party = from.party.clone(),
                "工作单位及职务" => out.employer_title = from.employer_title.clone(),
                "届次" => out.term = from.term.clone(),
                "联系电话" => out.phone = from.phone.clone(),
                _ => {}
            }
        }
        out
    }

    /// The labels of the fields that differ from `other`'s.
    pub fn changed_from(&self, other: &FileFields) -> Vec<&'static str> {
        LABELS
            .iter()
            .zip(self.values().iter().zip(other.values().iter()))
            .filter(|(_, (a, b))| a != b)
            .map(|(l, _)| *l)
            .collect()
    }

    /// Fields a file may hold: lengths within bounds, a phone of digits (a mobile's 11, or a
    /// landline with its area code and a dash).
    pub fn check(&self) -> Result<(), MemberFileError> {
        for (label, value, max) in [
            ("民族", &self.ethnicity, MAX_SHORT),
            ("党派", &self.party, MAX_SHORT),
            ("工作单位及职务", &self.employer_title, MAX_EMPLOYER_TITLE),
            ("届次", &self.term, MAX_SHORT),
        ] {
            if value.chars().count() > max {
                return Err(MemberFileError::Invalid(format!("{label}不能超过{max}字")));
            }
        }
        let phone = self.phone.trim();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !phone.is_empty()
            && (!phone.chars().all(|c| c.is_ascii_digit() || c == '-')
                || !(7..=12).contains(&digits)
                || phone.len() > 20)
        {
            return Err(MemberFileError::Invalid("联系电话应为手机号码或带区号的固定电话".into()));
        }
        Ok(())
    }
}

/// A member's file as staff keep it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFile {
    pub person_id: String,
    /// The organisation whose staff keep it (the member's).
    pub org_id: String,
    pub fields: FileFields,
    /// 1 when first kept, one more with each change.
    pub version: u32,
    pub updated_at_ms: i64,
    /// Each change: who made it (staff, or a correction approved) and which fields.
    pub history: Vec<FileChange>,
}

/// One change of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    pub version: u32,
    pub by: String,
    pub at_ms: i64,
    /// The labels of the fields changed.
    pub fields: Vec<String>,
    /// The correction it came from, if one.
    pub correction_id: Option<String>,
}

/// A member's request to correct their file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCorrection {
    pub id: String,
    pub person_id: String,
    pub org_id: String,
    /// The file's version the member saw.
    pub base_version: u32,
    /// The file's fields the member saw: what they changed is what the correction asks (staff's
    /// later changes to other fields stay when it is approved).
    #[serde(default)]
    pub base: FileFields,
    pub proposed: FileFields,
    pub note: String,
    pub state: CorrectionState,
    pub asked_at_ms: i64,
    pub decided_by: Option<String>,
    pub decided_at_ms: Option<i64>,
    /// Why it was returned.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionState {
    /// 待审核
    Pending,
    /// 已更正
    Approved,
    /// 已退回
    Returned,
}

impl CorrectionState {
    pub fn label(self) -> &'static str {
        match self {
            CorrectionState::Pending => "待审核",
            CorrectionState::Approved => "已更正",
            CorrectionState::Returned => "已退回",
        }
    }
}

/// What the directory shows of anyone: no phone, no address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub person_id: String,
    pub name: String,
    pub org_id: String,
    /// 界别 and 专委会, by name.
    pub groups: Vec<String>,
    pub employer_title: String,
}

/// Why a change of a file is refused; the text is for the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemberFileError {
    #[error("只能申请更正本人的档案")]
    NotOwn,
    #[error("只有本组织的工作人员可以维护委员档案")]
    NotStaff,
    #[error("该更正申请已处理")]
    NotPending,
    #[error("没有需要更正的内容")]
    NothingChanged,
    #[error("退回时请说明理由")]
    ReasonNeeded,
    #[error("{0}")]
    Invalid(String),
}

/// The person a correction id belongs to: ids are `person@…`, so a correction travels and is
/// taken back with its person's file.
pub fn person_of_correction(correction_id: &str) -> &str {
    correction_id.split_once('@').map_or(correction_id, |(p, _)| p)
}

/// Staff of the file's organisation keep it: a new file, or changed fields.
pub fn keep(
    actor: &Actor,
    current: Option<&MemberFile>,
    person_id: &str,
    org_id: &str,
    fields: FileFields,
    now_ms: i64,
) -> Result<MemberFile, MemberFileError> {
    if !actor.role.is_staff() || actor.org_id != org_id {
        return Err(MemberFileError::NotStaff);
    }
    fields.check()?;
    let changed =
        current.map_or_else(|| fields.changed_from(&FileFields::default()), |f| fields.changed_from(&f.fields));
    if current.is_some() && changed.is_empty() {
        return Err(MemberFileError::NothingChanged);
    }
    let version = current.map_or(1, |f| f.version + 1);
    let mut history = current.map(|f| f.history.clone()).unwrap_or_default();
    history.push(FileChange {
        version,
        by: actor.person_id.clone(),
        at_ms: now_ms,
        fields: changed.into_iter().map(String::from).collect(),
        correction_id: None,
    });
    Ok(MemberFile {
        person_id: person_id.into(),
        org_id: org_id.into(),
        fields,
        version,
        updated_at_ms: now_ms,
        history,
    })
}

/// A member asks to correct their own file (offline too: the phone checks this same rule).
pub fn request_correction(
    actor: &Actor,
    file: &MemberFile,
    id: &str,
    proposed: FileFields,
    note: &str,
    now_ms: i64,
) -> Result<FileCorrection, MemberFileError> {
    if actor.person_id != file.person_id || person_of_correction(id) != file.person_id {
        return Err(MemberFileError::NotOwn);
    }
    proposed.check()?;
    if proposed.changed_from(&file.fields).is_empty() {
        return Err(MemberFileError::NothingChanged);
    }
    if note.chars().count() > MAX_NOTE {
        return Err(MemberFileError::Invalid(format!("说明不能超过{MAX_NOTE}字")));
    }
    Ok(FileCorrection {
        id: id.into(),
        person_id: file.person_id.clone(),
        org_id: file.org_id.clone(),
        base_version: file.version,
        base: file.fields.clone(),
        proposed,
        note: note.trim().into(),
        state: CorrectionState::Pending,
        asked_at_ms: now_ms,
        decided_by: None,
        decided_at_ms: None,
        reason: None,
    })
}

/// Staff approve a correction (the file takes the proposed fields, as a new version with the
/// correction named in its history) or return it with a reason (the file stays).
pub fn decide_correction(
    actor: &Actor,
    file: &MemberFile,
    c: &FileCorrection,
    approve: bool,
    reason: &str,
    now_ms: i64,
) -> Result<(FileCorrection, Option<MemberFile>), MemberFileError> {
    if !actor.role.is_staff() || actor.org_id != file.org_id || c.person_id != file.person_id {
        return Err(MemberFileError::NotStaff);
    }
    if c.state != CorrectionState::Pending {
        return Err(MemberFileError::NotPending);
    }
    let mut decided = c.clone();
    decided.decided_by = Some(actor.person_id.clone());
    decided.decided_at_ms = Some(now_ms);
    if !approve {
        if reason.trim().is_empty() {
            return Err(MemberFileError::ReasonNeeded);
        }
        decided.state = CorrectionState::Returned;
        decided.reason = Some(reason.trim().into());
        return Ok((decided, None));
    }
    decided.state = CorrectionState::Approved;
    // Only what the member asked to change, onto the file as it is now: a phone number staff
    // corrected after the member asked stays corrected.
    let asked = c.proposed.changed_from(&c.base);
    let merged = file.fields.with_from(&c.proposed, &asked);
    let changed = merged.changed_from(&file.fields);
    let mut updated = file.clone();
    if !changed.is_empty() {
        updated.fields = merged;
        updated.version += 1;
        updated.updated_at_ms = now_ms;
        updated.history.push(FileChange {
            version: updated.version,
            by: actor.person_id.clone(),
            at_ms: now_ms,
            fields: changed.into_iter().map(String::from).collect(),
            correction_id: Some(c.id.clone()),
        });
    }
    Ok((decided, Some(updated)))
}

/// The directory's entry of a person: what anyone may see.
pub fn directory_entry(
    person_id: &str,
    name: &str,
    org_id: &str,
    groups: Vec<String>,
    file: Option<&MemberFile>,
) -> DirectoryEntry {
    DirectoryEntry {
        person_id: person_id.into(),
        name: name.into(),
        org_id: org_id.into(),
        groups,
        employer_title: file.map(|f| f.fields.employer_title.clone()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;

    fn actor(person: &str, role: Role, org: &str) -> Actor {
        Actor { person_id: person.into(), role, org_id: org.into(), unit_id: None }
    }

    fn fields() -> FileFields {
        FileFields {
            gender: Some(Gender::Male),
            ethnicity: "白族".into(),
            party: "九三学社".into(),
            employer_title: "宾川县农业技术推广中心主任".into(),
            term: "第十届".into(),
            phone: "13987001234".into(),
        }
    }

    #[test]
    fn a_member_asks_a_correction_and_staff_approve_it_into_a_new_version() {
        let staff = actor("demo-chenjing", Role::ProposalStaff, "yn-12-03");
        let file = keep(&staff, None, "demo-zhangming", "yn-12-03", fields(), 1_000).unwrap();
        assert_eq!((file.version, file.history[0].fields.len()), (1, 6));
        let zhang = actor("demo-zhangming", Role::Member, "yn-12-03");
        let proposed = FileFields { employer_title: "宾川县农业农村局副局长".into(), ..fields() };
        let c =
            request_correction(&zhang, &file, "demo-zhangming@c1", proposed.clone(), "今年三月调任", 2_000).unwrap();
        assert_eq!((c.state, c.base_version), (CorrectionState::Pending, 1));
        // Only the member for their own file; only staff of the organisation decide.
        let li = actor("demo-lihua", Role::Member, "yn-12-03");
        assert_eq!(request_correction(&li, &file, "c2", proposed, "", 2_000).unwrap_err(), MemberFileError::NotOwn);
        assert_eq!(decide_correction(&zhang, &file, &c, true, "", 3_000).unwrap_err(), MemberFileError::NotStaff);
        let other = actor("xy-staff", Role::ProposalStaff, "yn-12-04");
        assert_eq!(decide_correction(&other, &file, &c, true, "", 3_000).unwrap_err(), MemberFileError::NotStaff);
        let (done, updated) = decide_correction(&staff, &file, &c, true, "", 3_000).unwrap();
        let updated = updated.unwrap();
        assert_eq!(done.state, CorrectionState::Approved);
        assert_eq!(updated.version, 2);
        assert_eq!(updated.fields.employer_title, "宾川县农业农村局副局长");
        assert_eq!(updated.history[1].fields, vec!["工作单位及职务"]);
        assert_eq!(updated.history[1].correction_id.as_deref(), Some("demo-zhangming@c1"));
        assert_eq!(
            decide_correction(&staff, &updated, &done, true, "", 4_000).unwrap_err(),
            MemberFileError::NotPending
        );
    }

    #[test]
    fn approving_an_old_correction_keeps_what_staff_changed_since() {
        let staff = actor("demo-chenjing", Role::ProposalStaff, "yn-12-03");
        let file = keep(&staff, None, "demo-zhangming", "yn-12-03", fields(), 1_000).unwrap();
        let zhang = actor("demo-zhangming", Role::Member, "yn-12-03");
        let proposed = FileFields { employer_title: "宾川县农业农村局副局长".into(), ..fields() };
        let c = request_correction(&zhang, &file, "demo-zhangming@c1", proposed, "", 2_000).unwrap();
        // Staff correct the phone meanwhile.
        let newer = FileFields { phone: "13987009999".into(), ..fields() };
        let file = keep(&staff, Some(&file), "demo-zhangming", "yn-12-03", newer, 2_500).unwrap();
        let (_, updated) = decide_correction(&staff, &file, &c, true, "", 3_000).unwrap();
        let updated = updated.unwrap();
        assert_eq!(updated.fields.phone, "13987009999", "staff's later change stays");
        assert_eq!(updated.fields.employer_title, "宾川县农业农村局副局长");
        assert_eq!(updated.history.last().unwrap().fields, vec!["工作单位及职务"]);
    }

    #[test]
    fn a_returned_correction_needs_a_reason_and_leaves_the_file() {
        let staff = actor("demo-chenjing", Role::ProposalStaff, "yn-12-03");
        let file = keep(&staff, None, "demo-zhangming", "yn-12-03", fields(), 1_000).unwrap();
        let zhang = actor("demo-zhangming", Role::Member, "yn-12-03");
        let c = request_correction(
            &zhang,
            &file,
            "demo-zhangming@c1",
            FileFields { party: "民盟".into(), ..fields() },
            "",
            2_000,
        )
        .unwrap();
        assert_eq!(decide_correction(&staff, &file, &c, false, " ", 3_000).unwrap_err(), MemberFileError::ReasonNeeded);
        let (done, updated) = decide_correction(&staff, &file, &c, false, "党派以统战部备案为准", 3_000).unwrap();
        assert_eq!((done.state, updated), (CorrectionState::Returned, None));
        assert_eq!(done.reason.as_deref(), Some("党派以统战部备案为准"));
    }

    #[test]
    fn bad_fields_and_empty_corrections_are_refused_and_the_directory_has_no_phone() {
        let staff = actor("demo-chenjing", Role::ProposalStaff, "yn-12-03");
        let member = actor("demo-zhangming", Role::Member, "yn-12-03");
        assert_eq!(
            keep(&member, None, "demo-zhangming", "yn-12-03", fields(), 1).unwrap_err(),
            MemberFileError::NotStaff
        );
        let bad = FileFields { phone: "139-8700-1234-5678-0000".into(), ..fields() };
        assert!(matches!(keep(&staff, None, "demo-zhangming", "yn-12-03", bad, 1), Err(MemberFileError::Invalid(_))));
        let letters = FileFields { phone: "电话号码".into(), ..fields() };
        assert!(matches!(
            keep(&staff, None, "demo-zhangming", "yn-12-03", letters, 1),
            Err(MemberFileError::Invalid(_))
        ));
        let landline = FileFields { phone: "0872-7123456".into(), ..fields() };
        assert!(keep(&staff, None, "demo-zhangming", "yn-12-03", landline, 1).is_ok());
        let file = keep(&staff, None, "demo-zhangming", "yn-12-03", fields(), 1).unwrap();
        assert_eq!(
            keep(&staff, Some(&file), "demo-zhangming", "yn-12-03", fields(), 2).unwrap_err(),
            MemberFileError::NothingChanged
        );
        assert_eq!(
            request_correction(&member, &file, "demo-zhangming@c", fields(), "", 2).unwrap_err(),
            MemberFileError::NothingChanged
        );
        let entry = directory_entry("demo-zhangming", "张明", "yn-12-03", vec!["农业和农村界".into()], Some(&file));
        let json = serde_json::to_string(&entry).unwrap();
        assert!(!json.contains("13987001234") && json.contains("宾川县农业技术推广中心主任"));
    }
}
