//! Who may read what, written once. Everything a user reads reaches their phone through sync
//! scopes, and the same scopes decide what the phone shows and what the server sends:
//!
//! - `org:{id}`: an organisation's reference data (with its ancestors' records) and its public
//!   proposals (registered and later), for everyone in it;
//! - `staff:{id}`: the organisation's proposals once submitted, for its proposal staff and admins;
//! - `unit:{id}`: proposals assigned to a handling unit;
//! - `user:{id}`: a person's own drafts and the proposals they were invited to co-sign, the chat
//!   groups they belong to and their read markers;
//! - `group:{id}`: a chat group's messages, for its members;
//! - `members:{id}`: what goes to an organisation's members (委员) only: notices to its members
//!   and the open activities they may sign up for.
//!
//! Notices and meetings (`duty`) use the same scopes: a notice to an organisation "and all under
//! it" is written once into `org:` (or `members:`) of each organisation it reaches, so a county
//! member receives the province's notice through their county's own scope and pulls nothing else
//! of the province; notices to sectors, committees or named people go to each person's `user:`
//! scope. Receipts, attendance, record entries and feedback go to their person's `user:` scope
//! and to the `staff:` scope of the organisation that follows them up.
//!
//! An actor may read a proposal exactly when one of the scopes their role reads proposals
//! through is one of the proposal's scopes ([`can_read_proposal`]).
//!
//! Withdrawn and hidden content ([`whole_copy_scopes`], [`redacted_json`]): a withdrawn notice,
//! material or news item, and a hidden 网络议政 post, stay in their scopes, but only the staff
//! of the organisation that published them (and a post's author) keep the whole; everyone else
//! receives the redacted form — the title, or that it was hidden, and why — as a change like
//! any other, so a phone that syncs a week later loses the text, its search entries and the
//! files too, and the file routes refuse those readers.
//!
//! Study is the member's own: a member's studies and study notes travel in their `user:` scope
//! only, and the duty record shows study to the member alone (`duty::record::RecordReader`).

use std::collections::BTreeSet;

use crate::consult::grassroots::Consultation;
use crate::consult::report::Report;
use crate::consult::topic::Post;
use crate::duty::meeting::{Enrolment, Meeting};
use crate::duty::notice::{Audience, Notice};
use crate::news::News;
use crate::org::{Actor, Role, RoleGrant};
use crate::proposal::{Proposal, ProposalState};
use crate::protocol::EntityKind;
use crate::study::material::Material;

pub fn org_scope(org_id: &str) -> String {
    format!("org:{org_id}")
}

pub fn staff_scope(org_id: &str) -> String {
    format!("staff:{org_id}")
}

pub fn unit_scope(unit_id: &str) -> String {
    format!("unit:{unit_id}")
}

pub fn user_scope(person_id: &str) -> String {
    format!("user:{person_id}")
}

pub fn group_scope(group_id: &str) -> String {
    format!("group:{group_id}")
}

pub fn members_scope(org_id: &str) -> String {
    format!("members:{org_id}")
}

/// The scopes of a notice: its audience's (`targets` are the organisations it reaches, `people`
/// the persons a group or named audience resolved to) and its staff's.
pub fn notice_scopes(notice: &Notice, targets: &[String], people: &[String]) -> BTreeSet<String> {
    audience_scopes(&notice.org_id, &notice.content.audience, targets, people)
}

/// The scopes of something `org_id`'s staff send to an audience (a notice, a 网络议政 topic
/// and its posts).
pub fn audience_scopes(org_id: &str, audience: &Audience, targets: &[String], people: &[String]) -> BTreeSet<String> {
    let mut scopes = BTreeSet::from([staff_scope(org_id)]);
    match audience {
        Audience::Organisation { .. } => scopes.extend(targets.iter().map(|o| org_scope(o))),
        Audience::Members { .. } => scopes.extend(targets.iter().map(|o| members_scope(o))),
        Audience::Groups { .. } | Audience::People { .. } => scopes.extend(people.iter().map(|p| user_scope(p))),
    }
    scopes
}

