//! Proposals in the database: [`repo`] stores the aggregate, its revisions, history chain,
//! parties index and (on phones) search index; [`service`] runs the use cases — load, decide
//! with the pure lifecycle of `lvzhi-domain`, save — one transaction per action.

pub mod repo;
pub mod service;

pub use repo::ProposalSummary;
