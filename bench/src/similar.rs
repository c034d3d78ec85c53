//! Similar proposals while a member drafts (`lvzhi_store::search::similar_proposal_rowids`): the
//! p99 of finding the three most similar among a phone's 5,000 proposals (target < 30 ms), beside
//! the p99 of a two-character keyword search on the same index in the same run. The drafts are
//! the labelled set's (`tests/data/similar_proposals.json`), whose earlier proposals are among the
//! 5,000 with its distractors and the sample generator's proposals.

use std::time::{Duration, Instant};

use lvzhi_store::search::{search_proposal_rowids, similar_proposal_rowids};
use lvzhi_store::{DbKind, Store};

use crate::fig;
use crate::{Figure, ms, percentile};

/// Proposals as (title, text).
type Texts = Vec<(String, String)>;

/// The drafts and the corpus of the labelled set.
fn labelled() -> (Texts, Texts) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/similar_proposals.json");
    let set: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the labelled set")).unwrap();
    let text = |v: &serde_json::Value| {
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        (s("title"), format!("{}\n{}", s("cause"), s("suggestions")))
    };
    let pairs = set["pairs"].as_array().cloned().unwrap_or_default();
    let drafts = pairs.iter().map(|p| text(&p["draft"])).collect();
    let mut corpus: Vec<(String, String)> = pairs.iter().map(|p| text(&p["earlier"])).collect();
    corpus.extend(set["distractors"].as_array().cloned().unwrap_or_default().iter().map(text));
    (drafts, corpus)
}

pub fn figures(proposals: usize) -> Vec<Figure> {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("phone.db"), DbKind::Device).unwrap();
    let (drafts, corpus) = labelled();
    let counties = ["宾川县", "祥云县", "景东县", "镇康县", "弥渡县", "巍山县", "永平县", "云龙县"];
    store
        .write(|tx| {
            let mut rowid = 1;
            for (title, body) in &corpus {
                lvzhi_store::search::index_new_proposal(tx, rowid, title, body)?;
                rowid += 1;
            }
            while (rowid as usize) <= proposals {
                let i = rowid as usize;
                let p = lvzhi_domain::sample::proposal_content(i, counties[i % counties.len()]);
                lvzhi_store::search::index_new_proposal(
                    tx,
                    rowid,
                    &p.title,
                    &format!("{}\n{}", p.cause, p.suggestions),
                )?;
                rowid += 1;
            }
            Ok::<_, lvzhi_store::Error>(())
        })
        .unwrap();
    let sample = |n: usize, f: &mut dyn FnMut(usize)| -> Duration {
        let mut times: Vec<Duration> = (0..n)
            .map(|i| {
                let t = Instant::now();
                f(i);
                t.elapsed()
            })
            .collect();
        percentile(&mut times, 0.99)
    };
    let similar99 = sample(300, &mut |i| {
        let (title, body) = &drafts[i % drafts.len()];
        let found = store.read(|c| similar_proposal_rowids(c, title, body, 3)).unwrap();
        assert!(!found.is_empty());
    });
    let words = ["肉牛", "饮水", "洱海", "咖啡", "冷链", "托育"];
    let keyword99 = sample(300, &mut |i| {
        store.read(|c| search_proposal_rowids(c, words[i % words.len()], 20, 0)).unwrap();
    });
    let v = ms(similar99);
    vec![fig(
        &format!("similar_proposals_p99_{proposals}"),
        (v, "ms"),
        (ms(keyword99), "ms keyword search p99"),
        "< 30 ms",
        v < 30.0,
    )]
}
