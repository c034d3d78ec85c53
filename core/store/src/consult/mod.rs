//! 社情民意 reports, 网络议政 topics and posts, remote-consultation speeches and grassroots
//! consultations: repositories ([`repo`]), the writes both sides share ([`service`]), and the
//! statistics higher organisations read ([`stats`]).

pub mod repo;
pub mod service;
pub mod stats;
