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


def not_an_article(record: ArticleRecord, min_words: int) -> tuple[str, str] | None:
    """Why *record* is no article, as ``(reason, detail)``, or ``None`` when it is one.
    The crawl's rule, shared with ``newsbot extract`` so that both decide alike."""
    if not record.title:
        return "no_title", "the page has no headline"
    if record.word_count < min_words:
        if record.text and _STUB.search(record.text):
            return "stub", "an error or paywall page"
        return "too_short", f"{record.word_count} words < {min_words}"
    if record.word_count < 150 and record.text and _STUB.search(record.text):
        return "stub", "an error or paywall page"
    return None


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

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        problem = not_an_article(item, self.min_words)
        if problem is not None:
            reason, detail = problem
            self.stats.inc_value(f"newsbot/dropped/{reason}")
            raise DropItem(f"{reason}: {item.url} ({detail})", log_level="INFO")
        return item
