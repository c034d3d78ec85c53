//! Proposals as the apps use them: drafting (stored at once, sent when the server is
//! reachable), commands, the list, one proposal with everything on it, search, and live views.

use lvzhi_domain::ids::new_id;
use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::history::HistoryEntry;
use lvzhi_domain::proposal::{Action, Proposal, ProposalContent, ProposalError, RefusalKind};
use lvzhi_domain::protocol::{ActingAs, MutationKind};
use lvzhi_domain::time::{self, to_millis};
use lvzhi_domain::visibility;
use lvzhi_sql::Connection;
use lvzhi_store::org;
use lvzhi_store::proposal::{ProposalSummary, repo, service};
use lvzhi_sync::{Error, Result};

use crate::client::Client;
use crate::live::{self, ListUpdate};
use crate::task::TaskHandle;
use crate::views::{
    AssignmentView, CoProposer, ConversionView, EvaluationView, ExtensionView, HistoryLine, Person, ProposalDetail,
    ReplyView, RevisionLine, UnitView,
};
use lvzhi_store::forms as actions;

/// Longest list a screen gets at once.
const LIST_LIMIT: u32 = 500;

impl Client {
    // --- Acting in a given role (the terminal shell and tests) -----------------------------

    /// Starts a draft in `session_id`: stored here at once, sent when the server is reachable.
    pub fn create_proposal(
        &self,
        acting_as: &ActingAs,
        session_id: &str,
        content: ProposalContent,
    ) -> Result<Proposal> {
        let id = new_id();
        let kind = MutationKind::CreateProposal { proposal_id: id.clone(), session_id: session_id.into(), content };
        self.sync().record(acting_as, kind)?;
        self.load_proposal(&id)
    }

    /// Acts on a proposal: refused here with the same reason the server would give, or stored
    /// with its outbox entry in one transaction.
    pub fn act(&self, acting_as: &ActingAs, proposal_id: &str, action: Action) -> Result<Proposal> {
        let base_revision = self.load_proposal(proposal_id)?.revision;
        let kind = MutationKind::ProposalAction { proposal_id: proposal_id.into(), action, base_revision };
        self.sync().record(acting_as, kind)?;
        self.load_proposal(proposal_id)
    }

    /// The proposal as `acting_as` may see it.
    pub fn proposal(&self, acting_as: &ActingAs, id: &str) -> Result<Proposal> {
        let actor = self.sync().actor(acting_as)?;
        Ok(service::get(self.store(), &actor, id)?)
    }

    fn load_proposal(&self, id: &str) -> Result<Proposal> {
        self.store().read(|c| repo::load(c, id))?.ok_or(Error::not_found("提案"))
    }

    // --- What the screens use ----------------------------------------------------------------

    /// Starts a draft in the member's current session; stored at once.
    pub fn create_draft(&self, content: ProposalContent) -> Result<ProposalDetail> {
        let acting = self.sync().member_role()?;
        let now = self.now();
        let sessions = self.store().read(|c| org::sessions_of(c, &acting.org_id))?;
        let session = lvzhi_domain::org::session_for_new_draft(&sessions, now)
            .map(|s| s.id.clone())
            .ok_or_else(|| Error::invalid("本组织还没有会议，暂不能起草提案；请先联网同步"))?;
        let p = self.create_proposal(&acting, &session, content)?;
        self.detail(&p.id)
    }

    /// Saves the draft (every save is a revision).
    pub fn save_draft(&self, id: &str, content: ProposalContent) -> Result<ProposalDetail> {
        let acting = self.sync().member_role()?;
        self.act(&acting, id, Action::SaveDraft { content })?;
        self.detail(id)
    }