/// The scopes of a 社情民意 report: its authors' from the first draft; once submitted, its
/// organisation's staff and the staff of each higher CPPCC it was sent to (who may adopt it).
pub fn report_scopes(r: &Report) -> BTreeSet<String> {
    let mut scopes: BTreeSet<String> = r.author_ids.iter().map(|a| user_scope(a)).collect();
    if !r.state.is_private() || r.submitted_at_ms.is_some() {
        scopes.insert(staff_scope(&r.org_id));
        scopes.extend(r.upper_orgs().iter().map(|o| staff_scope(o)));
    }
    scopes
}

/// The scopes of a grassroots consultation: everyone in its organisation, and the staff of
/// each organisation above (`ancestors`), who see it in their lists and counts.
pub fn consultation_scopes(c: &Consultation, ancestors: &[String]) -> BTreeSet<String> {
    let mut scopes = BTreeSet::from([org_scope(&c.org_id)]);
    scopes.extend(ancestors.iter().map(|o| staff_scope(o)));
    scopes
}

/// The scopes of a meeting: its invitees' (or, for an open activity, the organisation's
/// members') and its staff's.
pub fn meeting_scopes(m: &Meeting) -> BTreeSet<String> {
    let mut scopes = BTreeSet::from([staff_scope(&m.org_id)]);
    // A remote consultation's branch venues are run by their own staff.
    if let Some(r) = &m.remote {
        scopes.extend(r.branch_venues.iter().map(|v| staff_scope(&v.org_id)));
    }
    match &m.enrolment {
        Enrolment::Invitation { person_ids } => scopes.extend(person_ids.iter().map(|p| user_scope(p))),
        Enrolment::Open { .. } => {
            scopes.insert(members_scope(&m.org_id));
        }
    }
    scopes
}

/// The scopes of something one person owns and their organisation's staff follow up (a
/// receipt, an attendance, a record entry, feedback).
pub fn personal_scopes(person_id: &str, staff_org_id: &str) -> BTreeSet<String> {
    BTreeSet::from([user_scope(person_id), staff_scope(staff_org_id)])
}

/// Who a notice reached (the resolved recipient list): the publishing staff only.
pub fn notice_audience_scopes(org_id: &str) -> BTreeSet<String> {
    BTreeSet::from([staff_scope(org_id)])
}

/// An organisation's point rules: everyone in it (members see how their record is counted).
pub fn rules_scopes(org_id: &str) -> BTreeSet<String> {
    BTreeSet::from([org_scope(org_id)])
}

/// A member's study of a material (studied, notes): the member's own scope, nobody else's.
pub fn study_scopes(person_id: &str) -> BTreeSet<String> {
    BTreeSet::from([user_scope(person_id)])
}

/// A person's push settings: their own scope only (not even their organisation's staff).
pub fn notification_settings_scopes(person_id: &str) -> BTreeSet<String> {
    BTreeSet::from([user_scope(person_id)])
}

/// A member's file (委员档案) and the corrections asked of it: the member's own scope and the
/// staff of their organisation — phones and addresses go nowhere else.
pub fn member_file_scopes(person_id: &str, org_id: &str) -> BTreeSet<String> {
    personal_scopes(person_id, org_id)
}

/// The directory's entry of a person (name, 界别, 专委会, 单位职务; no phone): everyone in their
/// organisation.
pub fn directory_scopes(org_id: &str) -> BTreeSet<String> {
    BTreeSet::from([org_scope(org_id)])
}

/// A member's 联系名册 and 联系记录: their own scope only. Staff see the counts in the duty
/// record, a 界别召集人 the counts by organisation and month (`liaison::contacts`), computed on
/// the server — never the people.
pub fn contact_scopes(owner_id: &str) -> BTreeSet<String> {
    BTreeSet::from([user_scope(owner_id)])
}

/// A 委员工作室 (where, when, who): everyone in its organisation (its public page shows the
/// same to anyone).
pub fn studio_scopes(org_id: &str) -> BTreeSet<String> {
    BTreeSet::from([org_scope(org_id)])
}

/// A member's contact facts without names: the staff of their organisation (whose phones then
/// compute the same duty record as the server).
pub fn contact_facts_scopes(org_id: &str) -> BTreeSet<String> {
    BTreeSet::from([staff_scope(org_id)])
}

