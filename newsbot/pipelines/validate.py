"""Validation pipeline: only real articles become records."""

from __future__ import annotations

import re
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot.items import ArticleRecord

# Pages that are not the article but stand in its place: error pages, paywall stubs.
_STUB = re.compile(
    r"(page (was )?not found|404 error|this page (does not|doesn't) exist|"
    r"subscribe to (continue|read)|to continue reading|this (article|content) is "
    r"(for|available to) (subscribers|members)|already a subscriber|"
    r"enable javascript|access denied|are you a robot)",
    re.IGNORECASE,
)


class ValidationPipeline:
    """Drops records that are not articles: no title, too little text (fewer than
    ``NEWSBOT_MIN_WORDS`` words, counted as ``word_count`` is: a character each in
    Chinese, Japanese, Thai...), or an error or paywall stub. Each drop is counted in the
    stats as ``newsbot/dropped/<reason>`` and logged at INFO."""

    def __init__(self, crawler: Crawler, min_words: int):
        self.stats = crawler.stats
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        return cls(crawler, crawler.settings.getint("NEWSBOT_MIN_WORDS", 40))

    def _drop(self, reason: str, record: ArticleRecord, detail: str) -> DropItem:
        self.stats.inc_value(f"newsbot/dropped/{reason}")
        return DropItem(f"{reason}: {record.url} ({detail})", log_level="INFO")

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        if not item.title:
            raise self._drop("no_title", item, "the page has no headline")
        if item.word_count < self.min_words:
            if item.text and _STUB.search(item.text):
                raise self._drop("stub", item, "an error or paywall page")
            raise self._drop("too_short", item, f"{item.word_count} words < {self.min_words}")
        if item.word_count < 150 and item.text and _STUB.search(item.text):
            raise self._drop("stub", item, "an error or paywall page")
        return item
