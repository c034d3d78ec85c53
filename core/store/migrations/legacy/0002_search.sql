-- 0002: offline Chinese full-text search over proposals.
-- The text is tokenised in Rust (crate::search) into CJK bigrams and unigrams plus words,
-- stored space-separated; SQLite's unicode61 tokenizer then only splits on the spaces.
-- Two columns per field: bigrams answer queries of two or more characters as phrases,
-- unigrams answer one-character queries.
CREATE VIRTUAL TABLE proposal_search USING fts5(
    title_bi, title_uni, body_bi, body_uni,
    tokenize = 'unicode61 remove_diacritics 0'
);
-- rowid of proposal_search = rowid of proposals.
