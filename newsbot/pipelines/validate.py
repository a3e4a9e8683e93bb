"""Validation pipeline: only real articles become records."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot import defaults
from newsbot.items import ArticleRecord
from newsbot.records import Rejected, validate_record


class ValidationPipeline:
    """Drops records that are not articles: no title, too little text (fewer than
    ``NEWSBOT_MIN_WORDS`` words, counted as ``word_count`` is: a character each in
    Chinese, Japanese, Thai...), or an error or paywall stub
    (:func:`newsbot.records.not_an_article`). Each drop is counted in the stats as
    ``newsbot/dropped/<reason>`` and logged at INFO."""

    def __init__(self, crawler: Crawler, min_words: int):
        self.stats = crawler.stats
        self.min_words = min_words

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        return cls(
            crawler, crawler.settings.getint("NEWSBOT_MIN_WORDS", defaults.NEWSBOT_MIN_WORDS)
        )

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        try:
            validate_record(item, self.min_words, self.stats.inc_value)
        except Rejected as exc:
            raise DropItem(str(exc), log_level=exc.log_level) from None
        return item
