//! The apps' one object: [`LvzhiApp`], opened with a database path and a server URL. Async
//! functions for network work, blocking ones only for quick local reads, and listeners for
//! live data (the proposal list, one proposal, chat groups and timelines, the sync state).
//! Every rule stays in the core: the apps render what comes back and forward taps.

use std::sync::{Arc, Mutex, OnceLock};

use rusqlite::{Connection, OptionalExtension, params};
use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::chat::timeline::{TimelineHandle, TimelineListener};
use crate::chat::{self, GroupSummary};
use crate::error::{Error, Result};
use crate::ffi::LvzhiError;
use crate::live;
use crate::org::{self, Actor, Role};
use crate::proposal::lifecycle::{self, Action, Context};
use crate::proposal::repo::{self, ProposalSummary};
use crate::proposal::*;
use crate::sync::client::{LoopSettings, SyncClient, SyncStatus};
use crate::sync::protocol::ActingAs;
use crate::time::{self, from_millis, to_millis};

/// One runtime for the core's network and background work, whatever thread the app calls from.
fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("lvzhi-core")
            .enable_all()
            .build()
            .expect("the core's runtime starts")
    })
}

type FfiResult<T> = std::result::Result<T, LvzhiError>;

/// Who is logged in.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record, serde::Serialize)]
pub struct Me {
    pub person_id: String,
    pub name: String,
    pub roles: Vec<MyRole>,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record, serde::Serialize)]
pub struct MyRole {
    pub role: Role,
    pub role_label: String,
    pub org_id: String,
    pub org_name: String,
    pub unit_id: Option<String>,
}

/// One proposal as its screen shows it, with exactly the actions this user may take.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record, serde::Serialize)]
pub struct ProposalDetail {
    pub id: String,
    pub content: ProposalContent,
    pub state: ProposalState,
    pub state_label: String,
    pub revision: u32,
    pub first_proposer_id: String,
    pub first_proposer_name: String,
    pub co_proposers: Vec<CoProposer>,
    pub staff_note: Option<String>,
    pub history: Vec<HistoryLine>,
    pub commands: Vec<CommandKind>,
    pub flags: Vec<ProposalFlag>,
    pub updated_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record, serde::Serialize)]
pub struct CoProposer {
    pub person_id: String,
    pub name: String,
    pub status: InvitationStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record, serde::Serialize)]
pub struct HistoryLine {
    pub seq: u32,
    pub action: String,
    pub label: String,
    pub actor_name: String,
    pub role_label: String,
    pub at_ms: i64,
    pub reason: Option<String>,
}

/// Someone in the user's organisation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record, serde::Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub org_id: String,
}

/// How staff assign a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AssignMode {
    Sole,
    Parallel,
    /// The first unit leads, the others support.
    Lead,
}

/// What a user can do to a proposal besides editing the draft.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ProposalCommand {
    RestoreRevision { revision: u32 },
    Invite { person_id: String },
    RemoveInvitee { person_id: String },
    OpenCoSigning,
    AcceptInvitation,
    DeclineInvitation,
    ReopenDraft,
    Submit,
    Withdraw { reason: String },
    Register,
    NotRegister { ground: NotRegisteredGround, text: String },
    ReturnForRevision { note: String },
    Merge { with_id: String },
    ProposeConversion { to: ConversionTarget, note: String },
    AcceptConversion,
    DeclineConversion,
    Assign { mode: AssignMode, unit_ids: Vec<String> },
    AddUnit { unit_id: String, role: AssignmentRole },
    ReturnAssignment { reason: String },
    ExtendDeadline { until_ms: i64, reason: String },
    RecordContact { note: String },
    SubmitView { text: String },
    Reply { category: ReplyCategory, text: String },
    ApproveReplies { note: String },
    Evaluate { rating: Rating, comment: String },
    Close { note: String },
    MarkKey { leader: String },
    UnmarkKey,
}

