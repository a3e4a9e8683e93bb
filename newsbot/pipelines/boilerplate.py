"""Learned boilerplate: each site's own template lines, learned from its articles and
removed from every record (see :mod:`newsbot.extraction.site_templates`)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall

from newsbot import defaults
from newsbot.extensions.crawl_state import crawl_state
from newsbot.extraction.site_templates import KIND, TemplateRules, site_of, split_blocks
from newsbot.extraction.words import count_words
from newsbot.items import ArticleRecord
from newsbot.sources import parse_duration
from newsbot.state.template_memory import (
    Observation,
    RedisTemplateMemory,
    SqliteTemplateMemory,
    TemplateMemory,
    observe,
    strip_template,
)

if TYPE_CHECKING:
    from newsbot.state.redis import RedisStateStore

logger = logging.getLogger(__name__)

# How often the pipeline looks whether the crawl has gone quiet (held records).
_CHECK_EVERY = 0.25


class LearnedBoilerplatePipeline:
    """Learns, per site (registered domain), the lines that recur in the bodies of most
    of its articles, and removes them from each record's ``text`` (counted in
    ``removed`` as ``template``, and in the stats as ``newsbot/clean/removed/template``).

    The memory is kept in the source's crawl state (SQLite, or Redis in distributed
    mode), so later runs start knowing the site; without crawl state it lasts the run.

    **The first run is clean too**: while a site's memory has seen fewer than
    ``NEWSBOT_TEMPLATES_HOLD`` articles, its records wait here (the crawl goes on
    fetching and learning) and are cleaned when that many were seen, or when the crawl
    goes quiet (nothing downloading and no new record for ``NEWSBOT_TEMPLATES_QUIET``
    seconds: its end, or the engine waiting on the held records). At most
    ``NEWSBOT_TEMPLATES_HOLD_MAX`` records wait at once; past that the oldest goes.

    Settings (defaults): ``NEWSBOT_TEMPLATES_ENABLED`` (True),
    ``NEWSBOT_TEMPLATES_MIN_ARTICLES`` (5), ``NEWSBOT_TEMPLATES_MIN_SHARE`` (0.5),
    ``NEWSBOT_TEMPLATES_MAX_BLOCKS`` (20000 per site), ``NEWSBOT_TEMPLATES_HOLD`` (20),
    ``NEWSBOT_TEMPLATES_HOLD_MAX`` (100), ``NEWSBOT_TEMPLATES_QUIET`` (1.0).
    """

    def __init__(
        self,
        crawler: Crawler,
        rules: TemplateRules,
        *,
        max_blocks: int,
        hold: int,
        hold_max: int,
        quiet: float,
    ):
        self.crawler = crawler
        self.stats = crawler.stats
        self.rules = rules
        self.max_blocks = max_blocks
        self.hold = hold
        self.hold_max = hold_max
        self.quiet = quiet
        self.memory: TemplateMemory | None = None
        self._held: list[tuple[str, asyncio.Future[None]]] = []
        # Records of each site met in this run, copies too: a site whose pages are
        # mostly copies teaches little, and must not keep its records waiting for it.
        self._met: dict[str, int] = {}
        self._last_arrival = time.monotonic()
        self._watch: LoopingCall | None = None
        self._failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LearnedBoilerplatePipeline:
        settings = crawler.settings
        if not settings.getbool("NEWSBOT_TEMPLATES_ENABLED", defaults.NEWSBOT_TEMPLATES_ENABLED):
            raise NotConfigured("NEWSBOT_TEMPLATES_ENABLED is off")
        rules = TemplateRules(
            min_articles=max(
                settings.getint(
                    "NEWSBOT_TEMPLATES_MIN_ARTICLES", defaults.NEWSBOT_TEMPLATES_MIN_ARTICLES
                ),
                2,
            ),
            min_share=min(
                max(
                    settings.getfloat(
                        "NEWSBOT_TEMPLATES_MIN_SHARE", defaults.NEWSBOT_TEMPLATES_MIN_SHARE
                    ),
                    0.0,
                ),
                1.0,
            ),
        )
        return cls(
            crawler,
            rules,
            max_blocks=settings.getint(
                "NEWSBOT_TEMPLATES_MAX_BLOCKS", defaults.NEWSBOT_TEMPLATES_MAX_BLOCKS
            ),
            hold=settings.getint("NEWSBOT_TEMPLATES_HOLD", defaults.NEWSBOT_TEMPLATES_HOLD),
            hold_max=settings.getint(
                "NEWSBOT_TEMPLATES_HOLD_MAX", defaults.NEWSBOT_TEMPLATES_HOLD_MAX
            ),
            quiet=settings.getfloat("NEWSBOT_TEMPLATES_QUIET", defaults.NEWSBOT_TEMPLATES_QUIET),
        )

    # --- Life cycle -------------------------------------------------------------------
    def open_spider(self) -> None:
        self.memory = self._open_memory()
        if self.hold > 0 and self.hold_max > 0:
            self._watch = LoopingCall(self._release_if_quiet)
            self._watch.start(_CHECK_EVERY, now=False)

    def _open_memory(self) -> TemplateMemory:
        from newsbot.state.sqlite import SqliteStateStore

        state = crawl_state(self.crawler)
        store = state.store if state is not None else None
        spider = self.crawler.spider
        retention = getattr(getattr(spider, "source", None), "retention", None) or (
            self.crawler.settings.get("NEWSBOT_STATE_RETENTION", defaults.NEWSBOT_STATE_RETENTION)
        )
        keep = parse_duration(retention).total_seconds()
        memory: TemplateMemory
        if isinstance(store, SqliteStateStore):
            memory = SqliteTemplateMemory(store.db, self.max_blocks)
        elif store is not None and isinstance(store, _redis_store_class()):
            memory = RedisTemplateMemory(
                store.client, store.keys.base, max_blocks=self.max_blocks, ttl=int(keep) + 1
            )
        else:
            # No crawl state: the memory lasts this run.
            return SqliteTemplateMemory(None, self.max_blocks)
        try:
            pruned = memory.prune(time.time() - keep)
        except Exception as exc:  # Redis away: the crawl state reports it
            logger.warning("template memory not pruned: %s", exc)
            pruned = 0
        if pruned:
            self.stats.set_value("newsbot/templates/pruned", pruned)
        return memory

    def close_spider(self) -> None:
        if self._watch is not None and self._watch.running:
            self._watch.stop()
        self._release(lambda site: True)
        if self.memory is not None:
            self.memory.close()
            self.memory = None

    # --- Records ----------------------------------------------------------------------
    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord) or not item.text or self.memory is None:
            return item
        self._last_arrival = time.monotonic()
        site = site_of(item.canonical_url or item.url)
        blocks = split_blocks(item.text)
        try:
            observed = observe(self.memory, site, blocks, self.rules, time.time())
        except Exception as exc:  # a memory that cannot be reached costs no record
            self._memory_failed(exc)
            return item
        if observed.taught:
            self.stats.inc_value("newsbot/templates/taught")
        self._met[site] = met = self._met.get(site, 0) + 1
        fresh: Observation | None = observed
        if observed.articles >= self.hold or met >= self.hold:
            self._release(lambda held: held == site)
        elif self.hold_max > 0:
            await self._wait(site)
            # Other articles taught the site while this record waited: read it again.
            fresh = None
        try:
            removal = strip_template(
                self.memory, site, item.text, blocks, self.rules, observed=fresh
            )
        except Exception as exc:
            self._memory_failed(exc)
            return item
        if removal.removed and removal.text:
            item.text = removal.text
            item.word_count = count_words(removal.text)
            item.removed = {**item.removed, KIND: item.removed.get(KIND, 0) + removal.removed}
            self.stats.inc_value(f"newsbot/clean/removed/{KIND}", removal.removed)
        return item

    def _memory_failed(self, exc: BaseException) -> None:
        if not self._failed:
            logger.warning("template memory unavailable, records go out as they are: %s", exc)
            self._failed = True
        self.stats.inc_value("newsbot/templates/memory_errors")

    # --- Holding the first records of a site ----------------------------------------
    async def _wait(self, site: str) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._held.append((site, future))
        self.stats.inc_value("newsbot/templates/held")
        if len(self._held) > self.hold_max:
            # The memory bound: the oldest waiting record goes out now.
            _, oldest = self._held.pop(0)
            if not oldest.done():
                oldest.set_result(None)
        await future

    def _release(self, which: Any) -> None:
        keep = []
        for site, future in self._held:
            if which(site):
                if not future.done():
                    future.set_result(None)
            else:
                keep.append((site, future))
        self._held = keep

    def _release_if_quiet(self) -> None:
        if not self._held or time.monotonic() - self._last_arrival < self.quiet:
            return
        engine = self.crawler.engine
        if engine is not None and engine.downloader.active:
            return
        logger.debug("crawl quiet: %d held records released", len(self._held))
        self._release(lambda site: True)


def _redis_store_class() -> type[RedisStateStore]:
    """The Redis state store's class, imported only for a crawl whose store is not
    SQLite (the redis library costs a crawl's start some 40 ms)."""
    from newsbot.state.redis import RedisStateStore

    return RedisStateStore