    /// Takes `action` in the first of the user's roles that may; otherwise returns why not.
    /// Shells reach it through [`Client::take_action`], which reads their form's values.
    pub fn perform(&self, id: &str, action: Action) -> Result<ProposalDetail> {
        let actors = self.actors()?;
        let now = self.now();
        let chosen: Result<ActingAs> = self.store().read(|c| {
            let p = visible(c, &actors, id)?;
            let mut first_refusal: Option<ProposalError> = None;
            for (acting, actor) in actors.iter().filter(|(_, a)| a.org_id == p.org_id) {
                match service::decide(c, &p, actor, &action, now) {
                    Err(lvzhi_store::Error::Proposal(e)) if e.kind() == RefusalKind::NotPermitted => {
                        first_refusal.get_or_insert(e);
                    }
                    // Allowed, or refused on what was filled in: acting records the reason.
                    Ok(_) => return Ok(acting.clone()),
                    Err(e) if e.is_refusal() => return Ok(acting.clone()),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(match first_refusal {
                Some(e) => e.into(),
                None => Error::invalid(format!("不能{}", action.label())),
            })
        });
        self.act(&chosen?, id, action)?;
        self.detail(id)
    }

    /// The user's proposals: own and invited ones, the organisation's for staff, the assigned
    /// ones for handling units; newest first. Each is one the user may read.
    pub fn proposals(&self) -> Result<Vec<ProposalSummary>> {
        let actors = self.actors()?;
        self.store().read(|c| {
            let mut all: Vec<ProposalSummary> = Vec::new();
            for (_, a) in &actors {
                let found = match a.role {
                    Role::Member => repo::list_by_party(c, &a.person_id, LIST_LIMIT)?,
                    Role::UnitUser => repo::list_by_party(c, a.unit_id.as_deref().unwrap_or_default(), LIST_LIMIT)?,
                    Role::ProposalStaff | Role::OrgAdmin => {
                        let all_states = lvzhi_domain::proposal::ProposalState::ALL;
                        repo::list_by_org(c, &a.org_id, &all_states, LIST_LIMIT)?
                    }
                };
                for s in found {
                    if all.iter().any(|x| x.id == s.id) {
                        continue;
                    }
                    // Who may read what is decided in one place.
                    if repo::load(c, &s.id)?.is_some_and(|p| visibility::can_read_proposal(a, &p)) {
                        all.push(s);
                    }
                }
            }
            all.sort_by_key(|s| std::cmp::Reverse(s.updated_at_ms));
            Ok(all)
        })
    }

    /// One proposal as its screen shows it, with exactly the commands this user may take now.
    pub fn detail(&self, id: &str) -> Result<ProposalDetail> {
        let actors = self.actors()?;
        let now = self.now();
        self.store().read(|c| {
            let p = visible(c, &actors, id)?;
            let name = |person: &str| -> Result<String> {
                Ok(org::get_person(c, person)?.map(|p| p.name).unwrap_or_else(|| person.to_string()))
            };
            let here: Vec<&Actor> = actors.iter().filter(|(_, a)| a.org_id == p.org_id).map(|(_, a)| a).collect();
            let actions = actions::proposal_kinds(c, &p, &here, now)
                .into_iter()
                .map(|kind| actions::proposal_form(c, &p, kind))
                .collect::<lvzhi_store::Result<Vec<_>>>()?;
            let history = repo::history_rows(c, id)?
                .into_iter()
                .filter_map(|r| serde_json::from_str::<HistoryEntry>(&r.canonical).ok())
                .map(|e| {
                    Ok(HistoryLine {
                        seq: e.seq,
                        label: e.label(),
                        action: e.action,
                        actor_name: name(&e.actor_id)?,
                        role_label: e.role.label().into(),
                        at_ms: to_millis(e.at),
                        reason: e.reason,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let co_proposers = p
                .invitations
                .iter()
                .map(|i| {
                    Ok(CoProposer {
                        person_id: i.person_id.clone(),
                        name: name(&i.person_id)?,
                        status: i.status,
                        answered_at_ms: i.answered_at.map(to_millis),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let settings = org::org_settings(c, &p.org_id)?;
            let unit_name = |unit: &str| -> Result<String> {
                Ok(org::get_unit(c, unit)?.map(|u| u.name).unwrap_or_else(|| unit.to_string()))
            };
            let assignments = p
                .assignments
                .iter()
                .map(|a| {
                    let reply = match &a.reply {
                        None => None,
                        Some(r) => Some(ReplyView {
                            category: r.category,
                            category_label: r.approved_category.unwrap_or(r.category).label().into(),
                            approved_category: r.approved_category,
                            text: r.text.clone(),
                            replied_at_ms: to_millis(r.replied_at),
                            supporting_views: r
                                .supporting_views
                                .iter()
                                .map(|v| Ok(format!("{}：{}", unit_name(&v.unit_id)?, v.text)))
                                .collect::<Result<Vec<_>>>()?,
                        }),
                    };
                    Ok(AssignmentView {
                        unit_id: a.unit_id.clone(),
                        unit_name: unit_name(&a.unit_id)?,
                        role: a.role,
                        role_label: a.role.label().into(),
                        assigned_at_ms: to_millis(a.assigned_at),
                        active: a.is_active(),
                        returned_reason: a.returned_reason.clone(),
                        first_contact_at_ms: a.first_contact_at.map(to_millis),
                        first_contact_due_ms: to_millis(time::add_working_days(
                            a.assigned_at,
                            settings.first_contact_working_days,
                        )),
                        supporting_view: a.view.as_ref().map(|v| v.text.clone()),
                        reply,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let evaluations = p
                .evaluations
                .iter()
                .map(|e| {
                    Ok(EvaluationView {
                        person_id: e.person_id.clone(),
                        name: name(&e.person_id)?,
                        rating: e.rating,
                        rating_label: e.rating.label().into(),
                        comment: e.comment.clone(),
                        at_ms: to_millis(e.at),
                        round: e.round,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let revisions = repo::revisions(c, id)?
                .into_iter()
                .map(|r| {
                    Ok(RevisionLine {
                        number: r.number,
                        title: r.content.title,
                        author_name: name(&r.author_id)?,
                        saved_at_ms: to_millis(r.saved_at),
                        restored_from: r.restored_from,
                        conflict: r.conflict,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(ProposalDetail {
                id: p.id.clone(),
                content: p.content.clone(),
                state: p.state,
                state_label: p.state.label().into(),
                revision: p.revision,
                first_proposer_name: name(&p.first_proposer_id)?,
                first_proposer_id: p.first_proposer_id.clone(),
                co_proposers,
                staff_note: p.staff_note.clone(),
                history,
                actions,
                flags: p.flags(now, &settings),
                updated_at_ms: to_millis(p.updated_at),
                kind_label: p.kind.map(|k| k.label().into()),
                submitted_at_ms: p.submitted_at.map(to_millis),
                assignments,
                handling_deadline_ms: p.handling_deadline.map(to_millis),
                extension: p.extension.as_ref().map(|e| ExtensionView {
                    until_ms: to_millis(e.until),
                    reason: e.reason.clone(),
                    granted_at_ms: to_millis(e.granted_at),
                }),
                round: p.round,
                evaluations,
                key_leader: p.key.as_ref().map(|k| k.leader.clone()),
                not_registered_reason: p.not_registered.as_ref().map(|(g, t)| format!("{}：{}", g.label(), t)),
                conversion: p.conversion.as_ref().map(|c| ConversionView {
                    to: c.to,
                    to_label: c.to.label().into(),
                    note: c.note.clone(),
                    requested_at_ms: to_millis(c.requested_at),
                }),
                merged_with: p.merged_with.clone(),
                closing_note: p.closing_note.clone(),
                revisions,
            })
        })
    }

    /// The proposals most like a draft (its title and text) that the user may read, best first
    /// (three), from this phone's own index — offline, while the member writes. `exclude` is
    /// the draft itself.
    pub fn similar_proposals(&self, title: &str, text: &str, exclude: Option<&str>) -> Result<Vec<SimilarProposal>> {
        const SHOWN: u32 = 3;
        let mut found: Vec<SimilarProposal> = Vec::new();
        for (_, a) in &self.actors()? {
            for p in service::similar(self.store(), a, title, text, exclude, SHOWN)? {
                if found.len() < SHOWN as usize && !found.iter().any(|f| f.id == p.id) {
                    found.push(SimilarProposal::of(self.store(), &p)?);
                }
            }
        }
        Ok(found)
    }

    /// Full-text search over the proposals the user may read, best first.
    pub fn search_proposals(&self, query: &str, limit: u32) -> Result<Vec<ProposalSummary>> {
        let mut hits: Vec<ProposalSummary> = Vec::new();
        for (_, a) in &self.actors()? {
            for s in service::search(self.store(), a, query, limit)? {
                if !hits.iter().any(|h| h.id == s.id) {
                    hits.push(s);
                }
            }
        }
        Ok(hits)
    }

    /// People of the user's organisations (to invite as co-proposers or add to groups), with
    /// their 界别 and 专委会.
    pub fn people(&self) -> Result<Vec<Person>> {
        self.search_people("")
    }

    /// People of the user's organisations whose name, 界别 or 专委会 contains `query` (all of
    /// them for an empty query), by name.
    pub fn search_people(&self, query: &str) -> Result<Vec<Person>> {
        let orgs: Vec<String> = self.actors()?.into_iter().map(|(a, _)| a.org_id).collect();
        let query = query.trim();
        self.store().read(|c| {
            let mut out: Vec<Person> = Vec::new();
            for org_id in &orgs {
                for (id, name, role) in org::people_of(c, org_id)? {
                    if out.iter().any(|x| x.id == id) {
                        continue;
                    }
                    let groups: Vec<String> =
                        org::groups_of(c, &id)?.into_iter().filter(|g| &g.org_id == org_id).map(|g| g.name).collect();
                    let hit = query.is_empty() || name.contains(query) || groups.iter().any(|g| g.contains(query));
                    if hit {
                        out.push(Person { id, name, role, org_id: org_id.clone(), groups });
                    }
                }
            }
            Ok::<_, Error>(out)
        })
    }

    /// The handling units staff of the user's organisations can assign to, by name.
    pub fn units(&self) -> Result<Vec<UnitView>> {
        let orgs: Vec<String> =
            self.actors()?.into_iter().filter(|(_, a)| a.role.is_staff()).map(|(_, a)| a.org_id).collect();
        self.store().read(|c| {
            let mut out = Vec::new();
            for org_id in &orgs {
                out.extend(org::units_of(c, org_id)?.into_iter().map(|u| UnitView {
                    id: u.id,
                    name: u.name,
                    org_id: u.org_id,
                }));
            }
            Ok::<_, Error>(out)
        })
    }

    /// The proposal list, live: a snapshot, then diffs. Call within a Tokio runtime.
    pub fn watch_proposals(&self, on_update: impl Fn(ListUpdate<ProposalSummary>) + Send + 'static) -> TaskHandle {
        let client = self.clone();
        live::watch_list(
            self.watch_changes(),
            |c| !c.proposals.is_empty(),
            move || client.proposals().ok(),
            |s: &ProposalSummary| s.id.as_str(),
            on_update,
        )
    }

    /// One proposal, live: now, then after every change. Call within a Tokio runtime.
    pub fn watch_proposal(&self, id: &str, on_detail: impl Fn(ProposalDetail) + Send + 'static) -> TaskHandle {
        let (client, id, watched) = (self.clone(), id.to_string(), id.to_string());
        live::watch_value(
            self.watch_changes(),
            move |c| c.proposals.contains(&watched),
            move || client.detail(&id).ok(),
            on_detail,
        )
    }
}

/// The proposal, if one of `actors` may see it; hidden ones look the same as missing ones.
pub(crate) fn visible(c: &Connection, actors: &[(ActingAs, Actor)], id: &str) -> Result<Proposal> {
    for (_, a) in actors {
        match service::load_visible(c, a, id) {
            Ok(p) => return Ok(p),
            Err(lvzhi_store::Error::NotFound { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::not_found("提案"))
}

/// A proposal like the one being drafted, as the editor shows it: what it asked, where it got
/// to, and the reply, so the member can build on it rather than file it again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SimilarProposal {
    pub id: String,
    pub title: String,
    pub state_label: String,
    pub org_name: String,
    pub submitted_at_ms: Option<i64>,
    /// The first approved (or given) reply of its handling units: the category and its text.
    pub reply: Option<String>,
}

impl SimilarProposal {
    fn of(store: &lvzhi_store::Store, p: &lvzhi_domain::proposal::Proposal) -> Result<SimilarProposal> {
        let org_name = store.read(|c| lvzhi_store::org::organisation_name(c, &p.org_id))?;
        let reply = p.assignments.iter().find_map(|a| a.reply.as_ref()).map(|r| {
            let category = r.approved_category.unwrap_or(r.category);
            format!("{}：{}", category.label(), r.text)
        });
        Ok(SimilarProposal {
            id: p.id.clone(),
            title: p.content.title.clone(),
            state_label: p.state.label().into(),
            org_name,
            submitted_at_ms: p.submitted_at.map(lvzhi_domain::time::to_millis),
            reply,
        })
    }
}
