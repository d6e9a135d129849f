//! The report's charts, drawn on the server as SVG (the browser runs no chart code):
//! each service's answered and abandoned calls per interval with its service level,
//! and how each agent's logged-in time was spent. The numbers are in the tables under
//! them; a chart is for reading the shape at a glance.

use std::fmt::Write;

use crate::domain::report::Interval;
use crate::i18n::{Key, t};
use crate::model::{AgentReport, LOGGED_IN, QueueFigures};
use crate::time::format_datetime;
use crate::widget::status_label;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 26.0;

/// Text safe inside SVG.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The smallest of 1, 2, 5 × 10ⁿ at or above `n`: the top of an axis.
fn nice_top(n: u32) -> u32 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= n.max(1) {
                return m * step;
            }
        }
        step *= 10;
    }
}

/// How an interval's start is labelled on the axis: the time of day within a day, the
/// date across days.
fn tick_label(start: i64, interval: Interval, days: i64) -> String {
    let at = format_datetime(start);
    match (interval, days) {
        (Interval::Day, _) | (_, 2..) => format!("{}/{}", &at[5..7], &at[8..10]),
        _ => at[11..16].to_owned(),
    }
}

/// Answered (below) and abandoned (above) calls per interval over `[from, to)`, with
/// the service level as a line on its own axis (0–100 %).
pub fn calls_chart(rows: &[(i64, QueueFigures)], from: i64, to: i64, interval: Interval) -> String {
    let step = interval.ms();
    let n = ((to - from) / step).max(1) as usize;
    let days = (to - from) / crate::time::DAY_MS;
    let mut per = vec![QueueFigures::default(); n];
    for (start, f) in rows {
        if let Some(slot) = usize::try_from((start - from) / step).ok().and_then(|i| per.get_mut(i)) {
            *slot = *slot + *f;
        }
    }
    // Four gridlines a whole number of calls apart.
    let top = 4 * nice_top(per.iter().map(|f| f.answered + f.abandoned).max().unwrap_or(0).div_ceil(4));
    let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let bar_w = plot_w / n as f64;
    let y = |v: f64, max: f64| TOP + plot_h - v / max * plot_h;
    let (answered, abandoned) = (t(Key::BoardAnswered), t(Key::BoardAbandoned));
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart calls-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(t(Key::ReportCallsChart))
    );
    // Axes: calls on the left, service level on the right.
    for i in 0..=4 {
        let v = f64::from(top) * f64::from(i) / 4.0;
        let yy = y(v, f64::from(top));
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{yy:.1}" y2="{yy:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text><text class="axis sl" x="{}" y="{:.1}">{}%</text>"#,
            WIDTH - RIGHT,
            LEFT - 4.0,
            yy + 4.0,
            v as u32,
            WIDTH - RIGHT + 4.0,
            yy + 4.0,
            i * 25
        );
    }
    let label_every = n.div_ceil(8).max(1);
    let mut line = Vec::new();
    for (i, f) in per.iter().enumerate() {
        let start = from + i as i64 * step;
        let x = LEFT + i as f64 * bar_w;
        let w = (bar_w - 1.0).max(0.5);
        let (h_ans, h_ab) =
            (f64::from(f.answered) / f64::from(top) * plot_h, f64::from(f.abandoned) / f64::from(top) * plot_h);
        let base = TOP + plot_h;
        let when = tick_label(start, interval, days.max(1));
        let _ = write!(
            svg,
            r#"<g><title>{when} {answered} {} / {abandoned} {}</title><rect class="answered" x="{x:.1}" y="{:.1}" width="{w:.1}" height="{h_ans:.1}"/><rect class="abandoned" x="{x:.1}" y="{:.1}" width="{w:.1}" height="{h_ab:.1}"/></g>"#,
            f.answered,
            f.abandoned,
            base - h_ans,
            base - h_ans - h_ab,
        );
        if i % label_every == 0 {
            let _ = write!(svg, r#"<text class="axis" x="{x:.1}" y="{}">{}</text>"#, HEIGHT - 8.0, esc(&when));
        }
        if let Some(sl) = f.service_level_percent() {
            line.push(format!("{:.1},{:.1}", x + bar_w / 2.0, y(f64::from(sl), 100.0)));
        }
    }
    if !line.is_empty() {
        let _ = write!(svg, r#"<polyline class="sl" points="{}"/>"#, line.join(" "));
        for p in &line {
            let (cx, cy) = p.split_once(',').unwrap_or_default();
            let _ = write!(svg, r#"<circle class="sl" cx="{cx}" cy="{cy}" r="2.5"/>"#);
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Each agent's logged-in time as one bar, split by status, all on one scale.
pub fn status_chart(agents: &[AgentReport]) -> String {
    let row_h = 22.0;
    let label_w = 120.0;
    let height = TOP + row_h * agents.len().max(1) as f64 + 4.0;
    let longest = agents.iter().map(|a| a.total.time_in.logged_in()).max().unwrap_or(0).max(1) as f64;
    let plot_w = WIDTH - label_w - 60.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart status-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(t(Key::ReportStatusChart))
    );
    for (i, a) in agents.iter().enumerate() {
        let yy = TOP + i as f64 * row_h;
        let _ = write!(
            svg,
            r#"<text class="axis name" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            label_w - 6.0,
            yy + row_h / 2.0 + 4.0,
            esc(&a.name)
        );
        let mut x = label_w;
        for s in LOGGED_IN {
            let ms = a.total.time_in.of(s);
            if ms <= 0 {
                continue;
            }
            let w = ms as f64 / longest * plot_w;
            let _ = write!(
                svg,
                r#"<rect class="st-{}" x="{x:.1}" y="{:.1}" width="{w:.1}" height="{}"><title>{} {} {}</title></rect>"#,
                s.as_str(),
                yy + 3.0,
                row_h - 6.0,
                esc(&a.name),
                status_label(s),
                crate::time::format_duration(ms)
            );
            x += w;
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::day_start_ms;

    #[test]
    fn the_axis_top_is_a_round_number_at_or_above_the_highest_bar() {
        assert_eq!([0, 1, 2, 3, 6, 11, 99, 101].map(nice_top), [1, 1, 2, 5, 10, 20, 100, 200]);
    }

    #[test]
    fn a_day_by_the_hour_draws_24_intervals_with_the_calls_where_they_were() {
        let day = day_start_ms("2026-12-01").unwrap();
        let nine = QueueFigures { offered: 4, answered: 3, abandoned: 1, answered_within: 3, ..Default::default() };
        let svg = calls_chart(&[(day + 9 * 3_600_000, nine)], day, day + crate::time::DAY_MS, Interval::Hour);
        assert_eq!(svg.matches(r#"class="answered""#).count(), 24);
        assert!(svg.contains("<title>09:00 応答数 3 / 放棄数 1</title>"), "{svg}");
        assert!(svg.contains(r#"<text class="axis" x="36.0" y="212">00:00</text>"#));
        // One interval had a finished call: one point of service level (75 %).
        assert_eq!(svg.matches("<circle").count(), 1);
    }

    #[test]
    fn names_are_escaped() {
        let agent = AgentReport {
            user_id: 1,
            name: "<script>&".into(),
            service: String::new(),
            rows: vec![],
            total: Default::default(),
        };
        let svg = status_chart(&[agent]);
        assert!(svg.contains("&lt;script&gt;&amp;") && !svg.contains("<script>"));
    }
}