/// The commands without their arguments: what a screen offers as buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum, serde::Serialize)]
pub enum CommandKind {
    RestoreRevision,
    Invite,
    RemoveInvitee,
    OpenCoSigning,
    AcceptInvitation,
    DeclineInvitation,
    ReopenDraft,
    Submit,
    Withdraw,
    Register,
    NotRegister,
    ReturnForRevision,
    Merge,
    ProposeConversion,
    AcceptConversion,
    DeclineConversion,
    Assign,
    AddUnit,
    ReturnAssignment,
    ExtendDeadline,
    RecordContact,
    SubmitView,
    Reply,
    ApproveReplies,
    Evaluate,
    Close,
    MarkKey,
    UnmarkKey,
}

impl CommandKind {
    const ALL: [CommandKind; 28] = [
        CommandKind::RestoreRevision,
        CommandKind::Invite,
        CommandKind::RemoveInvitee,
        CommandKind::OpenCoSigning,
        CommandKind::AcceptInvitation,
        CommandKind::DeclineInvitation,
        CommandKind::ReopenDraft,
        CommandKind::Submit,
        CommandKind::Withdraw,
        CommandKind::Register,
        CommandKind::NotRegister,
        CommandKind::ReturnForRevision,
        CommandKind::Merge,
        CommandKind::ProposeConversion,
        CommandKind::AcceptConversion,
        CommandKind::DeclineConversion,
        CommandKind::Assign,
        CommandKind::AddUnit,
        CommandKind::ReturnAssignment,
        CommandKind::ExtendDeadline,
        CommandKind::RecordContact,
        CommandKind::SubmitView,
        CommandKind::Reply,
        CommandKind::ApproveReplies,
        CommandKind::Evaluate,
        CommandKind::Close,
        CommandKind::MarkKey,
        CommandKind::UnmarkKey,
    ];
}

/// The button text for a command, e.g. 「提交提案」.
#[uniffi::export]
pub fn command_label(kind: CommandKind) -> String {
    match kind {
        CommandKind::AcceptInvitation => "同意联名".into(),
        CommandKind::DeclineInvitation => "不同意联名".into(),
        CommandKind::AcceptConversion => "同意转办".into(),
        CommandKind::DeclineConversion => "不同意转办".into(),
        other => template(other, "", "").label().into(),
    }
}

fn kind_of(c: &ProposalCommand) -> CommandKind {
    use ProposalCommand as P;
    match c {
        P::RestoreRevision { .. } => CommandKind::RestoreRevision,
        P::Invite { .. } => CommandKind::Invite,
        P::RemoveInvitee { .. } => CommandKind::RemoveInvitee,
        P::OpenCoSigning => CommandKind::OpenCoSigning,
        P::AcceptInvitation => CommandKind::AcceptInvitation,
        P::DeclineInvitation => CommandKind::DeclineInvitation,
        P::ReopenDraft => CommandKind::ReopenDraft,
        P::Submit => CommandKind::Submit,
        P::Withdraw { .. } => CommandKind::Withdraw,
        P::Register => CommandKind::Register,
        P::NotRegister { .. } => CommandKind::NotRegister,
        P::ReturnForRevision { .. } => CommandKind::ReturnForRevision,
        P::Merge { .. } => CommandKind::Merge,
        P::ProposeConversion { .. } => CommandKind::ProposeConversion,
        P::AcceptConversion => CommandKind::AcceptConversion,
        P::DeclineConversion => CommandKind::DeclineConversion,
        P::Assign { .. } => CommandKind::Assign,
        P::AddUnit { .. } => CommandKind::AddUnit,
        P::ReturnAssignment { .. } => CommandKind::ReturnAssignment,
        P::ExtendDeadline { .. } => CommandKind::ExtendDeadline,
        P::RecordContact { .. } => CommandKind::RecordContact,
        P::SubmitView { .. } => CommandKind::SubmitView,
        P::Reply { .. } => CommandKind::Reply,
        P::ApproveReplies { .. } => CommandKind::ApproveReplies,
        P::Evaluate { .. } => CommandKind::Evaluate,
        P::Close { .. } => CommandKind::Close,
        P::MarkKey { .. } => CommandKind::MarkKey,
        P::UnmarkKey => CommandKind::UnmarkKey,
    }
}

