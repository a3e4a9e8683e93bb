"""Extraction pipeline: a fetched page in, a clean article record out."""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot.extraction import ExtractedArticle, ExtractionOptions
from newsbot.items import ArticleRecord, PageItem
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
        return record_from_article(
            article,
            url=item.url,
            source=item.source,
            fetched_at=item.fetched_at,
            hints=item.hints,
            require_article=item.require_article,
            stats=self.stats,
        )


def record_from_article(
    article: ExtractedArticle,
    *,
    url: str,
    source: str,
    fetched_at: str,
    stats: Any,
    hints: dict[str, Any] | None = None,
    require_article: bool = False,
) -> ArticleRecord:
    """Turn what extraction found into a record, or raise :class:`DropItem` (counted in
    *stats*, anything with Scrapy's ``inc_value``) when the page gave no article.
    The crawl and the WARC reader both decide through here, so they cannot drift."""
    stats.inc_value("newsbot/extract/pages")
    if article.error and not article.text:
        # A stable key per kind of failure ("extraction timed out after 3s" and
        # "... after 30s" count together).
        reason = re.sub(r"[^a-z]+", "_", article.error.split(":", 1)[0].lower())
        reason = re.sub(r"_after_.*$", "", reason).strip("_") or "error"
        stats.inc_value(f"newsbot/extract/error/{reason}")
        raise DropItem(f"no article text in {url}: {article.error}", log_level="INFO")
    if require_article and not article.is_article:
        stats.inc_value("newsbot/dropped/not_article")
        raise DropItem(f"not an article page: {url}", log_level="DEBUG")
    for kind, count in article.removed.items():
        stats.inc_value(f"newsbot/clean/removed/{kind}", count)
    record = make_record(article, url=url, source=source, fetched_at=fetched_at, hints=hints)
    record.error = None
    return record
