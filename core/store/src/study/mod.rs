//! 委员学习, 线上读书 and 信息发布 in the store: rows ([`repo`]) and the writes shared by the
//! phone and the server ([`service`]).

pub mod repo;
pub mod service;
