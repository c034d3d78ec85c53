-- A pre-split server database (legacy core version 5, server version 2) becomes a server
-- database: the tables only a phone needs go, and the history is strictly append-only again.
DROP TABLE IF EXISTS proposal_search;
DROP TABLE IF EXISTS chat_search;
DROP TABLE IF EXISTS outbox;
DROP TABLE IF EXISTS sync_meta;
DROP TABLE IF EXISTS sync_cursors;
DROP TABLE IF EXISTS server_entities;
DROP TABLE IF EXISTS scope_entities;
DROP TRIGGER IF EXISTS proposal_history_no_delete;
CREATE TRIGGER proposal_history_no_delete BEFORE DELETE ON proposal_history
BEGIN SELECT RAISE(ABORT, 'proposal history is append-only'); END;
DROP TABLE IF EXISTS proposal_purges;
DROP TABLE IF EXISTS server_meta;
DROP TABLE IF EXISTS rebuild_requests;
