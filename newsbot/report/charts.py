"""The report's charts, drawn by Plotly (plotly.js is inlined once per page).

Every chart puts a source's runs on a time axis, one point or bar per run, and shows
the run id on hover. The figures are plain ``plotly.graph_objects`` figures rendered
to ``<div>`` elements with their own ``Plotly.newPlot`` call; :func:`plotly_js` gives
the library's source for the page's single ``<script>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import plotly.graph_objects as go
import plotly.offline

from newsbot.report.runs import Run, Source

# A small template instead of plotly_white: every figure carries its template in the
# page, and the built-in ones are some 10 kB each.
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
_TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": _FONT, "size": 12, "color": "#24292f"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": [
            "#1f77b4",
            "#ff7f0e",
            "#2ca02c",
            "#d62728",
            "#9467bd",
            "#8c564b",
            "#e377c2",
            "#7f7f7f",
            "#bcbd22",
            "#17becf",
        ],
        "xaxis": {"gridcolor": "#eaeef2", "linecolor": "#d0d7de", "zeroline": False},
        "yaxis": {"gridcolor": "#eaeef2", "linecolor": "#d0d7de", "zerolinecolor": "#d0d7de"},
        "hoverlabel": {"font": {"family": _FONT}},
    }
)

# No mode bar (it covers the titles); dragging still zooms, a double click resets.
_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}


def plotly_js() -> str:
    """The source of plotly.js, to inline in the page."""
    return str(plotly.offline.get_plotlyjs())


def _div(figure: go.Figure, div_id: str, config: dict[str, Any] | None = None) -> str:
    return str(
        figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=div_id,
            config=config or _CONFIG,
        )
    )


def _times(runs: list[Run]) -> list[str]:
    return [run.started.isoformat() for run in runs]


def _figure(title: str, y_title: str, *, barmode: str | None = None) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(
        template=_TEMPLATE,
        title={"text": title, "font": {"size": 14}, "x": 0, "xanchor": "left"},
        height=290,
        margin={"l": 50, "r": 10, "t": 40, "b": 30},
        showlegend=True,
        legend={"orientation": "h", "y": -0.18, "x": 0},
        yaxis={"title": {"text": y_title}, "rangemode": "tozero"},
        xaxis={"type": "date", "nticks": 5, "tickangle": 0},
        hovermode="closest",
    )
    if barmode:
        figure.update_layout(barmode=barmode)
    return figure


def _add(
    figure: go.Figure,
    runs: list[Run],
    name: str,
    values: list[Any],
    *,
    kind: str = "line",
    percent: bool = False,
) -> None:
    hover = "%{customdata}<br>" + name + ": %{y" + (":.0%" if percent else "") + "}<extra></extra>"
    common: dict[str, Any] = {
        "x": _times(runs),
        "y": values,
        "name": name,
        "customdata": [run.run_id for run in runs],
        "hovertemplate": hover,
    }
    if kind == "bar":
        figure.add_trace(go.Bar(**common))
    else:
        figure.add_trace(go.Scatter(mode="lines+markers", connectgaps=False, **common))


def _keys(runs: Iterable[Run], get: Callable[[Run], dict[str, int] | None]) -> list[str]:
    keys: set[str] = set()
    for run in runs:
        keys.update(get(run) or {})
    return sorted(keys)


def _note_if_empty(figure: go.Figure, runs: list[Run], text: str) -> None:
    """Say so on a chart with nothing to draw, over the runs' time span."""
    if not figure.data:
        # An invisible trace keeps the time axis on the runs' dates.
        figure.add_trace(
            go.Scatter(
                x=_times(runs),
                y=[0] * len(runs),
                mode="markers",
                marker={"opacity": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        figure.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)


def sparkline(source: Source, div_id: str) -> str:
    """A small line of the records each run wrote, for the overview table."""
    figure = go.Figure(
        go.Scatter(
            x=_times(source.runs),
            y=[run.written for run in source.runs],
            mode="lines+markers",
            marker={"size": 4},
            line={"width": 1.5, "color": "#1f77b4"},
            name="written",
        )
    )
    figure.update_layout(
        template=_TEMPLATE,
        width=180,
        height=44,
        margin={"l": 2, "r": 2, "t": 4, "b": 4},
        showlegend=False,
        xaxis={"visible": False, "type": "date"},
        yaxis={"visible": False, "rangemode": "tozero"},
    )
    return _div(figure, div_id, {"staticPlot": True, "displayModeBar": False})


def source_charts(source: Source, prefix: str) -> list[str]:
    """The charts of one source, as ``<div>`` elements with ids ``<prefix>-<name>``."""
    runs = source.runs
    charts = []

    written = _figure("Records written per run", "records", barmode="stack")
    _add(written, runs, "new", [r.new for r in runs], kind="bar")
    _add(written, runs, "updated", [r.updated for r in runs], kind="bar")
    charts.append(_div(written, f"{prefix}-written"))

    pages = _figure("Pages per run", "pages")
    _add(pages, runs, "fetched", [r.fetched for r in runs])
    _add(pages, runs, "skipped (done before)", [r.skipped for r in runs])
    _add(pages, runs, "not modified", [r.not_modified for r in runs])
    charts.append(_div(pages, f"{prefix}-pages"))

    problems = _figure("Dropped by reason, errors by kind", "pages or lines", barmode="stack")
    for reason in _keys(runs, lambda r: r.dropped):
        _add(
            problems,
            runs,
            f"dropped: {reason}",
            [r.dropped.get(reason, 0) for r in runs],
            kind="bar",
        )
    for kind in _keys(runs, lambda r: r.errors_by_kind):
        values = [r.errors_by_kind.get(kind, 0) for r in runs]
        _add(problems, runs, f"error: {kind}", values, kind="bar")
    _note_if_empty(problems, runs, "nothing dropped, no errors")
    charts.append(_div(problems, f"{prefix}-problems"))

    removed = _figure("Removed by cleaning per run", "blocks removed", barmode="stack")
    for kind in _keys(runs, lambda r: r.removed):
        counts: list[int | None] = [
            None if r.removed is None else r.removed.get(kind, 0) for r in runs
        ]
        _add(removed, runs, kind, counts, kind="bar")
    _note_if_empty(removed, runs, "cleaning removed nothing")
    charts.append(_div(removed, f"{prefix}-removed"))

    words = _figure("Median word count per run", "words")
    _add(words, runs, "median word_count", [r.median_word_count for r in runs])
    charts.append(_div(words, f"{prefix}-words"))

    missing = _figure("Records without a date or an author", "share of records")
    missing.update_yaxes(tickformat=".0%", range=[0, 1.05])
    _add(missing, runs, "without date", [r.share(r.without_date) for r in runs], percent=True)
    _add(missing, runs, "without author", [r.share(r.without_author) for r in runs], percent=True)
    charts.append(_div(missing, f"{prefix}-missing"))
    return charts
