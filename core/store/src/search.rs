//! Offline Chinese full-text search.
//!
//! SQLite's trigram tokenizer cannot answer queries shorter than three characters, yet members
//! search for two-character words all the time (「肉牛」「饮水」「乡村」) and sometimes one
//! character. We tokenise in Rust instead and let FTS5 index the tokens, split only at the spaces
//! we put between them (FTS5's `ascii` tokenizer: no second opinion on what a word is):
//!
//! - every run of CJK characters gives its bigrams (in order) and its unigrams;
//! - every run of letters or digits gives one lower-cased word;
//! - bigram streams of separate runs are kept apart by a separator token, so that a phrase can
//!   never match across punctuation.
//!
//! A query of two or more CJK characters becomes the phrase of its bigrams (exactly a substring
//! match), one character looks in the unigram column, and words match by prefix. Several
//! query parts must all match. `benches/search.rs` measures it against a LIKE scan and the
//! trigram tokenizer.

use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};

use crate::error::Result;

/// Keeps the bigram streams of two runs apart: three characters can never be a bigram.
const RUN_SEPARATOR: &str = "丨丨丨";

/// Whether `c` is written as a CJK character (han, kana, hangul, CJK symbols used as words).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // kana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x3134F  // extensions B..G
    )
}

/// One piece of text between separators.
#[cfg(feature = "device")]
#[derive(Debug, PartialEq, Eq)]
enum Segment {
    Cjk(Vec<char>),
    Word(String),
}

