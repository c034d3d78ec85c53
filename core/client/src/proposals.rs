//! Proposals as the apps use them: drafting (stored at once, sent when the server is
//! reachable), commands, the list, one proposal with everything on it, search, and live views.

use lvzhi_domain::ids::new_id;
use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::history::HistoryEntry;
use lvzhi_domain::proposal::{Action, Proposal, ProposalContent, ProposalError, RefusalKind};
use lvzhi_domain::protocol::{ActingAs, MutationKind};
use lvzhi_domain::time::to_millis;
use lvzhi_domain::visibility;
use lvzhi_store::org;
use lvzhi_store::proposal::{ProposalSummary, repo, service};
use lvzhi_sync::{Error, Result};
use rusqlite::{Connection, OptionalExtension, params};

use crate::client::Client;
use crate::commands::{self, CommandKind, ProposalCommand};
use crate::live::{self, ListUpdate};
use crate::task::TaskHandle;
use crate::views::{CoProposer, HistoryLine, Person, ProposalDetail};

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
        let now = to_millis(self.now());
        let session: Option<String> = self.store().read(|c| {
            c.query_row(
                "SELECT id FROM sessions WHERE org_id = ?1
                 ORDER BY (proposals_open_at <= ?2 AND ?2 <= proposals_deadline) DESC, proposals_deadline DESC LIMIT 1",
                params![acting.org_id, now],
                |r| r.get(0),
            )
            .optional()
            .map_err(Error::from)
        })?;
        let session = session.ok_or_else(|| Error::invalid("本组织还没有会议，暂不能起草提案；请先联网同步"))?;
        let p = self.create_proposal(&acting, &session, content)?;
        self.detail(&p.id)
    }

    /// Saves the draft (every save is a revision).
    pub fn save_draft(&self, id: &str, content: ProposalContent) -> Result<ProposalDetail> {
        let acting = self.sync().member_role()?;
        self.act(&acting, id, Action::SaveDraft { content })?;
        self.detail(id)
    }

    /// Takes `command` in the first of the user's roles that may; otherwise returns why not.
    pub fn perform(&self, id: &str, command: ProposalCommand) -> Result<ProposalDetail> {
        let kind = commands::kind_of(&command);
        let action = commands::to_action(command);
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
                None => Error::invalid(format!("不能{}", commands::command_label(kind))),
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
            let commands: Vec<CommandKind> = CommandKind::ALL
                .into_iter()
                .filter(|kind| {
                    actors
                        .iter()
                        .filter(|(_, a)| a.org_id == p.org_id)
                        .any(|(_, actor)| commands::is_available(c, &p, actor, *kind, now))
                })
                .collect();
            let history = repo::history_rows(c, id)?
                .into_iter()
                .filter_map(|r| serde_json::from_str::<HistoryEntry>(&r.canonical).ok())
                .map(|e| {
                    Ok(HistoryLine {
                        seq: e.seq,
                        label: history_label(&e),
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
                .map(|i| Ok(CoProposer { person_id: i.person_id.clone(), name: name(&i.person_id)?, status: i.status }))
                .collect::<Result<Vec<_>>>()?;
            let settings = org::org_settings(c, &p.org_id)?;
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
                commands,
                flags: p.flags(now, &settings),
                updated_at_ms: to_millis(p.updated_at),
            })
        })
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

    /// People of the user's organisations (to invite as co-proposers or add to groups).
    pub fn people(&self) -> Result<Vec<Person>> {
        let orgs: Vec<String> = self.actors()?.into_iter().map(|(a, _)| a.org_id).collect();
        self.store().read(|c| {
            let mut out: Vec<Person> = Vec::new();
            for org_id in &orgs {
                let mut stmt = c.prepare_cached(
                    "SELECT DISTINCT p.id, p.name, g.role FROM people p JOIN role_grants g ON g.person_id = p.id
                     WHERE g.org_id = ?1 ORDER BY p.name",
                )?;
                let rows = stmt.query_map([org_id], |r| {
                    let role: String = r.get(2)?;
                    Ok(Person {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        role: Role::parse(&role).unwrap_or(Role::Member),
                        org_id: org_id.clone(),
                    })
                })?;
                for p in rows {
                    let p = p?;
                    if !out.iter().any(|x| x.id == p.id) {
                        out.push(p);
                    }
                }
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
fn visible(c: &Connection, actors: &[(ActingAs, Actor)], id: &str) -> Result<Proposal> {
    for (_, a) in actors {
        match service::load_visible(c, a, id) {
            Ok(p) => return Ok(p),
            Err(lvzhi_store::Error::NotFound { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::not_found("提案"))
}

fn history_label(e: &HistoryEntry) -> String {
    match e.action.as_str() {
        "create" => "起草提案".into(),
        _ => serde_json::from_value::<Action>(e.detail.clone())
            .map(|a| a.label().to_string())
            .unwrap_or(e.action.clone()),
    }
}
