//! Similar proposals (the editor's 「相似提案」) measured on a labelled set: pairs of an earlier
//! proposal and a new member's draft on the same problem, written independently
//! (`tests/data/similar_proposals.json`), among distractors on neighbouring and other subjects
//! and the sample generator's proposals. The earlier proposal must be among the first three for
//! at least 80% of the drafts.

use lvzhi_store::search::similar_proposal_rowids;
use lvzhi_store::{DbKind, Store};
use serde::Deserialize;

#[derive(Deserialize)]
struct Text {
    title: String,
    cause: String,
    suggestions: String,
}

impl Text {
    fn body(&self) -> String {
        format!("{}\n{}", self.cause, self.suggestions)
    }
}

#[derive(Deserialize)]
struct Pair {
    topic: String,
    earlier: Text,
    draft: Text,
}

#[derive(Deserialize)]
struct Set {
    pairs: Vec<Pair>,
    distractors: Vec<Text>,
}

/// A labelled pair: its topic, the earlier proposal (title, a newline, text), the draft's title
/// and text.
type Labelled = (String, String, String, String);

/// The pairs and the distractors (title, text).
fn labelled_set() -> (Vec<Labelled>, Vec<(String, String)>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/similar_proposals.json");
    let set: Set = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let pairs = set
        .pairs
        .into_iter()
        .map(|p| (p.topic, p.earlier.title.clone() + "\n" + &p.earlier.body(), p.draft.title.clone(), p.draft.body()))
        .collect();
    let distractors = set.distractors.into_iter().map(|d| (d.title.clone(), d.body())).collect();
    (pairs, distractors)
}

#[test]
fn the_earlier_proposal_is_among_the_first_three_for_four_drafts_in_five() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("phone.db"), DbKind::Device).unwrap();
    let (pairs, distractors) = labelled_set();
    assert!(pairs.len() >= 60, "at least 60 labelled pairs, found {}", pairs.len());
    // rowid i + 1 is pair i's earlier proposal; distractors and generated proposals after them.
    store
        .write(|tx| {
            for (i, (_, earlier, _, _)) in pairs.iter().enumerate() {
                let (title, body) = earlier.split_once('\n').unwrap();
                lvzhi_store::search::index_proposal(tx, i as i64 + 1, title, body)?;
            }
            let mut rowid = pairs.len() as i64 + 1;
            for (title, body) in &distractors {
                lvzhi_store::search::index_proposal(tx, rowid, title, body)?;
                rowid += 1;
            }
            for i in 0..400 {
                let p = lvzhi_domain::sample::proposal_content(i, ["宾川县", "祥云县", "景东县", "镇康县"][i % 4]);
                lvzhi_store::search::index_proposal(tx, rowid, &p.title, &format!("{}\n{}", p.cause, p.suggestions))?;
                rowid += 1;
            }
            Ok::<_, lvzhi_store::Error>(())
        })
        .unwrap();
    let (mut hits, mut first) = (0, 0);
    let mut misses = Vec::new();
    for (i, (topic, _, title, body)) in pairs.iter().enumerate() {
        let found = store.read(|c| similar_proposal_rowids(c, title, body, 3)).unwrap();
        if found.iter().any(|(rowid, _)| *rowid == i as i64 + 1) {
            hits += 1;
        } else {
            misses.push(topic.clone());
        }
        first += usize::from(found.first().is_some_and(|(rowid, _)| *rowid == i as i64 + 1));
    }
    let share = hits as f64 / pairs.len() as f64;
    println!(
        "similar proposals: {hits} of {} drafts find their earlier proposal among the first three ({:.1}%), {first} first, \
         among {} proposals; missed: {misses:?}",
        pairs.len(),
        share * 100.0,
        pairs.len() + distractors.len() + 400
    );
    assert!(share >= 0.8, "{hits}/{} = {share:.3}; missed: {misses:?}", pairs.len());
    // An empty draft finds nothing.
    assert!(store.read(|c| similar_proposal_rowids(c, "", "", 3)).unwrap().is_empty());
}
