-- Device 0002: the search indexes split their text only at spaces (FTS5's ascii tokenizer),
-- exactly as lvzhi_store::search wrote it. unicode61 also split at combining marks and other
-- characters Rust counts as letters, so a query holding such a word matched nothing
-- (found by fuzzing the tokenizer). Both indexes are rebuilt when the store opens.
DROP TABLE proposal_search;
CREATE VIRTUAL TABLE proposal_search USING fts5(
    title_bi, title_uni, body_bi, body_uni,
    tokenize = 'ascii'
);
DROP TABLE chat_search;
CREATE VIRTUAL TABLE chat_search USING fts5(text_bi, text_uni, tokenize = 'ascii');
INSERT OR IGNORE INTO rebuild_requests (name) VALUES ('proposal_search'), ('chat_search');
