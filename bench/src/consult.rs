//! 社情民意 statistics on the server: the province's figures by organisation and month over
//! 10,000 reports from the 146 organisations of the Yunnan tree, some adopted by their
//! prefecture (target p99 < 100 ms), against one plain GROUP BY over the same rows.

use std::time::{Duration, Instant};

use lvzhi_domain::consult::report::{Edition, Report, ReportContent, ReportState};
use lvzhi_store::consult::{repo, stats};
use lvzhi_store::{DbKind, Store};

use crate::fig;
use crate::{Figure, ms, percentile};

const DAY: i64 = 86_400_000;
/// 2026-01-01 in China.
const START: i64 = 1_767_196_800_000;
const REPORTS: usize = 10_000;

fn report(i: usize, org: &str, prefecture: &str) -> Report {
    let at = START + (i as i64 % 700) * DAY;
    let content = ReportContent {
        attachments: Vec::new(),
        title: format!("关于农村寄递物流末端网点建设的情况反映（{i}）"),
        situation: "部分行政村快递只能送到乡镇，村民往返取件需一小时以上。".into(),
        analysis: "末端网点运营成本高，单量不足。".into(),
        suggestion: "建议整合邮政、供销和客运资源，建设村级共配站点。".into(),
    };
    let state = [ReportState::Submitted, ReportState::Accepted, ReportState::Edited, ReportState::SentUp][i % 4];
    let mut editions = Vec::new();
    if state >= ReportState::Edited {
        editions.push(Edition {
            org_id: org.into(),
            issue: "第1期".into(),
            content: content.clone(),
            by: "s".into(),
            at_ms: at + DAY,
        });
    }
    if i.is_multiple_of(20) {
        editions.push(Edition {
            org_id: prefecture.into(),
            issue: "第2期".into(),
            content: content.clone(),
            by: "s".into(),
            at_ms: at + 9 * DAY,
        });
    }
    Report {
        id: format!("bench-r{i}"),
        org_id: org.into(),
        author_ids: vec![format!("bench-m{}", i % 3_000)],
        author_group: None,
        content,
        state,
        created_at_ms: at,
        submitted_at_ms: Some(at),
        accepted_at_ms: (state >= ReportState::Accepted).then_some(at + DAY),
        reason: None,
        editions,
        forwardings: Vec::new(),
        instructions: Vec::new(),
        feedback: None,
        from_proposal: None,
        source: None,
        history: Vec::new(),
        updated_at_ms: at,
    }
}

pub fn figures() -> Vec<Figure> {
    let dir = tempfile::tempdir().unwrap();
    let store = lvzhi_server::db::Db::Sqlite(Store::open(dir.path().join("server.db"), DbKind::Server).unwrap());
    lvzhi_server::bootstrap::seed_demo(&store, lvzhi_domain::time::now()).unwrap();
    let orgs: Vec<(String, String)> = store
        .read(|c| {
            let mut s = c.prepare("SELECT id, coalesce(parent_id, id) FROM organisations ORDER BY id")?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<lvzhi_sql::Result<Vec<_>>>()?;
            Ok::<_, lvzhi_store::Error>(rows)
        })
        .unwrap();
    store
        .write(|tx| {
            for i in 0..REPORTS {
                let (org, parent) = &orgs[i % orgs.len()];
                repo::save_report(tx, &report(i, org, parent))?;
            }
            Ok::<_, lvzhi_store::Error>(())
        })
        .unwrap();
    let rows = store.read(|c| stats::report_stats(c, "yn")).unwrap();
    let counted: u32 = rows.iter().map(|r| r.submitted).sum();
    assert_eq!(counted as usize, REPORTS, "the statistics count every report");
    let sample = |f: &mut dyn FnMut()| -> Vec<Duration> {
        (0..50)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect()
    };
    let mut stats_times = sample(&mut || {
        std::hint::black_box(store.read(|c| stats::report_stats(c, "yn")).unwrap());
    });
    let mut raw_times = sample(&mut || {
        let n = store
            .read(|c| {
                let mut s = c.prepare_cached(
                    "SELECT org_id, strftime('%Y-%m', submitted_at / 1000, 'unixepoch') m, count(*), sum(edited)
                     FROM reports GROUP BY org_id, m",
                )?;
                Ok::<_, lvzhi_store::Error>(s.query_map([], |r| r.get::<_, i64>(2))?.count())
            })
            .unwrap();
        std::hint::black_box(n);
    });
    let p99 = ms(percentile(&mut stats_times, 0.99));
    let raw = ms(percentile(&mut raw_times, 0.99));
    vec![fig(
        &format!("report_stats_province_{REPORTS}_reports_{}_orgs_p99", orgs.len()),
        (p99, "ms"),
        (raw, "ms plain GROUP BY"),
        "p99 < 100 ms",
        p99 < 100.0,
    )]
}
