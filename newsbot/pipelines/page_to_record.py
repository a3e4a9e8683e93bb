"""Extraction pipeline: a fetched page in, a clean article record out."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot import defaults
from newsbot.extraction import ExtractionOptions
from newsbot.items import PageItem
from newsbot.pool.processes import ExtractionPool, PageTask, default_workers
from newsbot.records import Rejected, record_from_article

logger = logging.getLogger(__name__)


class ExtractionPipeline:
    """Hands each :class:`~newsbot.items.PageItem` to a worker process and returns an
    :class:`~newsbot.items.ArticleRecord`. Other items pass through untouched.

    Settings: ``NEWSBOT_WORKERS`` (0: one per core; -1: extract inline, no pool),
    ``NEWSBOT_WORKER_MAX_TASKS``, ``NEWSBOT_EXTRACT_TIMEOUT``.
    """

    def __init__(self, crawler: Crawler, pool: ExtractionPool):
        self.crawler = crawler
        self.stats = crawler.stats
        self.pool = pool

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        settings = crawler.settings
        workers = settings.getint("NEWSBOT_WORKERS")
        if workers == 0:
            workers = default_workers()
        pool = ExtractionPool(
            workers=max(workers, 0),
            max_tasks_per_child=settings.getint(
                "NEWSBOT_WORKER_MAX_TASKS", defaults.NEWSBOT_WORKER_MAX_TASKS
            ),
            timeout=settings.getfloat("NEWSBOT_EXTRACT_TIMEOUT", defaults.NEWSBOT_EXTRACT_TIMEOUT),
            # Worker starts, recycling, timeouts and crashes, in the crawl stats.
            on_event=lambda event: crawler.stats.inc_value(f"newsbot/workers/{event}"),
        )
        # The workers' server starts importing while Scrapy opens the spider and
        # fetches the first pages.
        pool.prepare()
        return cls(crawler, pool)

    def close_spider(self) -> None:
        self.pool.close()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        options = ExtractionOptions(
            extra_cleanup=tuple(item.extra_cleanup), language=item.hints.get("language")
        )
        task = PageTask(
            body=item.body, url=item.url, content_type=item.content_type, options=options
        )
        article = await self.pool.extract(task)
        try:
            return record_from_article(
                article,
                url=item.url,
                source=item.source,
                fetched_at=item.fetched_at,
                hints=item.hints,
                require_article=item.require_article,
                count=self.stats.inc_value,
            )
        except Rejected as exc:
            raise DropItem(str(exc), log_level=exc.log_level) from None
