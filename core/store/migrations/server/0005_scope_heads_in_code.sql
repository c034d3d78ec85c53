-- Server 0005: a scope's head moves in the code that writes the change (`changes::emit`), in
-- the same transaction, instead of by a trigger. A trigger on the change log made SQLite keep a
-- statement journal for every change written (each page the INSERT touched copied first, about
-- a tenth of the writer's work); a single-row INSERT and an UPSERT need none. PostgreSQL keeps
-- its trigger (several processes write there, and its heads move in commit order).
DROP TRIGGER change_log_moves_head;
