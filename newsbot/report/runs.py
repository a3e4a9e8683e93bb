"""Reading run manifests into the figures a report shows.

A run is known by its manifest (``<source>/<run id>.manifest.json``, written by
:class:`newsbot.extensions.manifest.RunManifest`). Manifests written before they
carried the records' figures (median word count, records without a date or an
author, what cleaning removed) get them from the run's record files, when those are
still there.
"""

from __future__ import annotations

import gzip
import json
import logging
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from newsbot.dates import parse_iso_utc

logger = logging.getLogger(__name__)

MANIFEST_SUFFIX = ".manifest.json"

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNHEALTHY = 3


class ReportError(Exception):
    """A problem that stops a report, with a one-line message for the user."""


@dataclass(kw_only=True, slots=True)
class Run:
    """One crawl run of one source, as its manifest tells it."""

    run_id: str
    source: str
    started: datetime
    """When the run started (timezone-aware)."""
    finished: datetime | None
    duration_s: float | None
    finish_reason: str
    """Scrapy's finish reason: ``finished``, ``shutdown``, ``closespider_*`` ..."""
    exit_status: int
    """0 success, 1 failed or interrupted, 3 unhealthy (see the manifest docs)."""
    fetched: int
    written: int
    new: int
    updated: int
    skipped: int
    """Pages not requested because an earlier run wrote their records (crawl state)."""
    not_modified: int
    dropped: dict[str, int]
    """Pages or records dropped, per reason (``too_short``, ``duplicate_url`` ...)."""
    errors: int
    """ERROR log lines of the run."""
    errors_by_kind: dict[str, int]
    removed: dict[str, int] | None
    """What cleaning removed from the written records, per kind; None when unknown."""
    median_word_count: float | None
    without_date: int | None
    without_author: int | None
    error_lines: list[str]
    health_ok: bool
    problems: list[str]
    manifest: Path
    output_files: list[str] = field(default_factory=list)

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    @property
    def status(self) -> str:
        """One word for the run's outcome."""
        if self.exit_status == EXIT_OK:
            return "ok"
        if self.exit_status == EXIT_UNHEALTHY:
            return "unhealthy"
        return "failed"

    def share(self, part: int | None) -> float | None:
        """*part* as a share of the records written (None when nothing was written)."""
        if part is None or not self.written:
            return None
        return part / self.written


@dataclass(kw_only=True, slots=True)
class Source:
    """A source and its runs, oldest first."""

    name: str
    runs: list[Run]

    @property
    def last(self) -> Run:
        return self.runs[-1]

    @property
    def total_written(self) -> int:
        return sum(run.written for run in self.runs)

    @property
    def verdict(self) -> str:
        """The health verdict on the source, from its last run."""
        last = self.last
        if last.exit_status == EXIT_OK:
            return "healthy"
        if last.exit_status == EXIT_UNHEALTHY:
            return "unhealthy"
        return f"failed ({last.finish_reason})"

    @property
    def verdict_detail(self) -> str:
        """Why the verdict is what it is, in a line (empty for a healthy source)."""
        last = self.last
        if last.problems:
            return "; ".join(last.problems)
        if last.exit_status == EXIT_FAILED:
            return f"the last run ended with '{last.finish_reason}'"
        return ""