/// A message left at a studio, with the resident's phone: the studio's members who are still
/// members of its organisation (`current_members`), and its staff; nobody else.
pub fn studio_message_scopes(org_id: &str, current_members: &[String]) -> BTreeSet<String> {
    let mut scopes: BTreeSet<String> = current_members.iter().map(|m| user_scope(m)).collect();
    scopes.insert(staff_scope(org_id));
    scopes
}

/// A chat group with its member list: each member's own scope (a removed member's phone gets a
/// tombstone, and the group leaves it).
pub fn group_scopes(member_ids: &[String]) -> BTreeSet<String> {
    member_ids.iter().map(|m| user_scope(m)).collect()
}

/// A reading group's plan: the group's, and the staff of the organisation that set it.
pub fn reading_plan_scopes(group_id: &str, org_id: &str) -> BTreeSet<String> {
    let mut scopes = reading_scopes(group_id, None);
    scopes.insert(staff_scope(org_id));
    scopes
}

/// The scopes of a reading group's plan and of its members' reading notes: the group's (a
/// note also its author's own, so it stays in their record if they leave).
pub fn reading_scopes(group_id: &str, author: Option<&str>) -> BTreeSet<String> {
    let mut scopes = BTreeSet::from([group_scope(group_id)]);
    scopes.extend(author.map(user_scope));
    scopes
}

/// The scopes that keep the whole of an item once it is withdrawn or hidden: the staff of the
/// organisation that published it, and a post's author. Every other scope of the item receives
/// its redacted form.
pub fn whole_copy_scopes(org_id: &str, author: Option<&str>) -> BTreeSet<String> {
    let mut scopes = BTreeSet::from([staff_scope(org_id)]);
    scopes.extend(author.map(user_scope));
    scopes
}

/// The kinds that have a redacted form once withdrawn or hidden.
pub const REDACTABLE: [EntityKind; 4] = [EntityKind::Notice, EntityKind::Material, EntityKind::News, EntityKind::Post];

/// The redacted form of an entity as the server sends it (JSON), when it has one now: a
/// withdrawn notice, material or news item, a hidden post. `None` for anything else, or when it
/// does not parse as its kind.
pub fn redacted_json(kind: EntityKind, data: &serde_json::Value) -> Option<serde_json::Value> {
    fn redact<T: serde::de::DeserializeOwned + serde::Serialize>(
        data: &serde_json::Value,
        f: impl Fn(&T) -> Option<T>,
    ) -> Option<serde_json::Value> {
        let item: T = serde_json::from_value(data.clone()).ok()?;
        serde_json::to_value(f(&item)?).ok()
    }
    match kind {
        EntityKind::Notice => redact(data, Notice::redacted),
        EntityKind::Material => redact(data, Material::redacted),
        EntityKind::News => redact(data, News::redacted),
        EntityKind::Post => redact(data, Post::redacted),
        _ => None,
    }
}

/// The scopes a proposal belongs to in its current state.
pub fn proposal_scopes(p: &Proposal) -> BTreeSet<String> {
    let mut scopes = BTreeSet::new();
    // Proposers and invitees see it from the first draft on.
    scopes.insert(user_scope(&p.first_proposer_id));
    for inv in &p.invitations {
        scopes.insert(user_scope(&inv.person_id));
    }
    if !p.state.is_private() {
        scopes.insert(staff_scope(&p.org_id));
        for a in &p.assignments {
            scopes.insert(unit_scope(&a.unit_id));
        }
    }
    // Every member of the organisation reads the registered ones and the finished ones.
    if p.state.is_registered_and_open() || p.state == ProposalState::Closed {
        scopes.insert(org_scope(&p.org_id));
    }
    scopes
}

/// The scopes through which `actor` reads proposals.
pub fn proposal_reading_scopes(actor: &Actor) -> Vec<String> {
    match actor.role {
        Role::Member => vec![org_scope(&actor.org_id), user_scope(&actor.person_id)],
        Role::ProposalStaff | Role::OrgAdmin => vec![staff_scope(&actor.org_id)],
        Role::UnitUser => actor.unit_id.iter().map(|u| unit_scope(u)).collect(),
    }
}

