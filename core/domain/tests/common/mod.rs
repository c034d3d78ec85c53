//! A world for the pure lifecycle: one county committee, its session and people, and the
//! revisions the lifecycle has produced (standing in for the database's revision table).
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use chrono::Duration;
use lvzhi_domain::org::{Actor, OrgSettings, Role, Session};
use lvzhi_domain::proposal::lifecycle::{self, Action, Context};
use lvzhi_domain::proposal::*;
use lvzhi_domain::sample;
use lvzhi_domain::time::Timestamp;

pub const ORG: &str = "yn-dali-binchuan";

pub fn actor(person: &str, role: Role) -> Actor {
    Actor { person_id: person.into(), role, org_id: ORG.into(), unit_id: None }
}

pub fn unit_actor(person: &str, unit: &str) -> Actor {
    Actor { unit_id: Some(unit.into()), ..actor(person, Role::UnitUser) }
}

pub struct World {
    pub now: Cell<Timestamp>,
    pub session: Session,
    pub settings: OrgSettings,
    pub revisions: RefCell<HashMap<(String, u32), Revision>>,
    /// 张明 (first proposer), 李华, 王芳, 赵强
    pub m: [Actor; 4],
    pub staff: Actor,
    /// Proposal staff of another committee.
    pub other_staff: Actor,
    pub admin: Actor,
    /// Users of 农业农村局, 水务局, 财政局.
    pub u: [Actor; 3],
    next_id: Cell<u32>,
}

impl World {
    pub fn new() -> World {
        let now = sample::fixed_now();
        World {
            now: Cell::new(now),
            session: Session {
                id: "binchuan-t11-s3".into(),
                term_id: "binchuan-t11".into(),
                org_id: ORG.into(),
                number: 3,
                proposals_open_at: now - Duration::days(30),
                proposals_deadline: now + Duration::days(30),
                accepts_interim: false,
            },
            settings: OrgSettings::default(),
            revisions: RefCell::new(HashMap::new()),
            m: [
                actor("m-zhangming", Role::Member),
                actor("m-lihua", Role::Member),
                actor("m-wangfang", Role::Member),
                actor("m-zhaoqiang", Role::Member),
            ],
            staff: actor("s-chenjing", Role::ProposalStaff),
            other_staff: Actor { org_id: "yn-dali".into(), ..actor("s-yangfan", Role::ProposalStaff) },
            admin: actor("a-admin", Role::OrgAdmin),
            u: [
                unit_actor("uu-liujun", "u-agri"),
                unit_actor("uu-sunli", "u-water"),
                unit_actor("uu-zhouwei", "u-finance"),
            ],
            next_id: Cell::new(1),
        }
    }

    pub fn now(&self) -> Timestamp {
        self.now.get()
    }

    pub fn advance(&self, by: Duration) {
        self.now.set(self.now.get() + by);
    }

    fn keep(&self, outcome: &Outcome, before: Option<&Proposal>) {
        for rev in &outcome.revisions {
            self.revisions.borrow_mut().insert((rev.proposal_id.clone(), rev.number), rev.clone());
        }
        // The chain grows by exactly the entry returned.
        let (len, head) = before
            .map_or((0, history::genesis_hash(&outcome.proposal.id)), |p| (p.history_len, p.history_head.clone()));
        match &outcome.entry {
            Some(e) => {
                assert_eq!(e.entry.seq, len + 1);
                assert_eq!(e.entry.prev_hash, head);
                assert_eq!(outcome.proposal.history_head, e.hash);
            }
            None => assert_eq!(outcome.proposal.history_head, head),
        }
    }

    pub fn create_as(&self, who: &Actor, content: ProposalContent) -> Result<Proposal, ProposalError> {
        let id = format!("p{}", self.next_id.get());
        self.next_id.set(self.next_id.get() + 1);
        let outcome = lifecycle::create(&id, who, &self.session, content, self.now())?;
        self.keep(&outcome, None);
        Ok(outcome.proposal)
    }

    /// A fresh draft by 张明 with complete content.
    pub fn draft(&self) -> Proposal {
        self.create_as(&self.m[0], sample::proposal_content(0, "宾川县")).unwrap()
    }

    pub fn try_act(&self, p: &Proposal, who: &Actor, action: Action) -> Result<Proposal, ProposalError> {
        // As the store does: the revision to restore is loaded before the lifecycle decides.
        let restorable = match &action {
            Action::RestoreRevision { revision } => self.revisions.borrow().get(&(p.id.clone(), *revision)).cloned(),
            _ => None,
        };
        let ctx = Context {
            now: self.now(),
            session: &self.session,
            settings: &self.settings,
            restorable: restorable.as_ref(),
        };
        let outcome = lifecycle::execute(p, who, &action, &ctx)?;
        self.keep(&outcome, Some(p));
        Ok(outcome.proposal)
    }

