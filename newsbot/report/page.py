"""The report page: one self-contained HTML file.

Styles and plotly.js are inlined and nothing refers to another file or host, so the
page reads the same offline, from a mail attachment or from a CI artifact. Tables give
the exact figures (each cell carries ``data-field``, each row its source or run id),
charts show their course.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from newsbot import __version__
from newsbot.report.charts import plotly_js, source_charts, sparkline
from newsbot.report.runs import Run, Source

_CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 0;
  color: #24292f; background: #f6f8fa; font-size: 14px; line-height: 1.45; }
header, section, footer { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.muted, small { color: #57606a; }
table { border-collapse: collapse; background: white; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: middle; }
th { background: #eaeef2; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.runs-wrap { overflow-x: auto; }
.runs { font-size: 12.5px; }
.runs th, .runs td { padding: 3px 6px; }
.runs td { white-space: nowrap; }
.runs td.line { white-space: normal; min-width: 260px; font-family: ui-monospace, monospace;
  font-size: 11.5px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; }
.healthy, .ok { background: #dafbe1; color: #116329; }
.unhealthy { background: #fff8c5; color: #7d4e00; }
.failed { background: #ffebe9; color: #a40e26; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(400px, 1fr));
  gap: 12px; }
.chart { background: white; border: 1px solid #d0d7de; border-radius: 6px; padding: 4px; }
pre.errors { background: white; border: 1px solid #d0d7de; padding: 8px; overflow-x: auto;
  font-size: 12px; white-space: pre-wrap; }
section.source { border-top: 1px solid #d0d7de; margin-top: 28px; }
footer { padding: 24px; color: #57606a; }
"""


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _num(field: str, value: int | float | None, text: str | None = None) -> str:
    shown = "–" if value is None else (text if text is not None else f"{value:,}")
    return f'<td class="num" data-field="{field}">{escape(shown)}</td>'


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _badge(css: str, text: str) -> str:
    return f'<span class="badge {escape(css)}">{escape(text)}</span>'


