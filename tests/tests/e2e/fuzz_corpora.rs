//! Every input in the committed fuzz corpora (`fuzz/corpus/<target>/`), run through its target
//! on stable Rust: what the fuzzer once found stays fixed. `scripts/fuzz` grows the corpora.

use std::path::Path;

fn run(target: &str, body: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no corpus for {target}");
    for input in inputs {
        let data = std::fs::read(&input).unwrap();
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "{target} fails on {}", input.display());
    }
}

#[test]
fn sync_requests() {
    run("sync_request", lvzhi_tests::fuzz_targets::sync_request);
}

#[test]
fn tokenizer() {
    run("tokenizer", lvzhi_tests::fuzz_targets::tokenizer);
}

#[test]
fn bootstrap_files() {
    run("bootstrap_file", lvzhi_tests::fuzz_targets::bootstrap_file);
}

#[test]
fn mutation_sequences() {
    run("mutations", lvzhi_tests::fuzz_targets::mutations);
}
