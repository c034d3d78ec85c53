//! 联络联系 and 委员工作室 in the database: members' registers and logs, studios and the
//! messages left at them, and the drafts made from what was raised. The rules are
//! `lvzhi_domain::liaison`'s.

pub mod repo;
pub mod service;