def _overview(sources: list[Source]) -> str:
    rows = []
    for index, source in enumerate(sources):
        last = source.last
        verdict_css = source.verdict.split(" ", 1)[0]
        detail = source.verdict_detail
        rows.append(
            f'<tr data-source="{escape(source.name)}">'
            f'<td data-field="source"><a href="#source-{index}">{escape(source.name)}</a></td>'
            f'<td data-field="last_run">{escape(last.run_id)}<br>'
            f"<small>{_when(last.started)}</small></td>"
            f'<td data-field="status">{_badge(last.status, last.status)}</td>'
            + _num("exit_status", last.exit_status)
            + _num("last_written", last.written)
            + _num("total_written", source.total_written)
            + _num("runs", len(source.runs))
            + f'<td data-field="verdict">{_badge(verdict_css, source.verdict)}'
            + (f"<br><small>{escape(detail)}</small>" if detail else "")
            + "</td>"
            f'<td class="trend">{sparkline(source, f"trend-{index}")}</td>'
            "</tr>"
        )
    return (
        '<table class="overview"><thead><tr>'
        "<th>Source</th><th>Last run</th><th>Status</th>"
        '<th class="num">Exit status</th><th class="num">Records, last run</th>'
        '<th class="num">Records, all runs</th><th class="num">Runs</th>'
        "<th>Health</th><th>Records per run</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _dropped_text(run: Run) -> str:
    return ", ".join(f"{reason} {count}" for reason, count in sorted(run.dropped.items()))


def _runs_table(source: Source) -> str:
    rows = []
    for run in reversed(source.runs):
        dropped_title = escape(_dropped_text(run))
        errors_title = escape(", ".join(f"{k} {v}" for k, v in run.errors_by_kind.items()))
        note = run.error_lines[-1] if run.error_lines else "; ".join(run.problems)
        median = run.median_word_count
        rows.append(
            f'<tr data-run-id="{escape(run.run_id)}">'
            f'<td data-field="run_id">{escape(run.run_id)}</td>'
            f'<td data-field="started">{_when(run.started)}</td>'
            + _num(
                "duration_s",
                run.duration_s,
                f"{run.duration_s:.1f}s" if run.duration_s is not None else None,
            )
            + f'<td data-field="finish_reason">{escape(run.finish_reason)}</td>'
            + f'<td data-field="status">{_badge(run.status, run.status)}</td>'
            + _num("exit_status", run.exit_status)
            + _num("fetched", run.fetched)
            + _num("written", run.written)
            + _num("new", run.new)
            + _num("updated", run.updated)
            + _num("skipped", run.skipped)
            + _num("not_modified", run.not_modified)
            + f'<td class="num" data-field="dropped" title="{dropped_title}">'
            f"{run.dropped_total:,}</td>"
            + f'<td class="num" data-field="errors" title="{errors_title}">{run.errors:,}</td>'
            + _num("median_word_count", median, f"{median:g}" if median is not None else None)
            + f'<td class="line" data-field="note">{escape(note)}</td>'
            "</tr>"
        )
    return (
        '<div class="runs-wrap"><table class="runs"><thead><tr>'
        "<th>Run id</th><th>Started (UTC)</th>"
        '<th class="num">Took</th><th>Finish reason</th><th>Status</th>'
        '<th class="num">Exit status</th><th class="num">Fetched</th>'
        '<th class="num">Written</th><th class="num">New</th><th class="num">Updated</th>'
        '<th class="num">Skipped</th><th class="num">Not modified</th>'
        '<th class="num">Dropped</th><th class="num">Errors</th>'
        '<th class="num">Median words</th><th>Latest error line or health problem</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )


def _error_lines(source: Source) -> str:
    for run in reversed(source.runs):
        if run.error_lines:
            lines = "\n".join(escape(line) for line in run.error_lines)
            return (
                f"<h3>Latest error lines</h3><p class='muted'>From run "
                f"{escape(run.run_id)} ({run.errors:,} ERROR lines; the manifest keeps "
                f"the last {len(run.error_lines)}).</p>"
                f'<pre class="errors" data-run-id="{escape(run.run_id)}">{lines}</pre>'
            )
    if any(run.errors for run in source.runs):
        return (
            "<h3>Latest error lines</h3><p class='muted'>These runs' manifests keep no "
            "error lines (written by an older newsbot); see the crawl logs.</p>"
        )
    return "<h3>Latest error lines</h3><p class='muted'>No errors in these runs.</p>"


def _source_section(index: int, source: Source) -> str:
    charts = "".join(
        f'<div class="chart">{chart}</div>' for chart in source_charts(source, f"s{index}")
    )
    first, last = source.runs[0], source.last
    return (
        f'<section class="source" id="source-{index}" data-source="{escape(source.name)}">'
        f"<h2>{escape(source.name)}</h2>"
        f"<p class='muted'>{_plural(len(source.runs), 'run')} from {_when(first.started)} to "
        f"{_when(last.started)} UTC; {_plural(source.total_written, 'record')} written.</p>"
        f'<div class="charts">{charts}</div>'
        f"<h3>Runs</h3>{_runs_table(source)}{_error_lines(source)}"
        "</section>"
    )


def render(
    sources: list[Source], *, generated: datetime, title: str = "newsbot crawl report"
) -> str:
    """The whole page for *sources*."""
    runs = [run for source in sources for run in source.runs]
    first = min(run.started for run in runs)
    last = max(run.started for run in runs)
    # plotly.js holds no "</script>"; guard anyway, as a stray one would end the tag.
    script = plotly_js().replace("</script", "<\\/script")
    sections = "".join(_source_section(i, s) for i, s in enumerate(sources))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style>"
        f'<script type="text/javascript">{script}</script>'
        "</head><body>"
        f"<header><h1>{escape(title)}</h1>"
        f"<p class='muted'>{_plural(len(sources), 'source')}, {_plural(len(runs), 'run')} from "
        f"{_when(first)} to {_when(last)} UTC. Made {_when(generated)} UTC.</p></header>"
        f'<section id="overview"><h2>Sources</h2>{_overview(sources)}</section>'
        f"{sections}"
        f"<footer>newsbot {escape(__version__)} · charts by Plotly</footer>"
        "</body></html>\n"
    )
