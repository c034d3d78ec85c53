//! The end-to-end suites: real servers, several device databases, the lossy proxy. One test
//! binary for all of them, one module per suite: each binary links the whole server and client
//! (70 MB in a debug build), so eighteen of them cost CI a gigabyte of disk and a minute of
//! linking. `cargo test --test e2e chat::` runs one suite.

mod access_matrix;
mod apps_surface;
mod backups;
mod chat;
mod console;
mod consult;
mod consult_random;
mod duty;
mod files;
mod fuzz_corpora;
mod legacy_databases;
mod liaison;
mod postgres_migration;
mod postgres_servers;
mod push;
mod push_vendors;
mod security;
mod server_and_devices;
mod study;
mod sync;
mod sync_live;
mod sync_random;
mod tls;
