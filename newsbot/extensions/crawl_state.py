"""The crawl state of a run: opened at start, URLs marked done as records are written.

:class:`CrawlState` is the one owner of the run's :class:`~newsbot.state.StateStore`.
The skip middleware, the version pipeline and the spiders reach it through
:func:`crawl_state` (Scrapy's public ``crawler.get_extension``), so a run holds one
connection to its state.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings

from newsbot import defaults
from newsbot.canonical_urls import canonicalize_url
from newsbot.items import ArticleRecord
from newsbot.records import fingerprint_hex
from newsbot.run_context import run_context
from newsbot.sources import parse_duration
from newsbot.state.store import StateStore, UrlState, open_store

logger = logging.getLogger(__name__)

# Touches (skipped URLs seen again) are written in batches: losing a batch to a crash
# only makes pruning a little early, never loses a record.
_TOUCH_BATCH = 500


def record_urls(record: ArticleRecord, response: Response | None = None) -> set[str]:
    """Every canonical URL that names the article of *record*: the fetched URL, the
    record's canonical URL, and the URLs the request went through on redirects."""
    urls = {canonicalize_url(record.url), record.canonical_url}
    if response is not None:
        request = response.request
        if request is not None:
            urls.add(canonicalize_url(request.url))
            for url in request.meta.get("redirect_urls", ()):
                urls.add(canonicalize_url(url))
    return urls


