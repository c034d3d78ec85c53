-- PostgreSQL 0002, the counterpart of SQLite's server 0005: nothing changes here. On SQLite the
-- scope heads now move in the server's code instead of by a trigger (the trigger cost a statement
-- journal per change); here the trigger stays, moving each head with GREATEST, in commit order,
-- where several server processes write at once.
SELECT 1;
