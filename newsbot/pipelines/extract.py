"""Extraction pipeline: a fetched page in, a clean article record out."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot.extraction import ExtractionOptions
from newsbot.items import PageItem
from newsbot.records import make_record
from newsbot.workers import ExtractionPool, PageTask, default_workers

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
            max_tasks_per_child=settings.getint("NEWSBOT_WORKER_MAX_TASKS", 500),
            timeout=settings.getfloat("NEWSBOT_EXTRACT_TIMEOUT", 30.0),
        )
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
        self.stats.inc_value("newsbot/extract/pages")
        if article.error and not article.text:
            reason = article.error.split(":", 1)[0].replace(" ", "_")
            self.stats.inc_value(f"newsbot/extract/error/{reason}")
            raise DropItem(f"no article text in {item.url}: {article.error}", log_level="INFO")
        if item.require_article and not article.is_article:
            self.stats.inc_value("newsbot/dropped/not_article")
            raise DropItem(f"not an article page: {item.url}", log_level="DEBUG")
        for kind, count in article.removed.items():
            self.stats.inc_value(f"newsbot/clean/removed/{kind}", count)
        record = make_record(
            article, url=item.url, source=item.source, fetched_at=item.fetched_at, hints=item.hints
        )
        record.error = None
        return record
