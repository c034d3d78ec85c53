//! What an edit changed in a text, character by character: the runs kept, removed and added,
//! for showing an edited text beside the original with the changes marked (社情民意's 编发).
//! A base module: it knows no feature.

/// What a run of characters is in the edited text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Mark {
    Same,
    Removed,
    Added,
}

/// Beyond this many cells (the changed middle's lengths multiplied), the middle is shown as
/// removed whole and added whole: a report is about 1,500 characters, so this is never reached
/// by a real edit, and a pathological one costs bounded memory.
const MAX_CELLS: usize = 16_000_000;

/// The runs that turn `original` into `edited`: a longest common subsequence of characters,
/// with adjacent characters of the same mark joined.
pub fn diff(original: &str, edited: &str) -> Vec<(Mark, String)> {
    let a: Vec<char> = original.chars().collect();
    let b: Vec<char> = edited.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut marks: Vec<(Mark, char)> = a[..prefix].iter().map(|c| (Mark::Same, *c)).collect();
    if am.len().saturating_mul(bm.len()) > MAX_CELLS {
        marks.extend(am.iter().map(|c| (Mark::Removed, *c)));
        marks.extend(bm.iter().map(|c| (Mark::Added, *c)));
    } else {
        marks.extend(middle(am, bm));
    }
    marks.extend(a[a.len() - suffix..].iter().map(|c| (Mark::Same, *c)));
    let mut runs: Vec<(Mark, String)> = Vec::new();
    for (mark, c) in marks {
        match runs.last_mut() {
            Some((m, s)) if *m == mark => s.push(c),
            _ => runs.push((mark, c.to_string())),
        }
    }
    runs
}

/// The LCS table of the changed middles, walked back into marks.
fn middle(a: &[char], b: &[char]) -> Vec<(Mark, char)> {
    let w = b.len() + 1;
    // lcs[i * w + j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![0u32; (a.len() + 1) * w];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i * w + j] =
                if a[i] == b[j] { lcs[(i + 1) * w + j + 1] + 1 } else { lcs[(i + 1) * w + j].max(lcs[i * w + j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((Mark::Same, a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j]) {
            out.push((Mark::Added, b[j]));
            j += 1;
        } else {
            out.push((Mark::Removed, a[i]));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(runs: &[(Mark, String)], keep: &[Mark]) -> String {
        runs.iter().filter(|(m, _)| keep.contains(m)).map(|(_, s)| s.as_str()).collect()
    }

    #[test]
    fn an_edit_is_marked_as_removed_and_added_runs_between_what_stayed() {
        let runs = diff("建议加大财政投入，设立专项资金。", "建议加大县级财政投入，设立专项扶持资金。");
        assert_eq!(
            runs,
            vec![
                (Mark::Same, "建议加大".into()),
                (Mark::Added, "县级".into()),
                (Mark::Same, "财政投入，设立专项".into()),
                (Mark::Added, "扶持".into()),
                (Mark::Same, "资金。".into()),
            ]
        );
    }

    #[test]
    fn both_texts_are_recovered_from_the_runs() {
        for (a, b) in [("", "新增一段"), ("删去的内容", ""), ("宾川县水利局", "宾川县水务局"), ("相同", "相同")]
        {
            let runs = diff(a, b);
            assert_eq!(text(&runs, &[Mark::Same, Mark::Removed]), a);
            assert_eq!(text(&runs, &[Mark::Same, Mark::Added]), b);
        }
        assert_eq!(diff("相同", "相同"), vec![(Mark::Same, "相同".into())]);
    }
}
