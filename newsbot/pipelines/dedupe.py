"""Deduplication within a run: one record per canonical URL and per text."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot import defaults
from newsbot.items import ArticleRecord
from newsbot.records import Rejected, RunDedup


class DedupePipeline:
    """Drops a record whose canonical URL or text was already written in this run
    (the same article under two URLs, or reached twice through redirects); the rule
    is :class:`newsbot.records.RunDedup`.

    ``NEWSBOT_DEDUPE_TEXT = False`` keeps every URL's record even when its text was
    seen (for a dataset that studies republishing; ``newsbot export`` still folds
    identical texts later)."""

    def __init__(self, crawler: Crawler, *, by_text: bool = True):
        self.stats = crawler.stats
        self.dedup = RunDedup(by_text=by_text)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        by_text = crawler.settings.getbool("NEWSBOT_DEDUPE_TEXT", defaults.NEWSBOT_DEDUPE_TEXT)
        return cls(crawler, by_text=by_text)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        try:
            self.dedup.admit(item, self.stats.inc_value)
        except Rejected as exc:
            raise DropItem(str(exc), log_level=exc.log_level) from None
        return item