def find_manifests(paths: Sequence[Path]) -> list[Path]:
    """The run manifests named by *paths*: manifest files, or folders searched
    recursively. Raises :class:`ReportError` for a missing path or when none is found."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise ReportError(f"no such file or folder: {path}")
        if path.is_dir():
            candidates = sorted(path.rglob(f"*{MANIFEST_SUFFIX}"))
        elif path.name.endswith(MANIFEST_SUFFIX):
            candidates = [path]
        else:
            raise ReportError(f"not a run manifest (*{MANIFEST_SUFFIX}): {path}")
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen and candidate.is_file():
                seen.add(resolved)
                found.append(candidate)
    if not found:
        shown = ", ".join(str(p) for p in paths)
        raise ReportError(f"no run manifests (*{MANIFEST_SUFFIX}) found in {shown}")
    return found


def _int_map(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {str(k): int(v) for k, v in value.items() if isinstance(v, int | float) and v}


def _optional_int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def _time(value: Any) -> datetime | None:
    return parse_iso_utc(value) if isinstance(value, str) else None


def load_run(path: Path) -> Run:
    """The run a manifest describes. Raises ValueError (with the reason) for a file
    that is not a run manifest."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"unreadable: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("counts"), dict):
        raise ValueError("not a run manifest (no counts)")
    started = _time(data.get("started"))
    if started is None or not data.get("run_id") or not data.get("source"):
        raise ValueError("not a run manifest (no run_id, source or start time)")
    counts = data["counts"]
    has_records = isinstance(data.get("records"), dict)
    records: dict[str, Any] = data["records"] if has_records else {}
    health: dict[str, Any] = data["health"] if isinstance(data.get("health"), dict) else {}
    median = records.get("median_word_count")
    run = Run(
        run_id=str(data["run_id"]),
        source=str(data["source"]),
        started=started,
        finished=_time(data.get("finished")),
        duration_s=data.get("duration_s"),
        finish_reason=str(data.get("finish_reason", "unknown")),
        exit_status=int(data.get("exit_status", EXIT_FAILED)),
        fetched=int(counts.get("fetched", 0)),
        written=int(counts.get("written", 0)),
        new=int(counts.get("new", 0)),
        updated=int(counts.get("updated", 0)),
        skipped=int(counts.get("skipped", 0)),
        not_modified=int(counts.get("not_modified", 0)),
        dropped=_int_map(counts.get("dropped")),
        errors=int(counts.get("errors", 0)),
        errors_by_kind=_int_map(counts.get("errors_by_kind")),
        removed=_int_map(counts["removed"]) if "removed" in counts else None,
        median_word_count=float(median) if isinstance(median, int | float) else None,
        without_date=_optional_int(records.get("without_date")),
        without_author=_optional_int(records.get("without_author")),
        error_lines=[str(line) for line in data.get("error_lines") or []],
        health_ok=bool(health.get("ok", True)),
        problems=[str(p) for p in health.get("problems") or []],
        manifest=path,
        output_files=[str(f) for f in data.get("output_files") or []],
    )
    if run.errors and not run.errors_by_kind:
        # A manifest from before errors were split by kind.
        run.errors_by_kind = {"other": run.errors}
    if not has_records or run.removed is None:
        _figures_from_records(run)
    return run


def _record_file(run: Run, name: str) -> Path | None:
    """Where a run's output file is now: as named (relative to the folder the crawl
    ran in, which is usually the current one), else beside the manifest."""
    path = Path(name)
    for candidate in (path, run.manifest.parent / path.name):
        if candidate.is_file():
            return candidate
    return None


def _records(path: Path) -> Iterator[dict[str, Any]]:
    opener: Any = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                yield record


def _figures_from_records(run: Run) -> None:
    """Fill in the records' figures of an older manifest from its record files, when
    they can all still be read; else leave them unknown."""
    if not run.output_files:
        return
    words: list[int] = []
    undated = no_author = 0
    removed: dict[str, int] = {}
    for name in run.output_files:
        path = _record_file(run, name)
        if path is None or not path.name.endswith((".jsonl", ".jsonl.gz")):
            return
        try:
            for record in _records(path):
                words.append(int(record.get("word_count") or 0))
                undated += not record.get("published")
                no_author += not record.get("authors")
                for kind, count in (record.get("removed") or {}).items():
                    removed[kind] = removed.get(kind, 0) + int(count)
        except (OSError, EOFError, ValueError) as exc:
            logger.warning("%s: cannot read the records of run %s: %s", path, run.run_id, exc)
            return
    if run.removed is None:
        run.removed = removed
    if run.without_date is None:
        run.median_word_count = float(statistics.median(words)) if words else None
        run.without_date = undated
        run.without_author = no_author


def load_sources(paths: Sequence[Path]) -> tuple[list[Source], list[str]]:
    """The sources of the manifests under *paths*, by name, each with its runs in
    time order; and a warning per manifest that could not be read."""
    warnings: list[str] = []
    by_source: dict[str, dict[str, Run]] = {}
    for path in find_manifests(paths):
        try:
            run = load_run(path)
        except (ValueError, TypeError) as exc:
            warnings.append(f"{path}: skipped, {exc}")
            continue
        # The same run found twice (a copied folder) is shown once.
        by_source.setdefault(run.source, {})[run.run_id] = run
    if not by_source:
        raise ReportError("none of the run manifests found could be read: " + warnings[0])
    sources = [
        Source(name=name, runs=sorted(runs.values(), key=lambda r: (r.started, r.run_id)))
        for name, runs in sorted(by_source.items())
    ]
    return sources, warnings