#[cfg(feature = "device")]
fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_cjk = |cjk: &mut Vec<char>, out: &mut Vec<Segment>| {
        if !cjk.is_empty() {
            out.push(Segment::Cjk(std::mem::take(cjk)));
        }
    };
    let flush_word = |word: &mut String, out: &mut Vec<Segment>| {
        if !word.is_empty() {
            out.push(Segment::Word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            cjk.push(c);
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk, &mut out);
            word.extend(c.to_lowercase());
        } else {
            flush_cjk(&mut cjk, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_cjk(&mut cjk, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// The two indexed forms of a text: (bigrams and words, unigrams).
///
/// One pass over the characters with no allocation per token: a sync indexes thousands of
/// messages in one go (the same output as building [`segments`] first; a test checks both).
pub fn index_terms(text: &str) -> (String, String) {
    let mut bi = String::with_capacity(text.len() * 3);
    let mut uni = String::with_capacity(text.len() * 2);
    fn space(s: &mut String) {
        if !s.is_empty() {
            s.push(' ');
        }
    }
    #[derive(PartialEq)]
    enum Run {
        None,
        /// A CJK run, with its last character.
        Cjk(char),
        Word,
    }
    let end_run = |run: &mut Run, bi: &mut String| {
        if *run != Run::None {
            space(bi);
            bi.push_str(RUN_SEPARATOR);
            *run = Run::None;
        }
    };
    let mut run = Run::None;
    for c in text.chars() {
        if is_cjk(c) {
            match run {
                Run::Cjk(prev) => {
                    space(&mut bi);
                    bi.push(prev);
                    bi.push(c);
                }
                Run::Word => end_run(&mut run, &mut bi),
                Run::None => {}
            }
            space(&mut uni);
            uni.push(c);
            run = Run::Cjk(c);
        } else if c.is_alphanumeric() {
            if run != Run::Word {
                end_run(&mut run, &mut bi);
                space(&mut bi);
                run = Run::Word;
            }
            bi.extend(c.to_lowercase());
        } else {
            end_run(&mut run, &mut bi);
        }
    }
    end_run(&mut run, &mut bi);
    (bi, uni)
}

/// The FTS5 query for what a member typed, over the given column pairs
/// (bigram columns, unigram columns); `None` when there is nothing to search for.
#[cfg(feature = "device")]
pub fn match_expression(query: &str, bigram_columns: &[&str], unigram_columns: &[&str]) -> Option<String> {
    let bi_cols = bigram_columns.join(" ");
    let uni_cols = unigram_columns.join(" ");
    let parts: Vec<String> = segments(query)
        .into_iter()
        .map(|seg| match seg {
            Segment::Cjk(chars) if chars.len() == 1 => format!("{{{uni_cols}}} : \"{}\"", chars[0]),
            Segment::Cjk(chars) => {
                let phrase: Vec<String> = chars.windows(2).map(|p| p.iter().collect()).collect();
                format!("{{{bi_cols}}} : \"{}\"", phrase.join(" "))
            }
            // Tokens hold only letters and digits, so quoting is safe.
            Segment::Word(w) => format!("{{{bi_cols}}} : \"{w}\"*"),
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

// --- Indexes shared by several tables ----------------------------------------------------
//
// `consult_search` (reports, topics, posts) and `study_search` (materials, news) each index
// several tables: a row's rowid is its entity's rowid times 4 plus the entity's kind (1–3), so a
// hit is found again without a scan. Table and index names come from code, never from input.

/// Whether this database keeps full-text indexes: every SQLite one does (FTS5); a PostgreSQL
/// server's does not, since members search on their phones, offline.
fn has_full_text(c: &Connection) -> bool {
    c.dialect() == lvzhi_sql::Dialect::Sqlite
}

/// Indexes (or re-indexes) the entity `id` of `table` in `fts` as `kind`.
pub(crate) fn index_row(
    tx: &Transaction<'_>,
    fts: &str,
    table: &str,
    id: &str,
    kind: i64,
    title: &str,
    body: &str,
) -> Result<()> {
    if !has_full_text(tx) {
        return Ok(());
    }
    let rowid: i64 =
        tx.prepare_cached(&format!("SELECT rowid FROM {table} WHERE id = ?1"))?.query_row([id], |r| r.get(0))?;
    let key = rowid * 4 + kind;
    let (title_bi, title_uni) = index_terms(title);
    let (body_bi, body_uni) = index_terms(body);
    tx.prepare_cached(&format!("DELETE FROM {fts} WHERE rowid = ?1"))?.execute([key])?;
    tx.prepare_cached(&format!(
        "INSERT INTO {fts} (rowid, title_bi, title_uni, body_bi, body_uni) VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?
    .execute(params![key, title_bi, title_uni, body_bi, body_uni])?;
    Ok(())
}

/// Takes the entity `id` of `table` out of `fts` (before the row itself goes).
pub(crate) fn unindex_row(tx: &Transaction<'_>, fts: &str, table: &str, id: &str, kind: i64) -> Result<()> {
    if !has_full_text(tx) {
        return Ok(());
    }
    let rowid: Option<i64> = tx
        .prepare_cached(&format!("SELECT rowid FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(rowid) = rowid {
        tx.prepare_cached(&format!("DELETE FROM {fts} WHERE rowid = ?1"))?.execute([rowid * 4 + kind])?;
    }
    Ok(())
}

/// The keys (`rowid * 4 + kind`) of the rows of `fts` matching what the member typed, best first
/// (titles weigh ten times the text).
#[cfg(feature = "device")]
pub(crate) fn search_keys(c: &Connection, fts: &str, query: &str, limit: u32) -> Result<Vec<i64>> {
    let Some(expr) = match_expression(query, &["title_bi", "body_bi"], &["title_uni", "body_uni"]) else {
        return Ok(Vec::new());
    };
    let mut stmt = c.prepare_cached(&format!(
        "SELECT rowid FROM {fts} WHERE {fts} MATCH ?1 ORDER BY bm25({fts}, 10.0, 10.0, 1.0, 1.0) LIMIT ?2"
    ))?;
    Ok(stmt.query_map(params![expr, limit], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?)
}

/// The id of the entity of `table` with this rowid.
#[cfg(feature = "device")]
pub(crate) fn id_of_rowid(c: &Connection, table: &str, rowid: i64) -> Result<Option<String>> {
    Ok(c.prepare_cached(&format!("SELECT id FROM {table} WHERE rowid = ?1"))?
        .query_row([rowid], |r| r.get(0))
        .optional()?)
}

/// Indexes (or re-indexes) one proposal, found by its rowid.
pub fn index_proposal(tx: &Transaction<'_>, rowid: i64, title: &str, body: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM proposal_search WHERE rowid = ?1")?.execute([rowid])?;
    index_new_proposal(tx, rowid, title, body)
}

/// Indexes a proposal that has no entry in the index yet. No DELETE first: a DELETE on an FTS5
/// table makes it flush its pending terms into a new segment, a segment per proposal when a
/// sync brings hundreds.
pub fn index_new_proposal(tx: &Transaction<'_>, rowid: i64, title: &str, body: &str) -> Result<()> {
    let (title_bi, title_uni) = index_terms(title);
    let (body_bi, body_uni) = index_terms(body);
    tx.prepare_cached(
        "INSERT INTO proposal_search (rowid, title_bi, title_uni, body_bi, body_uni) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![rowid, title_bi, title_uni, body_bi, body_uni])?;
    Ok(())
}

/// Rebuilds the whole proposal index from the stored proposals (when a migration asks for it
/// through `rebuild_requests`, and for repairs).
pub fn reindex_all_proposals(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM proposal_search", [])?;
    let rows: Vec<(i64, String, String)> = {
        let mut stmt = tx.prepare("SELECT rowid, title, snapshot FROM proposals")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<lvzhi_sql::Result<_>>()?
    };
    for (rowid, title, snapshot) in rows {
        let body = serde_json::from_str::<serde_json::Value>(&snapshot)
            .ok()
            .map(|v| {
                let field = |name: &str| v["content"][name].as_str().unwrap_or_default().to_string();
                format!("{}\n{}", field("cause"), field("suggestions"))
            })
            .unwrap_or_default();
        index_new_proposal(tx, rowid, &title, &body)?;
    }
    Ok(())
}

/// Rebuilds the whole chat index from the stored messages (when a migration asks for it).
pub fn reindex_all_messages(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM chat_search", [])?;
    let rows: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT rowid, text FROM chat_messages WHERE text != ''")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<lvzhi_sql::Result<_>>()?
    };
    let mut insert = tx.prepare("INSERT INTO chat_search (rowid, text_bi, text_uni) VALUES (?1, ?2, ?3)")?;
    for (rowid, text) in rows {
        let (bi, uni) = index_terms(&text);
        insert.execute(params![rowid, bi, uni])?;
    }
    Ok(())
}

/// Rowids of proposals matching `query`, best first (title matches weigh more), one page.
#[cfg(feature = "device")]
pub fn search_proposal_rowids(conn: &Connection, query: &str, limit: u32, offset: u32) -> Result<Vec<i64>> {
    let Some(expr) = match_expression(query, &["title_bi", "body_bi"], &["title_uni", "body_uni"]) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM proposal_search WHERE proposal_search MATCH ?1
         ORDER BY bm25(proposal_search, 10.0, 10.0, 1.0, 1.0) LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt.query_map(params![expr, limit, offset], |r| r.get(0))?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

/// How many of a draft's words a similar-proposal query uses: its most telling ones.
#[cfg(feature = "device")]
const SIMILAR_TERMS: usize = 40;

/// Proposals like a draft (its title and text), best first, with their BM25 scores (lower is
/// better, as FTS5 gives them).
///
/// BM25 over the bigrams of title and text, the title's weighing three times: the draft's
/// bigrams are weighed by how often the draft uses them and how rare they are among the
/// proposals on this phone (the index's vocabulary), the [`SIMILAR_TERMS`] most telling become one
/// OR query, and FTS5 ranks the proposals holding any of them. A draft's common words (「建议」,
/// 「我县」) fall out by their rarity, not by a list.
#[cfg(feature = "device")]
pub fn similar_proposal_rowids(c: &Connection, title: &str, text: &str, limit: u32) -> Result<Vec<(i64, f64)>> {
    let mut weight: std::collections::HashMap<String, f64> = std::collections::HashMap::new();
    for (part, w) in [(title, 3.0), (text, 1.0)] {
        let (bigrams, _) = index_terms(part);
        for t in bigrams.split(' ').filter(|t| !t.is_empty() && *t != RUN_SEPARATOR) {
            *weight.entry(t.to_string()).or_default() += w;
        }
    }
    if weight.is_empty() {
        return Ok(Vec::new());
    }
    let docs: f64 =
        c.prepare_cached("SELECT count(*) FROM proposal_search")?.query_row([], |r| r.get::<_, i64>(0))? as f64;
    let mut df = c.prepare_cached("SELECT doc FROM proposal_vocabulary WHERE term = ?1")?;
    let mut telling: Vec<(f64, String)> = Vec::with_capacity(weight.len());
    for (term, w) in weight {
        let Some(n) = df.query_row([&term], |r| r.get::<_, i64>(0)).optional()? else { continue };
        let n = n as f64;
        let idf = ((docs - n + 0.5) / (n + 0.5) + 1.0).ln();
        telling.push((idf * (1.0 + w.ln()), term));
    }
    telling.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    telling.truncate(SIMILAR_TERMS);
    if telling.is_empty() {
        return Ok(Vec::new());
    }
    let terms: Vec<String> = telling.iter().map(|(_, t)| format!("\"{t}\"")).collect();
    let expr = format!("{{title_bi body_bi}} : ({})", terms.join(" OR "));
    let mut stmt = c.prepare_cached(
        "SELECT rowid, bm25(proposal_search, 3.0, 0.0, 1.0, 0.0) AS score FROM proposal_search
         WHERE proposal_search MATCH ?1 ORDER BY score LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![expr, limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The straightforward form of [`index_terms`]: segments first, then their tokens.
    fn index_terms_by_segments(text: &str) -> (String, String) {
        let mut bi = String::with_capacity(text.len() * 3);
        let mut uni = String::with_capacity(text.len() * 2);
        let push = |s: &mut String, token: &str| {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(token);
        };
        for seg in segments(text) {
            match seg {
                Segment::Cjk(chars) => {
                    for pair in chars.windows(2) {
                        if !bi.is_empty() {
                            bi.push(' ');
                        }
                        bi.push(pair[0]);
                        bi.push(pair[1]);
                    }
                    for c in &chars {
                        push(&mut uni, c.encode_utf8(&mut [0; 4]));
                    }
                }
                Segment::Word(w) => push(&mut bi, &w),
            }
            push(&mut bi, RUN_SEPARATOR);
        }
        (bi, uni)
    }

    proptest! {
        #[test]
        fn one_pass_terms_equal_the_segmented_ones(text in "[肉牛养殖乡村丨a-zA-Z0-9ÄÖ，。 \\-]{0,40}") {
            prop_assert_eq!(index_terms(&text), index_terms_by_segments(&text));
        }
    }

    #[test]
    fn cjk_runs_give_bigrams_and_unigrams() {
        let (bi, uni) = index_terms("肉牛养殖");
        assert_eq!(bi, "肉牛 牛养 养殖 丨丨丨");
        assert_eq!(uni, "肉 牛 养 殖");
    }

    #[test]
    fn words_are_lowercased_and_runs_are_separated() {
        let (bi, _) = index_terms("推进5G基站，建设");
        assert_eq!(bi, "推进 丨丨丨 5g 丨丨丨 基站 丨丨丨 建设 丨丨丨");
    }

    #[test]
    fn queries_become_phrases_unigrams_and_prefixes() {
        let q = |s| match_expression(s, &["b"], &["u"]);
        assert_eq!(q("牛").unwrap(), "{u} : \"牛\"");
        assert_eq!(q("肉牛").unwrap(), "{b} : \"肉牛\"");
        assert_eq!(q("肉牛养殖").unwrap(), "{b} : \"肉牛 牛养 养殖\"");
        assert_eq!(q("5G 基站").unwrap(), "{b} : \"5g\"* AND {b} : \"基站\"");
        assert_eq!(q("\"）*"), None);
        assert_eq!(q("   "), None);
    }
}
