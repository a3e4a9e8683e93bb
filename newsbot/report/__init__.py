"""``newsbot report``: one self-contained HTML page of what the crawls did.

It reads run manifests (:mod:`newsbot.report.runs`), draws each source's runs with
Plotly (:mod:`newsbot.report.charts`) and writes a page with everything inlined
(:mod:`newsbot.report.page`). Plotly is the optional extra ``newsbot[report]``;
:func:`missing_dependency` says what to install when it is absent.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsbot.report.runs import ReportError, Run, Source, load_sources

__all__ = ["Report", "ReportError", "Run", "Source", "missing_dependency", "write_report"]

MIN_PLOTLY = "5.24"


def missing_dependency() -> str | None:
    """A one-line message when the charting library is not installed, else None."""
    if importlib.util.find_spec("plotly") is None:
        return f"newsbot report needs Plotly (>= {MIN_PLOTLY}): pip install 'newsbot[report]'"
    return None


@dataclass(kw_only=True, slots=True)
class Report:
    """What :func:`write_report` wrote."""

    path: Path
    sources: list[Source]
    warnings: list[str]

    @property
    def runs(self) -> int:
        return sum(len(source.runs) for source in self.sources)


def write_report(
    paths: Sequence[Path], out: Path, *, title: str = "newsbot crawl report"
) -> Report:
    """Read the run manifests under *paths* and write the report page to *out*.

    Raises :class:`ReportError` when there is nothing to report or *out* cannot be
    written.
    """
    from newsbot.report.page import render

    sources, warnings = load_sources(paths)
    html = render(sources, generated=datetime.now(UTC), title=title)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        raise ReportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return Report(path=out, sources=sources, warnings=warnings)