fn to_action(c: ProposalCommand) -> Action {
    use ProposalCommand as P;
    match c {
        P::RestoreRevision { revision } => Action::RestoreRevision { revision },
        P::Invite { person_id } => Action::Invite { person_id },
        P::RemoveInvitee { person_id } => Action::RemoveInvitee { person_id },
        P::OpenCoSigning => Action::OpenCoSigning,
        P::AcceptInvitation => Action::RespondInvitation { accept: true },
        P::DeclineInvitation => Action::RespondInvitation { accept: false },
        P::ReopenDraft => Action::ReopenDraft,
        P::Submit => Action::Submit,
        P::Withdraw { reason } => Action::Withdraw { reason },
        P::Register => Action::Register,
        P::NotRegister { ground, text } => Action::NotRegister { ground, text },
        P::ReturnForRevision { note } => Action::ReturnForRevision { note },
        P::Merge { with_id } => Action::Merge { with_id },
        P::ProposeConversion { to, note } => Action::ProposeConversion { to, note },
        P::AcceptConversion => Action::RespondConversion { consent: true },
        P::DeclineConversion => Action::RespondConversion { consent: false },
        P::Assign { mode, unit_ids } => Action::Assign {
            plan: match mode {
                AssignMode::Sole => AssignmentPlan::Sole { unit_id: unit_ids.into_iter().next().unwrap_or_default() },
                AssignMode::Parallel => AssignmentPlan::Parallel { unit_ids },
                AssignMode::Lead => {
                    let mut ids = unit_ids.into_iter();
                    AssignmentPlan::Lead { lead_id: ids.next().unwrap_or_default(), supporting_ids: ids.collect() }
                }
            },
        },
        P::AddUnit { unit_id, role } => Action::AddUnit { unit_id, role },
        P::ReturnAssignment { reason } => Action::ReturnAssignment { reason },
        P::ExtendDeadline { until_ms, reason } => Action::ExtendDeadline { until: from_millis(until_ms), reason },
        P::RecordContact { note } => Action::RecordContact { note },
        P::SubmitView { text } => Action::SubmitView { text },
        P::Reply { category, text } => Action::Reply { category, text },
        P::ApproveReplies { note } => Action::ApproveReplies { categories: vec![], note },
        P::Evaluate { rating, comment } => Action::Evaluate { rating, comment },
        P::Close { note } => Action::Close { note },
        P::MarkKey { leader } => Action::MarkKey { leader },
        P::UnmarkKey => Action::UnmarkKey,
    }
}

/// A stand-in action of each kind, to ask the lifecycle whether this user may take it here.
fn template(kind: CommandKind, person: &str, unit: &str) -> Action {
    let text = "待填写".to_string();
    use CommandKind as K;
    match kind {
        K::RestoreRevision => Action::RestoreRevision { revision: 1 },
        K::Invite => Action::Invite { person_id: format!("{person}-candidate") },
        K::RemoveInvitee => Action::RemoveInvitee { person_id: person.into() },
        K::OpenCoSigning => Action::OpenCoSigning,
        K::AcceptInvitation => Action::RespondInvitation { accept: true },
        K::DeclineInvitation => Action::RespondInvitation { accept: false },
        K::ReopenDraft => Action::ReopenDraft,
        K::Submit => Action::Submit,
        K::Withdraw => Action::Withdraw { reason: text },
        K::Register => Action::Register,
        K::NotRegister => Action::NotRegister { ground: NotRegisteredGround::NoConcreteSuggestion, text },
        K::ReturnForRevision => Action::ReturnForRevision { note: text },
        K::Merge => Action::Merge { with_id: "另一件提案".into() },
        K::ProposeConversion => Action::ProposeConversion { to: ConversionTarget::SocialConditionReport, note: text },
        K::AcceptConversion => Action::RespondConversion { consent: true },
        K::DeclineConversion => Action::RespondConversion { consent: false },
        K::Assign => Action::Assign { plan: AssignmentPlan::Sole { unit_id: unit.into() } },
        K::AddUnit => Action::AddUnit { unit_id: format!("{unit}-other"), role: AssignmentRole::Supporting },
        K::ReturnAssignment => Action::ReturnAssignment { reason: text },
        K::ExtendDeadline => Action::ExtendDeadline { until: time::now(), reason: text },
        K::RecordContact => Action::RecordContact { note: text },
        K::SubmitView => Action::SubmitView { text },
        K::Reply => Action::Reply { category: ReplyCategory::A, text },
        K::ApproveReplies => Action::ApproveReplies { categories: vec![], note: String::new() },
        K::Evaluate => Action::Evaluate { rating: Rating::Satisfied, comment: String::new() },
        K::Close => Action::Close { note: text },
        K::MarkKey => Action::MarkKey { leader: text },
        K::UnmarkKey => Action::UnmarkKey,
    }
}

