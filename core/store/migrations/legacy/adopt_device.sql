-- A pre-split phone database (legacy version 5) becomes a device database: it already holds
-- the shared and device tables of version 1 of each set. Only the rebuild table is new.
CREATE TABLE IF NOT EXISTS rebuild_requests (name TEXT PRIMARY KEY) WITHOUT ROWID;