    pub fn act(&self, p: &Proposal, who: &Actor, action: Action) -> Proposal {
        let code = action.code();
        self.try_act(p, who, action)
            .unwrap_or_else(|e| panic!("{code} by {} in {:?} refused: {e}", who.person_id, p.state))
    }

    pub fn refuse(&self, p: &Proposal, who: &Actor, action: Action) -> ProposalError {
        let code = action.code();
        match self.try_act(p, who, action) {
            Ok(q) => panic!("{code} by {} in {:?} should be refused, gave {:?}", who.person_id, p.state, q.state),
            Err(e) => e,
        }
    }

    // --- Paths to each state ------------------------------------------------------------

    /// Invited 李华 and 王芳; co-signing open.
    pub fn co_signing(&self) -> Proposal {
        let p = self.draft();
        let p = self.act(&p, &self.m[0], Action::Invite { person_id: self.m[1].person_id.clone() });
        let p = self.act(&p, &self.m[0], Action::Invite { person_id: self.m[2].person_id.clone() });
        self.act(&p, &self.m[0], Action::OpenCoSigning)
    }

    /// Co-signed by 李华 (王芳 declined) and submitted.
    pub fn submitted(&self) -> Proposal {
        let p = self.co_signing();
        let p = self.act(&p, &self.m[1], Action::RespondInvitation { accept: true });
        let p = self.act(&p, &self.m[2], Action::RespondInvitation { accept: false });
        self.act(&p, &self.m[0], Action::Submit)
    }

    pub fn registered(&self) -> Proposal {
        let p = self.submitted();
        self.act(&p, &self.staff, Action::Register)
    }

    /// Assigned to 农业农村局 alone.
    pub fn handling(&self) -> Proposal {
        let p = self.registered();
        self.act(&p, &self.staff, Action::Assign { plan: AssignmentPlan::Sole { unit_id: "u-agri".into() } })
    }

    /// 农业农村局 leads, 水务局 supports.
    pub fn handling_lead(&self) -> Proposal {
        let p = self.registered();
        self.act(
            &p,
            &self.staff,
            Action::Assign {
                plan: AssignmentPlan::Lead { lead_id: "u-agri".into(), supporting_ids: vec!["u-water".into()] },
            },
        )
    }

    pub fn replied(&self) -> Proposal {
        let p = self.handling();
        let p = self.act(&p, &self.u[0], Action::RecordContact { note: "电话联系张明委员，听取意见".into() });
        self.act(
            &p,
            &self.u[0],
            Action::Reply {
                category: ReplyCategory::B,
                text: "已列入明年计划，正在逐步解决。".into(),
                attachments: Vec::new(),
            },
        )
    }

    pub fn evaluating(&self) -> Proposal {
        let p = self.replied();
        self.act(&p, &self.staff, Action::ApproveReplies { categories: vec![], note: String::new() })
    }

    pub fn rehandling(&self) -> Proposal {
        let p = self.evaluating();
        let p =
            self.act(&p, &self.m[0], Action::Evaluate { rating: Rating::Unsatisfied, comment: "措施不具体".into() });
        self.act(&p, &self.m[1], Action::Evaluate { rating: Rating::Satisfied, comment: String::new() })
    }

    pub fn awaiting_closure(&self) -> Proposal {
        let p = self.rehandling();
        let p = self.act(
            &p,
            &self.u[0],
            Action::Reply {
                category: ReplyCategory::B, text: "补充了三项具体措施。".into(), attachments: Vec::new()
            },
        );
        let p = self.act(&p, &self.staff, Action::ApproveReplies { categories: vec![], note: String::new() });
        let p = self.act(&p, &self.m[0], Action::Evaluate { rating: Rating::Unsatisfied, comment: "仍不满意".into() });
        self.act(&p, &self.m[1], Action::Evaluate { rating: Rating::BasicallySatisfied, comment: String::new() })
    }

    pub fn closed(&self) -> Proposal {
        let p = self.evaluating();
        let p = self.act(&p, &self.m[0], Action::Evaluate { rating: Rating::Satisfied, comment: String::new() });
        self.act(&p, &self.m[1], Action::Evaluate { rating: Rating::BasicallySatisfied, comment: String::new() })
    }
}
