//! 年度履职报告: the member's year as a clean printable page (HTML with print styles), which
//! the apps show, share, or print to PDF with the platform's printing. Made from the same
//! record the member sees: the facts grouped by kind, with counts and points, and the rule
//! version that gave them. No rank, no comparison with others.

use lvzhi_domain::duty::record::DutyRecord;
use lvzhi_domain::time::{cst, from_millis};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn day(ms: i64) -> String {
    from_millis(ms).with_timezone(&cst()).format("%Y年%m月%d日").to_string()
}

pub fn annual_report_html(name: &str, org_name: &str, r: &DutyRecord) -> String {
    let mut html = String::new();
    html.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    html.push_str(&format!("<title>{}年度履职报告 · {}</title>", r.year, escape(name)));
    html.push_str(
        "<style>body{font-family:'Noto Sans CJK SC','PingFang SC',sans-serif;margin:2em;color:#222}\
         h1{font-size:1.5em}table{border-collapse:collapse;width:100%;margin:1em 0}\
         th,td{border:1px solid #999;padding:.3em .5em;text-align:left}td.n{text-align:right}\
         @media print{body{margin:0}}</style></head><body>",
    );
    html.push_str(&format!("<h1>{}年度履职报告</h1>", r.year));
    html.push_str(&format!("<p>委员：{}　{}</p>", escape(name), escape(org_name)));
    html.push_str(&format!(
        "<p>本年度履职积分 <strong>{}</strong> 分（积分规则第{}版{}）。</p>",
        r.total,
        r.rule_version,
        if r.rule_version == 0 { "，默认规则" } else { "" }
    ));
    html.push_str("<h2>分类汇总</h2><table><tr><th>履职事项</th><th>次数</th><th>积分</th></tr>");
    for k in &r.by_kind {
        html.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&k.label),
            k.count,
            k.points
        ));
    }
    html.push_str("</table><h2>履职明细</h2><table><tr><th>日期</th><th>事项</th><th>内容</th><th>积分</th></tr>");
    for l in &r.lines {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            day(l.fact.at_ms),
            escape(&l.label),
            escape(&l.fact.title),
            l.points
        ));
    }
    if r.lines.is_empty() {
        html.push_str("<tr><td colspan=\"4\">本年度暂无履职记录</td></tr>");
    }
    html.push_str("</table></body></html>");
    html
}
