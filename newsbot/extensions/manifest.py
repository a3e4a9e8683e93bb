"""The run manifest and the health checks.

Every run writes a JSON manifest next to its records,
``<NEWSBOT_OUTPUT_DIR>/<source>/<run id>.manifest.json``: what ran, when, what it
fetched and wrote, what it dropped and why, where the records are, and whether the run
is healthy. ``newsbot crawl`` and ``newsbot schedule`` exit with its ``exit_status``;
monitoring tools can read it.

Exit statuses: 0 success; 1 the crawl failed or was interrupted (the finish reason is
not ``finished``); 3 a health check failed.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsbot import defaults
from newsbot.extensions.crawl_state import crawl_state
from newsbot.items import ArticleRecord
from newsbot.run_context import RunContext, run_context
from newsbot.state.store import RunRecord

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_UNHEALTHY = 3


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds")


def _counts(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {
        key[len(prefix) :]: int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int)
    }


# How many of a run's ERROR log lines its manifest keeps (the latest ones).
ERROR_LINES_KEPT = 20
_SPIDER_ERRORS = re.compile(r"^newsbot/[a-z_]+/(http_errors|fetch_errors)$")


def errors_by_kind(stats: dict[str, Any], total: int | None = None) -> dict[str, int]:
    """The run's ERROR log lines split by what went wrong: ``http_error`` (a page
    answered an HTTP error status), ``fetch_error`` (a page could not be fetched after
    its retries), ``spider_exceptions/<type>`` (a callback raised), and ``other``; the
    kinds add up to *total* (default: ``log_count/ERROR``)."""
    kinds: Counter[str] = Counter()
    for key, value in stats.items():
        if not isinstance(value, int):
            continue
        match = _SPIDER_ERRORS.match(key)
        if match:
            kinds[match.group(1).removesuffix("s")] += value
        elif key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
            kinds[key] += value
    if total is None:
        total = int(stats.get("log_count/ERROR", 0))
    other = total - sum(kinds.values())
    if other > 0:
        kinds["other"] = other
    return dict(sorted((k, v) for k, v in kinds.items() if v))


def median(counts: Counter[int]) -> float | None:
    """The median of values given as a count per value (None for no values)."""
    total = sum(counts.values())
    if not total:
        return None
    # The values at 0-based positions (total - 1) // 2 and total // 2.
    low, high = (total - 1) // 2, total // 2
    seen = 0
    low_value: int | None = None
    for value in sorted(counts):
        seen += counts[value]
        if low_value is None and seen > low:
            low_value = value
        if seen > high:
            assert low_value is not None
            return (low_value + value) / 2
    return None


class ErrorLines(logging.Handler):
    """Counts the ERROR lines logged during one crawl and keeps the latest, for its
    manifest. Lines tagged with another spider are not this run's: with several crawls
    in one process, Scrapy's ``log_count/ERROR`` counts every crawl's lines."""

    def __init__(self, spider: Spider, kept: int = ERROR_LINES_KEPT):
        super().__init__(level=logging.ERROR)
        self.spider = spider
        self.lines: deque[str] = deque(maxlen=kept)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        owner = getattr(record, "spider", None)
        if owner is not None and owner is not self.spider:
            return
        self.count += 1
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not break the crawl
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            message += f" ({type(exc).__name__}: {exc})"
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")
        line = " ".join(f"{when} [{record.name}] {record.levelname}: {message}".split())
        self.lines.append(line[:500])


@dataclass(kw_only=True, slots=True)
class HealthThresholds:
    """When a run counts as unhealthy. Settings: ``NEWSBOT_HEALTH_*``."""

    max_jump: float = 0.3
    """Largest rise of a share (of empty texts, of undated articles) over the mean of
    recent healthy runs before the run fails (0.3: 30 percentage points)."""
    min_pages: int = 5
    """Fewest pages (or records, for dates) a run and its history need before shares
    are compared: a handful of pages says little."""
    history: int = 5
    """How many recent healthy runs make the baseline."""


@dataclass(kw_only=True, slots=True)
class Health:
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    baseline: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problems": list(self.problems),
            "metrics": dict(self.metrics),
            "baseline": dict(self.baseline),
        }


def run_metrics(stats: dict[str, Any], undated: int) -> dict[str, Any]:
    """The figures of a run that the health checks compare."""
    pages = int(stats.get("newsbot/extract/pages", 0))
    empty = sum(_counts(stats, "newsbot/extract/error/").values()) + int(
        stats.get("newsbot/dropped/too_short", 0)
    )
    records = int(stats.get("item_scraped_count", 0))
    known = (
        int(stats.get("newsbot/state/skipped", 0))
        + sum(_counts(stats, "newsbot/state/skipped/").values())
        + int(stats.get("newsbot/state/not_modified", 0))
        + int(stats.get("newsbot/state/unchanged", 0))
    )
    return {
        "fetched": int(stats.get("response_received_count", 0)),
        "pages": pages,
        "empty": empty,
        "records": records,
        "undated": undated,
        "articles_seen": records + known + sum(_counts(stats, "newsbot/skipped/").values()),
        "refused_private": sum(
            int(stats.get(f"newsbot/guard/refused/{k}", 0))
            for k in ("private_address", "private_peer")
        ),
    }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _why_no_article(metrics: dict[str, Any], healthy: list[RunRecord]) -> str:
    """What the figures say about a run that met no article. A changed template is
    blamed only with evidence: an earlier healthy run of the source that wrote some."""
    fetched = int(metrics.get("fetched", 0))
    refused = int(metrics.get("refused_private", 0))
    earlier = next((r for r in healthy if int(r.metrics.get("records", 0)) > 0), None)
    if fetched == 0 and refused:
        return (
            f"{_plural(refused, 'request')} refused because the host is a private address; "
            "to crawl it: -a allow_private=1 (allow_private = true in the sources file)"
        )
    if fetched == 0:
        return "no page could be fetched (see the errors above)"
    if earlier is not None:
        return (
            f"its last healthy run wrote {_plural(int(earlier.metrics['records']), 'article')}"
            " — the site probably changed its template (or is unreachable)"
        )
    if int(metrics.get("pages", 0)) == 0:
        return "none of the pages fetched was taken for an article page"
    return "no page fetched gave an article text long enough to keep (see dropped)"


def check_health(
    source: str,
    metrics: dict[str, Any],
    history: list[RunRecord],
    thresholds: HealthThresholds,
) -> Health:
    """Judge a finished run against its source's recent healthy runs.

    A run fails when it met no article at all (none written, none known from earlier
    runs), or when its share of pages with no article text, or of articles with no
    date, rose by ``max_jump`` or more over the recent mean: both are what a site's new
    template does to an extractor tuned to the old one.
    """
    health = Health(metrics=dict(metrics))
    fetched = int(metrics.get("fetched", 0))
    idle_worker = bool(metrics.get("cluster_worker")) and int(metrics.get("pages", 0)) == 0
    healthy = [run for run in history if run.exit_status == EXIT_OK][: thresholds.history]
    if int(metrics.get("articles_seen", 0)) == 0 and not idle_worker:
        health.problems.append(
            f"source {source}: 0 articles from {_plural(fetched, 'page')} — "
            + _why_no_article(metrics, healthy)
        )
    checks = (
        ("empty", "pages", "pages had no article text"),
        ("undated", "records", "articles had no date"),
    )
    for part_key, whole_key, what in checks:
        whole = int(metrics.get(whole_key, 0))
        past = [
            r.metrics for r in healthy if int(r.metrics.get(whole_key, 0)) >= thresholds.min_pages
        ]
        if whole < thresholds.min_pages or not past:
            continue
        share = _share(int(metrics.get(part_key, 0)), whole)
        base = sum(_share(int(m.get(part_key, 0)), int(m[whole_key])) for m in past) / len(past)
        health.baseline[f"{part_key}_share"] = round(base, 4)
        health.metrics[f"{part_key}_share"] = round(share, 4)
        if share - base >= thresholds.max_jump:
            health.problems.append(
                f"source {source}: {share:.0%} of {whole} {what}, against {base:.0%} in "
                f"its last {_plural(len(past), 'run')} — the site probably changed its template"
            )
    health.ok = not health.problems
    return health


class RunManifest:
    """Writes the run manifest when the spider closes, and runs the health checks
    (logged at ERROR when they fail). The history of runs the checks compare against is
    kept in the crawl state; with the state off, only the "no articles" check runs.

    Settings: ``NEWSBOT_MANIFEST_ENABLED`` (default True), ``NEWSBOT_MANIFEST_DIR``
    (default: the run's output folder, ``<NEWSBOT_OUTPUT_DIR>/<source>``),
    ``NEWSBOT_HEALTH_ENABLED`` (default True), ``NEWSBOT_HEALTH_MAX_JUMP`` (0.3),
    ``NEWSBOT_HEALTH_MIN_PAGES`` (5), ``NEWSBOT_HEALTH_HISTORY`` (5).
    """

    def __init__(self, crawler: Crawler, thresholds: HealthThresholds, health_enabled: bool):
        self.crawler = crawler
        self.stats = crawler.stats
        self.thresholds = thresholds
        self.health_enabled = health_enabled
        self.started = time.time()
        self.outputs: list[str] = []
        self.undated = 0
        self.no_author = 0
        self.word_counts: Counter[int] = Counter()
        self.error_lines: ErrorLines | None = None
        self.new = 0
        self.updated = 0
        self.path: Path | None = None
        self.manifest: dict[str, Any] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunManifest:
        settings = crawler.settings
        if not settings.getbool("NEWSBOT_MANIFEST_ENABLED", defaults.NEWSBOT_MANIFEST_ENABLED):
            raise NotConfigured("NEWSBOT_MANIFEST_ENABLED is off")
        thresholds = HealthThresholds(
            max_jump=settings.getfloat("NEWSBOT_HEALTH_MAX_JUMP", defaults.NEWSBOT_HEALTH_MAX_JUMP),
            min_pages=settings.getint(
                "NEWSBOT_HEALTH_MIN_PAGES", defaults.NEWSBOT_HEALTH_MIN_PAGES
            ),
            history=settings.getint("NEWSBOT_HEALTH_HISTORY", defaults.NEWSBOT_HEALTH_HISTORY),
        )
        ext = cls(
            crawler,
            thresholds,
            settings.getbool("NEWSBOT_HEALTH_ENABLED", defaults.NEWSBOT_HEALTH_ENABLED),
        )
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.time()
        self.error_lines = ErrorLines(spider)
        logging.getLogger().addHandler(self.error_lines)

    def item_scraped(self, item: Any) -> None:
        if not isinstance(item, ArticleRecord):
            return
        if not item.published:
            self.undated += 1
        if not item.authors:
            self.no_author += 1
        self.word_counts[item.word_count] += 1
        if item.version > 1:
            self.updated += 1
        else:
            self.new += 1

    def feed_slot_closed(self, slot: Any) -> None:
        uri = getattr(slot, "uri", None)
        if uri:
            self.outputs.append(str(uri).removeprefix("file://"))

    def manifest_path(self, run: RunContext) -> Path:
        folder = self.crawler.settings.get("NEWSBOT_MANIFEST_DIR")
        return (Path(folder) if folder else run.source_dir) / f"{run.run_id}.manifest.json"

    def spider_closed(self, spider: Spider, reason: str) -> None:
        finished = time.time()
        stats = self.stats.get_stats()
        run = run_context(self.crawler, spider)
        source, run_id = run.source, run.run_id
        metrics = run_metrics(stats, self.undated)
        # A cluster worker shares its frontier: one that fetched no page (it joined
        # when the others had taken everything) is no evidence about the site.
        metrics["cluster_worker"] = bool(self.crawler.settings.get("NEWSBOT_REDIS_URL"))
        state = crawl_state(self.crawler)
        store = state.store if state is not None else None
        history = store.recent_runs(self.thresholds.history * 4) if store is not None else []

        if reason != "finished":
            health = Health(metrics=metrics)
            exit_status = EXIT_FAILED
        elif self.health_enabled:
            health = check_health(source, metrics, history, self.thresholds)
            exit_status = EXIT_OK if health.ok else EXIT_UNHEALTHY
        else:
            health = Health(metrics=metrics)
            exit_status = EXIT_OK

        dropped = _counts(stats, "newsbot/dropped/")
        no_text = _counts(stats, "newsbot/extract/error/")
        if no_text:
            dropped["no_text"] = sum(no_text.values())
        skipped = int(stats.get("newsbot/state/skipped", 0)) + sum(
            _counts(stats, "newsbot/state/skipped/").values()
        )
        errors = (
            self.error_lines.count
            if self.error_lines is not None
            else int(stats.get("log_count/ERROR", 0))
        )
        manifest: dict[str, Any] = {
            "run_id": run_id,
            "source": source,
            "spider": spider.name,
            "started": _iso(self.started),
            "finished": _iso(finished),
            "duration_s": round(finished - self.started, 3),
            "finish_reason": reason,
            "counts": {
                "fetched": metrics["fetched"],
                "written": metrics["records"],
                "new": self.new,
                "updated": self.updated,
                "unchanged": int(stats.get("newsbot/state/unchanged", 0)),
                "skipped": skipped,
                "not_modified": int(stats.get("newsbot/state/not_modified", 0)),
                "dropped": dropped,
                "errors": errors,
                "errors_by_kind": errors_by_kind(stats, errors),
                "removed": _counts(stats, "newsbot/clean/removed/"),
            },
            "records": {
                "median_word_count": median(self.word_counts),
                "without_date": self.undated,
                "without_author": self.no_author,
            },
            "error_lines": list(self.error_lines.lines) if self.error_lines else [],
            "output_files": [],
            "health": health.as_dict(),
            "exit_status": exit_status,
        }
        if not health.ok:
            for problem in health.problems:
                logger.error("health check failed: %s", problem)
            self.stats.set_value("newsbot/health/failed", len(health.problems))
        if store is not None:
            store.add_run(
                RunRecord(
                    run_id=run_id,
                    started=self.started,
                    finished=finished,
                    exit_status=exit_status,
                    metrics=metrics,
                )
            )
        self.stats.set_value("newsbot/exit_status", exit_status)
        if health.problems:
            self.stats.set_value("newsbot/health/message", "; ".join(health.problems))
        self.manifest = manifest
        self.path = self.manifest_path(run)

    def engine_stopped(self) -> None:
        if self.error_lines is not None:
            logging.getLogger().removeHandler(self.error_lines)
        # Written once the engine has stopped: the feed exporter closes its files
        # (and reports them through feed_slot_closed) while spider_closed runs.
        if self.manifest is None or self.path is None:
            return
        self.manifest["output_files"] = list(self.outputs)
        write_json_atomically(self.path, self.manifest)
        logger.info("run manifest: %s (exit status %d)", self.path, self.manifest["exit_status"])


def write_json_atomically(path: Path, data: Any) -> None:
    """Write JSON to a temporary file and rename it: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
