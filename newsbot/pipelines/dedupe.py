"""Deduplication within a run: one record per canonical URL and per text."""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsbot.items import ArticleRecord


@functools.lru_cache(maxsize=256)
def text_fingerprint(text: str) -> bytes:
    """A compact fingerprint of a text, blind to whitespace and case.

    Cached: the dedupe pipeline and the crawl state both ask for the fingerprint of
    each record's text, and a string's hash (the cache key) is computed once per
    string object."""
    normalised = " ".join(text.lower().split())
    return hashlib.blake2b(normalised.encode("utf-8"), digest_size=16).digest()


class DedupePipeline:
    """Drops a record whose canonical URL or text was already written in this run
    (the same article under two URLs, or reached twice through redirects).
    Keys are 16-byte digests, so memory stays small on long crawls.

    ``NEWSBOT_DEDUPE_TEXT = False`` keeps every URL's record even when its text was
    seen (for a dataset that studies republishing; ``newsbot export`` still folds
    identical texts later)."""

    def __init__(self, crawler: Crawler, *, by_text: bool = True):
        self.stats = crawler.stats
        self.by_text = by_text
        self.seen_urls: set[bytes] = set()
        self.seen_texts: set[bytes] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler, by_text=crawler.settings.getbool("NEWSBOT_DEDUPE_TEXT", True))

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        url_key = hashlib.blake2b(item.canonical_url.encode("utf-8"), digest_size=16).digest()
        if url_key in self.seen_urls:
            self.stats.inc_value("newsbot/dropped/duplicate_url")
            raise DropItem(f"duplicate_url: {item.url} ({item.canonical_url})", log_level="INFO")
        if self.by_text:
            text_key = text_fingerprint(item.text or "")
            if text_key in self.seen_texts:
                self.stats.inc_value("newsbot/dropped/duplicate_text")
                raise DropItem(f"duplicate_text: {item.url}", log_level="INFO")
            self.seen_texts.add(text_key)
        self.seen_urls.add(url_key)
        return item
