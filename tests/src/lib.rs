//! End-to-end test support: real servers and several device databases.