/// Refusals that mean "not yours to do here", as opposed to "fill in the details".
fn forbids(e: &ProposalError) -> bool {
    use ProposalError as E;
    matches!(
        e,
        E::WrongState { .. }
            | E::WrongRole { .. }
            | E::OtherOrganisation
            | E::NotFirstProposer { .. }
            | E::NotAProposer { .. }
            | E::NoPendingInvitation
            | E::UnitNotAssigned
            | E::NotSupportingUnit
            | E::SupportingUnitCannotReply
            | E::AlreadyEvaluated
            | E::AlreadyKey
            | E::NotKey
            | E::ExtensionUsed
            | E::AlreadyReplied
            | E::NoInvitees
            | E::NotInvited
            | E::ReturnWindowPassed { .. }
            | E::EvaluationOpen
    )
}

/// Keeps a listener's subscription alive; dropping it (or `cancel`) stops the updates.
#[derive(uniffi::Object)]
pub struct Subscription {
    task: tokio::task::JoinHandle<()>,
}

#[uniffi::export]
impl Subscription {
    pub fn cancel(&self) {
        self.task.abort();
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[uniffi::export(with_foreign)]
pub trait SyncStatusListener: Send + Sync {
    fn on_status(&self, status: SyncStatus);
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ProposalListUpdate {
    Snapshot { items: Vec<ProposalSummary> },
    Diffs { diffs: Vec<ProposalListDiff> },
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ProposalListDiff {
    Insert { index: u32, item: ProposalSummary },
    Update { index: u32, item: ProposalSummary },
    Remove { index: u32 },
}

#[uniffi::export(with_foreign)]
pub trait ProposalListListener: Send + Sync {
    fn on_update(&self, update: ProposalListUpdate);
}

#[uniffi::export(with_foreign)]
pub trait ProposalListener: Send + Sync {
    /// The proposal as it is now (first at once, then after every change).
    fn on_proposal(&self, detail: ProposalDetail);
}

#[uniffi::export(with_foreign)]
pub trait GroupListListener: Send + Sync {
    fn on_groups(&self, groups: Vec<GroupSummary>);
}

/// The app's handle on the core.
#[derive(uniffi::Object)]
pub struct LvzhiApp {
    client: Arc<SyncClient>,
    background: Mutex<Option<watch::Sender<bool>>>,
}

impl LvzhiApp {
    fn store(&self) -> &crate::store::Store {
        self.client.store()
    }

    fn me_inner(&self) -> Result<Me> {
        let tokens = self.client.tokens()?.ok_or(Error::Unauthorized)?;
        self.store().read(|c| {
            let name = org::get_person(c, &tokens.person_id)?.map(|p| p.name).unwrap_or_default();
            let roles = tokens
                .grants
                .iter()
                .map(|g| {
                    let org_name = org::get_organisation(c, &g.org_id)?.map(|o| o.name).unwrap_or_default();
                    Ok(MyRole {
                        role: g.role,
                        role_label: g.role.label().into(),
                        org_id: g.org_id.clone(),
                        org_name,
                        unit_id: g.unit_id.clone(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Me { person_id: tokens.person_id.clone(), name, roles })
        })
    }

    fn actors(&self) -> Result<Vec<(ActingAs, Actor)>> {
        let tokens = self.client.tokens()?.ok_or(Error::Unauthorized)?;
        Ok(tokens
            .grants
            .iter()
            .map(|g| (ActingAs { role: g.role, org_id: g.org_id.clone() }, Actor::from(g)))
            .collect())
    }

    /// Asks the lifecycle, without writing, whether `actor` may take `action` on `p` now.
    fn permitted(&self, c: &Connection, p: &Proposal, actor: &Actor, action: &Action) -> Result<Option<ProposalError>> {
        let session = org::get_session(c, &p.session_id)?.ok_or(Error::NotFound { what: "会议" })?;
        let settings = org::org_settings(c, &p.org_id)?;
        let lookup = |n: u32| repo::revision(c, &p.id, n).ok().flatten().map(|r| r.content);
        let ctx = Context { now: time::now(), session: &session, settings: &settings, revision: &lookup };
        Ok(lifecycle::execute(p, actor, action, &ctx).err())
    }

    fn detail_inner(&self, id: &str) -> Result<ProposalDetail> {
        let actors = self.actors()?;
        self.store().read(|c| {
            let p = actors
                .iter()
                .find_map(|(_, a)| service::load_visible(c, a, id).ok())
                .ok_or(Error::NotFound { what: "提案" })?;
            let name = |person: &str| -> Result<String> {
                Ok(org::get_person(c, person)?.map(|p| p.name).unwrap_or_else(|| person.to_string()))
            };
            let mut commands = Vec::new();
            for kind in CommandKind::ALL {
                let allowed = actors.iter().filter(|(_, a)| a.org_id == p.org_id).any(|(_, actor)| {
                    let unit = actor.unit_id.clone().unwrap_or_else(|| first_unit(c, &p.org_id));
                    let action = template(kind, &first_invitee(&p), &unit);
                    match self.permitted(c, &p, actor, &action) {
                        Ok(None) => true,
                        Ok(Some(e)) => !forbids(&e),
                        Err(_) => false,
                    }
                });
                if allowed {
                    commands.push(kind);
                }
            }
            let history = repo::history_rows(c, id)?
                .into_iter()
                .filter_map(|r| serde_json::from_str::<history::HistoryEntry>(&r.canonical).ok())
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
                flags: p.flags(time::now(), &settings),
                updated_at_ms: to_millis(p.updated_at),
            })
        })
    }

    fn proposals_inner(&self) -> Result<Vec<ProposalSummary>> {
        let actors = self.actors()?;
        self.store().read(|c| {
            let mut all: Vec<ProposalSummary> = Vec::new();
            for (_, a) in &actors {
                let found = match a.role {
                    Role::Member => repo::list_by_party(c, &a.person_id, 500)?,
                    Role::UnitUser => repo::list_by_party(c, a.unit_id.as_deref().unwrap_or_default(), 500)?,
                    Role::ProposalStaff | Role::OrgAdmin => {
                        let public: Vec<ProposalState> =
                            ProposalState::ALL.into_iter().filter(|s| !s.is_private()).collect();
                        repo::list_by_org(c, &a.org_id, &public, 500)?
                    }
                };
                for s in found {
                    if !all.iter().any(|x| x.id == s.id) {
                        all.push(s);
                    }
                }
            }
            all.sort_by_key(|s| std::cmp::Reverse(s.updated_at_ms));
            Ok(all)
        })
    }

    fn spawn<F>(&self, f: F) -> Arc<Subscription>
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        Arc::new(Subscription { task: runtime().spawn(f) })
    }
}

fn first_unit(c: &Connection, org_id: &str) -> String {
    c.query_row("SELECT id FROM handling_units WHERE org_id = ?1 ORDER BY id LIMIT 1", [org_id], |r| r.get(0))
        .optional()
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn first_invitee(p: &Proposal) -> String {
    p.invitations.first().map(|i| i.person_id.clone()).unwrap_or_default()
}

fn history_label(e: &history::HistoryEntry) -> String {
    match e.action.as_str() {
        "create" => "起草提案".into(),
        _ => serde_json::from_value::<Action>(e.detail.clone())
            .map(|a| a.label().to_string())
            .unwrap_or(e.action.clone()),
    }
}

/// Runs network work on the core's runtime, whatever executor awaits it.
async fn on_runtime<T, F>(f: F) -> FfiResult<T>
where
    T: Send + 'static,
    F: std::future::Future<Output = Result<T>> + Send + 'static,
{
    runtime().spawn(f).await.map_err(|_| LvzhiError::Storage)?.map_err(LvzhiError::from)
}

#[uniffi::export]
impl LvzhiApp {
    /// Opens (creating if needed) the database at `db_path` for the server at `server_url`.
    #[uniffi::constructor]
    pub fn open(db_path: String, server_url: String) -> FfiResult<Arc<LvzhiApp>> {
        let _enter = runtime().enter();
        let client = SyncClient::open(&db_path, &server_url)?;
        Ok(Arc::new(LvzhiApp { client: Arc::new(client), background: Mutex::new(None) }))
    }

    // --- Session and sync ----------------------------------------------------------------

    pub async fn login(&self, login: String, password: String, device_name: String) -> FfiResult<Me> {
        let client = self.client.clone();
        on_runtime(async move {
            client.login(&login, &password, &device_name).await?;
            client.sync_until_idle().await
        })
        .await?;
        Ok(self.me_inner()?)
    }

    pub async fn logout(&self) -> FfiResult<()> {
        self.stop_sync();
        let client = self.client.clone();
        on_runtime(async move { client.logout().await }).await
    }

    /// Who is logged in, if anyone (works offline).
    pub fn me(&self) -> Option<Me> {
        self.me_inner().ok()
    }

    /// One full sync now (pull-to-refresh).
    pub async fn sync_now(&self) -> FfiResult<()> {
        let client = self.client.clone();
        on_runtime(async move { client.sync_until_idle().await }).await
    }

    /// Starts the background sync loop (long-poll while in the foreground, back-off when
    /// offline, the outbox sent as soon as it can be).
    pub fn start_sync(&self, long_poll_secs: u32) {
        let mut bg = self.background.lock().unwrap_or_else(|p| p.into_inner());
        if bg.is_some() {
            return;
        }
        let (tx, rx) = watch::channel(false);
        let client = self.client.clone();
        let settings = LoopSettings { long_poll_secs, ..LoopSettings::default() };
        runtime().spawn(async move { client.run(settings, rx).await });
        *bg = Some(tx);
    }

    pub fn stop_sync(&self) {
        if let Some(tx) = self.background.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = tx.send(true);
        }
    }

    pub fn sync_status(&self) -> SyncStatus {
        self.client.status()
    }

    pub fn observe_sync_status(&self, listener: Arc<dyn SyncStatusListener>) -> Arc<Subscription> {
        let mut rx = self.client.watch_status();
        self.spawn(async move {
            loop {
                let status = rx.borrow_and_update().clone();
                listener.on_status(status);
                if rx.changed().await.is_err() {
                    return;
                }
            }
        })
    }

    // --- Proposals ------------------------------------------------------------------------

    /// The user's proposals: own and invited ones, the organisation's for staff, the assigned
    /// ones for handling units; newest first.
    pub fn proposals(&self) -> FfiResult<Vec<ProposalSummary>> {
        Ok(self.proposals_inner()?)
    }

    pub fn proposal(&self, id: String) -> FfiResult<ProposalDetail> {
        Ok(self.detail_inner(&id)?)
    }

    pub fn search_proposals(&self, query: String) -> FfiResult<Vec<ProposalSummary>> {
        let actors = self.actors()?;
        let mut hits: Vec<ProposalSummary> = Vec::new();
        for (_, a) in &actors {
            for s in service::search(self.store(), a, &query, 50)? {
                if !hits.iter().any(|h| h.id == s.id) {
                    hits.push(s);
                }
            }
        }
        Ok(hits)
    }

    /// Starts a draft in the member's current session; stored at once.
    pub fn create_draft(&self, content: ProposalContent) -> FfiResult<ProposalDetail> {
        let acting = self.client.member_role()?;
        let now = to_millis(time::now());
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
        let session = session.ok_or(Error::Invalid("本组织还没有会议，暂不能起草提案；请先联网同步".into()))?;
        let p = self.client.create_proposal(&acting, &session, content)?;
        Ok(self.detail_inner(&p.id)?)
    }

    /// Saves the draft (every save is a revision).
    pub fn save_draft(&self, id: String, content: ProposalContent) -> FfiResult<ProposalDetail> {
        let acting = self.client.member_role()?;
        self.client.act(&acting, &id, Action::SaveDraft { content })?;
        Ok(self.detail_inner(&id)?)
    }

    /// Takes `command` in the first of the user's roles that may; otherwise returns why not.
    pub fn perform(&self, id: String, command: ProposalCommand) -> FfiResult<ProposalDetail> {
        let kind = kind_of(&command);
        let action = to_action(command);
        let actors = self.actors()?;
        let chosen: Result<ActingAs> = self.store().read(|c| {
            let p = actors
                .iter()
                .find_map(|(_, a)| service::load_visible(c, a, &id).ok())
                .ok_or(Error::NotFound { what: "提案" })?;
            let mut first_refusal = None;
            for (acting, actor) in actors.iter().filter(|(_, a)| a.org_id == p.org_id) {
                match self.permitted(c, &p, actor, &action)? {
                    Some(e) if forbids(&e) => {
                        first_refusal.get_or_insert(e);
                    }
                    _ => return Ok(acting.clone()),
                }
            }
            Err(first_refusal.map(Error::from).unwrap_or(Error::Invalid(format!("不能{}", command_label(kind)))))
        });
        self.client.act(&chosen?, &id, action)?;
        Ok(self.detail_inner(&id)?)
    }

    pub fn observe_proposals(&self, listener: Arc<dyn ProposalListListener>) -> Arc<Subscription> {
        let mut changes = self.client.watch_changes();
        let app = LvzhiApp { client: self.client.clone(), background: Mutex::new(None) };
        self.spawn(async move {
            let mut current = app.proposals_inner().unwrap_or_default();
            listener.on_update(ProposalListUpdate::Snapshot { items: current.clone() });
            while recv_relevant(&mut changes, |c| !c.proposals.is_empty()).await.is_ok() {
                let Ok(next) = app.proposals_inner() else { continue };
                let diffs: Vec<ProposalListDiff> =
                    live::diff(&current, &next, |s| s.id.as_str()).into_iter().map(ProposalListDiff::from).collect();
                if !diffs.is_empty() {
                    current = next;
                    listener.on_update(ProposalListUpdate::Diffs { diffs });
                }
            }
        })
    }

    pub fn observe_proposal(&self, id: String, listener: Arc<dyn ProposalListener>) -> Arc<Subscription> {
        let mut changes = self.client.watch_changes();
        let app = LvzhiApp { client: self.client.clone(), background: Mutex::new(None) };
        self.spawn(async move {
            let mut last = app.detail_inner(&id).ok();
            if let Some(d) = &last {
                listener.on_proposal(d.clone());
            }
            while recv_relevant(&mut changes, |c| c.proposals.contains(&id)).await.is_ok() {
                let next = app.detail_inner(&id).ok();
                if next != last {
                    if let Some(d) = &next {
                        listener.on_proposal(d.clone());
                    }
                    last = next;
                }
            }
        })
    }

    // --- Chat --------------------------------------------------------------------------------

    /// Staff open a study group with its members; returns its id.
    pub fn create_group(&self, name: String, kind: chat::GroupKind, member_ids: Vec<String>) -> FfiResult<String> {
        let acting = self
            .actors()?
            .into_iter()
            .map(|(acting, _)| acting)
            .find(|a| matches!(a.role, Role::ProposalStaff | Role::OrgAdmin))
            .ok_or(Error::Chat(chat::ChatError::NotGroupStaff))?;
        Ok(self.client.create_group(&acting, &name, kind, member_ids)?)
    }

    /// People of the user's organisations (to invite as co-proposers or add to groups).
    pub fn people(&self) -> FfiResult<Vec<Person>> {
        let orgs: Vec<String> = self.actors()?.into_iter().map(|(a, _)| a.org_id).collect();
        Ok(self.store().read(|c| {
            let mut out: Vec<Person> = Vec::new();
            for org_id in &orgs {
                let mut stmt = c.prepare(
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
        })?)
    }

    pub fn groups(&self) -> FfiResult<Vec<GroupSummary>> {
        Ok(self.client.groups()?)
    }

    pub fn observe_groups(&self, listener: Arc<dyn GroupListListener>) -> Arc<Subscription> {
        let mut changes = self.client.watch_changes();
        let client = self.client.clone();
        self.spawn(async move {
            listener.on_groups(client.groups().unwrap_or_default());
            while recv_relevant(&mut changes, |c| !c.groups.is_empty()).await.is_ok() {
                listener.on_groups(client.groups().unwrap_or_default());
            }
        })
    }

    /// A group's newest messages and this device's unsent ones (for lists that do not need
    /// live updates).
    pub fn timeline(&self, group_id: String, limit: u32) -> FfiResult<Vec<chat::TimelineItem>> {
        Ok(self.client.timeline(&group_id, limit)?)
    }

    pub fn observe_timeline(
        &self,
        group_id: String,
        limit: u32,
        listener: Arc<dyn TimelineListener>,
    ) -> Arc<TimelineHandle> {
        let _enter = runtime().enter();
        Arc::new(self.client.subscribe_timeline(&group_id, limit, listener))
    }

    /// Shown at once as 发送中; returns the message id.
    pub fn send_message(
        &self,
        group_id: String,
        text: String,
        reply_to: Option<String>,
        mentions: Vec<String>,
    ) -> FfiResult<String> {
        Ok(self.client.send_message(&group_id, &text, reply_to, mentions)?)
    }

    pub fn retry_failed(&self, group_id: String) -> FfiResult<u32> {
        Ok(self.client.retry_failed(&group_id)?)
    }

    pub fn recall_message(&self, message_id: String) -> FfiResult<()> {
        Ok(self.client.recall_message(&message_id)?)
    }

    pub fn mark_read(&self, group_id: String, seq: u64) -> FfiResult<()> {
        Ok(self.client.mark_read(&group_id, seq)?)
    }

    pub async fn load_older_messages(
        &self,
        group_id: String,
        before_seq: u64,
        limit: u32,
    ) -> FfiResult<Vec<chat::TimelineItem>> {
        let client = self.client.clone();
        on_runtime(async move { client.fetch_older_messages(&group_id, before_seq, limit).await }).await
    }

    pub fn search_messages(&self, query: String) -> FfiResult<Vec<chat::TimelineItem>> {
        Ok(self.client.search_messages(&query, 50)?)
    }
}

impl From<live::Diff<ProposalSummary>> for ProposalListDiff {
    fn from(d: live::Diff<ProposalSummary>) -> Self {
        match d {
            live::Diff::Insert { index, item } => ProposalListDiff::Insert { index, item },
            live::Diff::Update { index, item } => ProposalListDiff::Update { index, item },
            live::Diff::Remove { index } => ProposalListDiff::Remove { index },
        }
    }
}

/// Waits for the next change notice that matters (a lag counts: look again to be safe).
async fn recv_relevant(
    rx: &mut tokio::sync::broadcast::Receiver<crate::sync::client::Changed>,
    relevant: impl Fn(&crate::sync::client::Changed) -> bool,
) -> std::result::Result<(), ()> {
    loop {
        match rx.recv().await {
            Ok(c) if relevant(&c) => return Ok(()),
            Ok(_) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => return Ok(()),
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return Err(()),
        }
    }
}