/// Whether `actor` may read `p` at all.
pub fn can_read_proposal(actor: &Actor, p: &Proposal) -> bool {
    let scopes = proposal_scopes(p);
    proposal_reading_scopes(actor).iter().any(|s| scopes.contains(s))
}

/// The scopes one role grant lets its holder pull: the organisation's reference data and the
/// scopes the role reads proposals through. Everyone also reads their own `user:` scope and the
/// `group:` scopes of their chat groups (the server adds those).
pub fn grant_scopes(grant: &RoleGrant) -> Vec<String> {
    let actor = Actor::from(grant);
    let mut scopes = vec![org_scope(&grant.org_id)];
    scopes.extend(proposal_reading_scopes(&actor).into_iter().filter(|s| !s.starts_with("user:")));
    if grant.role == Role::Member {
        scopes.push(members_scope(&grant.org_id));
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proposal::{
        Assignment, AssignmentRole, AssignmentStatus, Invitation, InvitationStatus, ProposalContent,
    };
    use crate::time::from_millis;

    fn proposal(state: ProposalState) -> Proposal {
        let t = from_millis(1_800_000_000_000);
        Proposal {
            id: "p1".into(),
            org_id: "yn-12-03".into(),
            session_id: "yn-12-03-s3".into(),
            state,
            kind: None,
            first_proposer_id: "zhangming".into(),
            invitations: vec![Invitation {
                person_id: "lihua".into(),
                status: InvitationStatus::Pending,
                answered_at: None,
            }],
            content: ProposalContent::default(),
            revision: 1,
            created_at: t,
            updated_at: t,
            submitted_at: None,
            staff_note: None,
            not_registered: None,
            merged_with: vec![],
            conversion: None,
            converted_to: None,
            assignments: vec![Assignment {
                unit_id: "yn-12-03-agri".into(),
                role: AssignmentRole::Sole,
                assigned_at: t,
                status: AssignmentStatus::Active,
                returned_reason: None,
                first_contact_at: None,
                view: None,
                reply: None,
            }],
            handling_deadline: None,
            extension: None,
            round: 1,
            replies_approved_at: None,
            evaluations: vec![],
            key: None,
            closing_note: None,
            source: None,
            history_len: 0,
            history_head: String::new(),
        }
    }

    fn actor(person: &str, role: Role, org: &str, unit: Option<&str>) -> Actor {
        Actor { person_id: person.into(), role, org_id: org.into(), unit_id: unit.map(Into::into) }
    }

    /// The rule as the workflows document states it, spelled out case by case.
    fn stated_rule(p: &Proposal, a: &Actor) -> bool {
        let party = p.first_proposer_id == a.person_id || p.invitations.iter().any(|i| i.person_id == a.person_id);
        if p.state.is_private() {
            return a.role == Role::Member && party;
        }
        match a.role {
            Role::Member => {
                party
                    || (a.org_id == p.org_id && (p.state.is_registered_and_open() || p.state == ProposalState::Closed))
            }
            Role::ProposalStaff | Role::OrgAdmin => a.org_id == p.org_id,
            Role::UnitUser => a.unit_id.as_deref().is_some_and(|u| p.assignments.iter().any(|x| x.unit_id == u)),
        }
    }

    #[test]
    fn scopes_give_exactly_the_stated_rule_for_every_state_and_role() {
        let actors = [
            actor("zhangming", Role::Member, "yn-12-03", None),
            actor("lihua", Role::Member, "yn-12-03", None),
            actor("wangfang", Role::Member, "yn-12-03", None),
            actor("wangfang", Role::Member, "yn-12-04", None),
            actor("zhangming", Role::ProposalStaff, "yn-12-03", None),
            actor("chenjing", Role::ProposalStaff, "yn-12-03", None),
            actor("chenjing", Role::OrgAdmin, "yn-12-04", None),
            actor("liujun", Role::UnitUser, "yn-12-03", Some("yn-12-03-agri")),
            actor("liujun", Role::UnitUser, "yn-12-03", Some("yn-12-03-water")),
        ];
        for state in ProposalState::ALL {
            let p = proposal(state);
            for a in &actors {
                assert_eq!(can_read_proposal(a, &p), stated_rule(&p, a), "{state:?} {a:?}");
            }
        }
    }
}
