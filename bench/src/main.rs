//! `scripts/bench [--quick]`: measures what Lvzhi promises — a fast app on a cheap phone and a
//! weak network, and a server that carries a province — and prints every figure next to a
//! reference measured in the same run:
//!
//! `BENCH <name> <value> <unit> | ref <value> <unit> | ratio <r> | target <t> | <met or missed>`
//!
//! Results also go to `target/bench/<unix time>.json` and `target/bench/latest.json`.
//! This is a benchmark: nothing here fails a build when a target is missed.

mod backends;
mod console;
mod consult;
mod duty;
mod figures;
mod files;
mod notify;
mod seed;
mod similar;
mod slowlink;

use std::time::Duration;

use serde::Serialize;

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub reference: f64,
    pub ref_unit: String,
    pub ratio: f64,
    pub target: String,
    pub met: bool,
}

/// A figure; its ratio is value / reference. Every group of figures makes them here.
pub fn fig(
    name: &str,
    (value, unit): (f64, &str),
    (reference, ref_unit): (f64, &str),
    target: &str,
    met: bool,
) -> Figure {
    Figure {
        name: name.into(),
        value,
        unit: unit.into(),
        reference,
        ref_unit: ref_unit.into(),
        ratio: value / reference,
        target: target.into(),
        met,
    }
}

impl Figure {
    pub fn print(&self) {
        println!(
            "BENCH {} {:.3} {} | ref {:.3} {} | ratio {:.3} | target {} | {}",
            self.name,
            self.value,
            self.unit,
            self.reference,
            self.ref_unit,
            self.ratio,
            self.target,
            if self.met { "met" } else { "missed" }
        );
    }
}

/// Sizes: the by default, small ones with `--quick` (a few seconds, for CI).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Sizes {
    pub apply_messages: usize,
    pub apply_proposals: usize,
    pub member_messages: usize,
    pub member_groups: usize,
    pub member_proposals: usize,
    pub push_clients: usize,
    pub push_rounds: usize,
    pub idle_pollers: usize,
    pub delay_messages: usize,
    pub connections: usize,
    pub stored_messages: usize,
    pub stored_proposals: usize,
    /// People in one imported list at the console.
    pub import_accounts: usize,
    /// Devices a province-wide notice is pushed to.
    pub notify_devices: usize,
}

/// `--only a,b`: run only the named groups of figures (apply always runs: initial-sync compares
/// with its raw rate). Groups: apply, reads, duty, consult, similar, console, notify, slow, files, initial, idle, push, delay, connections.
pub fn wanted(group: &str) -> bool {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == "--only") {
        Some(i) => args.get(i + 1).is_some_and(|list| list.split(',').any(|g| g == group)),
        None => true,
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes = if quick {
        Sizes {
            apply_messages: 5_000,
            apply_proposals: 500,
            member_messages: 2_000,
            member_groups: 20,
            member_proposals: 200,
            push_clients: 50,
            push_rounds: 4,
            idle_pollers: 100,
            delay_messages: 10,
            connections: 500,
            stored_messages: 10_000,
            stored_proposals: 1_000,
            import_accounts: 2_500,
            notify_devices: 2_500,
        }
    } else {
        Sizes {
            apply_messages: 50_000,
            apply_proposals: 5_000,
            member_messages: 20_000,
            member_groups: 20,
            member_proposals: 2_000,
            push_clients: 200,
            push_rounds: 10,
            idle_pollers: 1_000,
            delay_messages: 50,
            connections: 25_000,
            stored_messages: 100_000,
            stored_proposals: 10_000,
            import_accounts: 25_000,
            notify_devices: 25_000,
        }
    };
    println!("lvzhi bench ({}): {sizes:?}", if quick { "quick" } else { "full" });
    // CI runs the quick sizes on its debug build, to show every benchmark still runs without
    // spending minutes on a release build; speed is measured with `scripts/bench` (release).
    let debug_build = cfg!(debug_assertions);
    if debug_build {
        println!("bench: a DEBUG build — these figures show that the benchmarks run, not how fast anything is");
    }
    let mut all = Vec::new();
    let mut run = |figs: Vec<Figure>| {
        for f in &figs {
            f.print();
        }
        all.extend(figs);
    };
    let (apply, raw_rate) = figures::apply(&sizes);
    run(apply);
    if wanted("reads") {
        run(figures::local_reads(&sizes));
    }
    if wanted("duty") {
        run(duty::figures());
    }
    if wanted("consult") {
        run(consult::figures());
    }
    if wanted("similar") {
        run(similar::figures(if quick { 1_000 } else { 5_000 }));
    }
    if wanted("console") {
        run(console::figures(&sizes).await);
    }
    if wanted("notify") {
        run(notify::figures(sizes.notify_devices).await);
    }
    // The network figures all start from the initial sync's phone.
    if ["initial", "idle", "slow", "files", "push", "delay", "connections"].iter().any(|g| wanted(g)) {
        run(figures::network(&sizes, raw_rate).await);
    }
    if wanted("engines") {
        eprintln!("bench: SQLite and PostgreSQL side by side…");
        run(backends::figures(sizes.push_clients, if quick { 3 } else { 8 }).await);
    }

    let dir = std::path::Path::new("target/bench");
    let _ = std::fs::create_dir_all(dir);
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let json = serde_json::to_string_pretty(
        &serde_json::json!({ "quick": quick, "debug_build": debug_build, "sizes": sizes, "figures": all }),
    )
    .unwrap_or_default();
    // A debug run never replaces the release figures.
    let latest = if debug_build { "latest-debug.json" } else { "latest.json" };
    let _ = std::fs::write(dir.join(format!("{stamp}{}.json", if debug_build { "-debug" } else { "" })), &json);
    let _ = std::fs::write(dir.join(latest), &json);
    let met = all.iter().filter(|f| f.met).count();
    println!("bench: {met} of {} targets met; results in target/bench/{latest}", all.len());
}
