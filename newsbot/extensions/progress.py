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

logger = logging.getLogger(__name__)


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
        return ext

    def line(self) -> str:
        get = self.stats.get_value
        elapsed = max(time.monotonic() - self.started, 1e-6)
        fetched = get("response_received_count", 0)
        written = get("item_scraped_count", 0)
        dropped = get("item_dropped_count", 0)
        errors = get("log_count/ERROR", 0)
        return (
            f"fetched {fetched} pages, wrote {written} articles, dropped {dropped}, "
            f"errors {errors} ({fetched / elapsed * 60:.0f} pages/min)"
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
        stats = self.stats.get_stats()
        written = int(stats.get("item_scraped_count", 0))
        where = ", ".join(self.outputs) or "no output file"
        dropped = _counts(stats, "newsbot/dropped/")
        dropped_text = ", ".join(f"{k} {v}" for k, v in dropped.items()) or "none"
        logger.info(
            "summary: %s; %d records written to %s; dropped: %s; finished: %s",
            self.line(),
            written,
            where,
            dropped_text,
            reason,
        )
