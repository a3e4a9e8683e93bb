"""Progress while a crawl runs, and a summary when it ends."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newsbot.run_context import run_context

logger = logging.getLogger(__name__)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 record``, ``2 records`` (``nouns`` for an irregular plural)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def output_names(uris: list[str]) -> str:
    """The outputs of a run as a user named them."""
    names = [
        "standard output" if u.startswith("stdout:") else u.removeprefix("file://") for u in uris
    ]
    return ", ".join(names)


def summary_lines(
    stats: dict[str, Any], outputs: list[str], name: str, reason: str, state_of: str | None
) -> list[str]:
    """The end-of-run summary: records written and where, pages fetched, what was
    skipped and why (and how to fetch it again), what was dropped. *state_of* names
    the source whose crawl state the run kept (None: none kept)."""
    written = int(stats.get("item_scraped_count", 0))
    fetched = int(stats.get("response_received_count", 0))
    errors = int(stats.get("log_count/ERROR", 0))
    where = f"to {output_names(outputs)}" if outputs else "(no output file)"
    lines = [
        f"{name}: {plural(written, 'record')} written {where}",
        f"  fetched {plural(fetched, 'page')}; {plural(errors, 'error')}; finished: {reason}",
    ]
    done = int(stats.get("newsbot/state/skipped", 0)) + int(
        stats.get("newsbot/state/skipped/done", 0)
    )
    if done:
        lines.append(
            f"  skipped {plural(done, 'URL')} whose records earlier runs wrote (crawl state "
            f"of {state_of or name}); to fetch them again: -s NEWSBOT_STATE_ENABLED=0"
        )
    unchanged = int(stats.get("newsbot/state/not_modified", 0)) + int(
        stats.get("newsbot/state/unchanged", 0)
    )
    if unchanged:
        lines.append(
            f"  {plural(unchanged, 'article')} re-checked and unchanged since earlier runs"
        )
    since = int(stats.get("newsbot/skipped/since", 0))
    if since:
        lines.append(
            f"  skipped {plural(since, 'entry', 'entries')} dated before since=; "
            "to fetch them: a run without since="
        )
    dropped = _counts(stats, "newsbot/dropped/")
    if dropped:
        lines.append("  dropped: " + ", ".join(f"{k} {v}" for k, v in dropped.items()))
    return lines


def _counts(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {
        key[len(prefix) :]: int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int)
    }


class Progress:
    """A live progress line on a terminal (pages fetched, articles written, dropped,
    errors, rate); a plain log line every ``NEWSBOT_PROGRESS_INTERVAL`` seconds
    otherwise; a summary at the end: records written, where, and what was dropped and
    why. Off with ``NEWSBOT_PROGRESS_ENABLED = False``."""

    def __init__(self, crawler: Crawler, interval: float, live: bool):
        self.crawler = crawler
        self.stats = crawler.stats
        self.interval = interval
        self.live = live
        self.outputs: list[str] = []
        self.started = time.monotonic()
        self._task: task.LoopingCall | None = None
        self.spider: Spider | None = None
        self.reason = "not started"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        settings = crawler.settings
        if not settings.getbool("NEWSBOT_PROGRESS_ENABLED"):
            raise NotConfigured("NEWSBOT_PROGRESS_ENABLED is off")
        live = sys.stderr.isatty()
        interval = 1.0 if live else settings.getfloat("NEWSBOT_PROGRESS_INTERVAL")
        ext = cls(crawler, interval, live)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def line(self) -> str:
        get = self.stats.get_value
        elapsed = max(time.monotonic() - self.started, 1e-6)
        fetched = get("response_received_count", 0)
        written = get("item_scraped_count", 0)
        dropped = get("item_dropped_count", 0)
        errors = get("log_count/ERROR", 0)
        return (
            f"fetched {plural(fetched, 'page')}, wrote {plural(written, 'article')}, "
            f"dropped {dropped}, {plural(errors, 'error')} ({fetched / elapsed * 60:.0f} pages/min)"
        )

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self._task = task.LoopingCall(self.tick)
        self._task.start(self.interval, now=False)

    def tick(self) -> None:
        if self.live:
            sys.stderr.write("\r\x1b[2K" + self.line())
            sys.stderr.flush()
        else:
            logger.info("progress: %s", self.line())

    def feed_slot_closed(self, slot: Any) -> None:
        uri = getattr(slot, "uri", None)
        if uri:
            self.outputs.append(str(uri).removeprefix("file://"))
            self.stats.set_value("newsbot/output/files", list(self.outputs))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._task is not None and self._task.running:
            self._task.stop()
        if self.live:
            sys.stderr.write("\r\x1b[2K")
        self.spider = spider
        self.reason = reason

    def engine_stopped(self) -> None:
        # Summarised once the engine has stopped: the feed exporter closes its files
        # (and reports them through feed_slot_closed) while spider_closed runs.
        spider = self.spider
        if spider is None:
            return
        name = run_context(self.crawler, spider).source
        state_of = name if getattr(spider, "keeps_state", True) else None
        lines = summary_lines(self.stats.get_stats(), self.outputs, name, self.reason, state_of)
        logger.info("summary: %s", "\n".join(lines))