class CrawlState:
    """Opens the state of the run's source, prunes entries older than the source's
    ``retention``, and marks a URL done when its record has been written.

    "Written" means the ``item_scraped`` signal: Scrapy's feed exporter, an extension
    loaded before this one, writes (and newsbot's exporter flushes) the line in its own
    ``item_scraped`` handler, which runs first. A crawl killed between fetch and write
    leaves the URL unmarked, so the next run fetches it again.

    Settings: ``NEWSBOT_STATE_ENABLED`` (default True), ``NEWSBOT_STATE_DIR`` (default
    ``.newsbot``), ``NEWSBOT_STATE_BACKEND`` (default the SQLite store),
    ``NEWSBOT_STATE_RETENTION`` (default ``90d``, for spiders without a source).

    Spiders use :meth:`is_done` and :meth:`note_skipped` (see :func:`crawl_state`).
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.settings = crawler.settings
        self.stats = crawler.stats
        self.store: StateStore | None = None
        self._opened = False
        self.source_name: str | None = None
        self.recheck_within: float | None = None
        self._touched: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlState:
        if not crawler.settings.getbool("NEWSBOT_STATE_ENABLED", defaults.NEWSBOT_STATE_ENABLED):
            raise NotConfigured("NEWSBOT_STATE_ENABLED is off")
        if getattr(crawler.spider, "keeps_state", True) is False:
            raise NotConfigured("the spider runs without a named source (-a state=1 keeps state)")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        # Opened by its first user (crawl_state(), from a middleware, a pipeline or the
        # spider's start()) or at spider_opened, not here: the store is named after the
        # run context, which a cluster worker builds when it joins, in the cluster
        # extension's own from_crawler; once every extension is built, the order of
        # EXTENSIONS does not matter.
        return ext

    # --- Life cycle -----------------------------------------------------------------
    def open(self, spider: Spider) -> None:
        """Open the source's store, once per crawl (a no-op afterwards, closed too)."""
        if self._opened:
            return
        self._opened = True
        source = getattr(spider, "source", None)
        self.source_name = run_context(self.crawler, spider).source
        retention = getattr(source, "retention", None) or self.settings.get(
            "NEWSBOT_STATE_RETENTION", defaults.NEWSBOT_STATE_RETENTION
        )
        recheck = getattr(source, "recheck_within", None)
        self.recheck_within = parse_duration(recheck).total_seconds() if recheck else None
        self.store = open_store(self.settings, self.source_name, self.crawler)
        now = time.time()
        pruned = self.store.prune(now - parse_duration(retention).total_seconds())
        if pruned:
            self.stats.set_value("newsbot/state/pruned", pruned)
        logger.info(
            "crawl state of source %s: %d URLs done (%d older than %s pruned)",
            self.source_name,
            self.store.count(),
            pruned,
            retention,
        )

    def spider_opened(self, spider: Spider) -> None:
        self.open(spider)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.store is None:
            return
        self._flush_touches()

    def engine_stopped(self) -> None:
        # Closed after spider_closed, whose handlers (the run manifest) still use it.
        if self.store is not None:
            self.store.close()
            self.store = None

    # --- Used by the middleware and the pipeline ------------------------------------
    def lookup(self, url: str) -> UrlState | None:
        """The state of *url* (canonicalised here), or None when not done."""
        if self.store is None:
            return None
        return self.store.get(canonicalize_url(url))

    def is_recent(self, entry: UrlState, now: float | None = None) -> bool:
        """Whether a done URL is recent enough for the source's ``recheck_within``."""
        if self.recheck_within is None:
            return False
        return (now or time.time()) - entry.first_seen <= self.recheck_within

    def touch(self, url: str) -> None:
        """Note that a done URL was met again (skipped, or re-checked unchanged)."""
        self._touched.add(canonicalize_url(url))
        if len(self._touched) >= _TOUCH_BATCH:
            self._flush_touches()

    def _flush_touches(self) -> None:
        if self.store is not None and self._touched:
            self.store.touch(self._touched, time.time())
        self._touched.clear()

    def item_scraped(self, item: Any, response: Response | None = None) -> None:
        if self.store is None or not isinstance(item, ArticleRecord):
            return
        self.mark_written(item, response)

    def mark_written(self, record: ArticleRecord, response: Response | None = None) -> None:
        """Mark the URLs of a written record done."""
        if self.store is None:
            return
        headers = response.headers if response is not None else None
        etag = headers.get(b"ETag") if headers is not None else None
        last_modified = headers.get(b"Last-Modified") if headers is not None else None
        self.store.mark_done(
            record_urls(record, response),
            fingerprint=fingerprint_hex(record.text),
            version=record.version,
            etag=etag.decode("latin-1") if etag else None,
            last_modified=last_modified.decode("latin-1") if last_modified else None,
            now=time.time(),
        )
        self.stats.inc_value("newsbot/state/marked")

    # --- Spider-facing API ----------------------------------------------------------
    def is_done(self, url: str) -> bool:
        """Whether a record of *url* was written by an earlier run (or this one) and is
        not due for a re-check. A spider may use it to avoid building requests for
        known URLs (a sitemap with 50,000 entries); it should then call
        :meth:`note_skipped`. Requests for done URLs are skipped anyway."""
        entry = self.lookup(url)
        return entry is not None and not self.is_recent(entry)

    def note_skipped(self, count: int = 1, reason: str = "done") -> None:
        """Count URLs the spider chose not to request because the state knows them
        (``newsbot/state/skipped/<reason>``). The health check counts them as articles
        seen, so a run with nothing new is not taken for a broken site."""
        self.stats.inc_value(f"newsbot/state/skipped/{reason}", count)


# The components that make up the crawl state, by the setting that lists each.
STATE_COMPONENTS = (
    ("EXTENSIONS", "newsbot.extensions.crawl_state.CrawlState"),
    ("DOWNLOADER_MIDDLEWARES", "newsbot.middlewares.skip_done.SkipDoneMiddleware"),
    ("ITEM_PIPELINES", "newsbot.pipelines.versions.VersionPipeline"),
)


def leave_state_out(settings: BaseSettings) -> None:
    """Take the crawl-state components out of a run whose settings are not final yet
    (a spider's ``from_crawler``): a run without state, asked for, loads none of them
    and so logs no "Disabled ..." warning for each."""
    if settings.frozen:
        return
    for name, path in STATE_COMPONENTS:
        components = {
            key: value
            for key, value in settings.getdict(name).items()
            if (key if isinstance(key, str) else f"{key.__module__}.{key.__qualname__}") != path
        }
        components[path] = None
        settings.set(name, components, priority=settings.getpriority(name) or "project")


def crawl_state(crawler: Crawler) -> CrawlState | None:
    """The run's crawl state, open, or None when it is off. From a spider:
    ``state = crawl_state(self.crawler)``."""
    state = crawler.get_extension(CrawlState)
    if state is not None and crawler.spider is not None:
        state.open(crawler.spider)
    return state
