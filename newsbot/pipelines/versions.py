"""Versions of re-checked articles: a new record only when the text changed."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from newsbot.canonical_urls import canonicalize_url
from newsbot.dates import parse_iso_utc
from newsbot.extensions.crawl_state import CrawlState, crawl_state
from newsbot.items import ArticleRecord
from newsbot.records import fingerprint_hex


def _timestamp(value: str | None) -> float | None:
    """Unix time of an ISO 8601 date or date-time (a bare date or a naive time: UTC)."""
    parsed = parse_iso_utc(value)
    return parsed.timestamp() if parsed is not None else None


class VersionPipeline:
    """Compares each record with what the crawl state holds for its URL.

    * Unknown URL: the record is new, ``version`` 1 (``newsbot/state/new``).
    * Known URL, same text (a re-check, or the article reached under another URL):
      dropped, nothing to write (``newsbot/state/unchanged``).
    * Known URL, changed text: written with ``version`` one above the last, and
      ``modified`` set: the page's own date when it is later than the last time the
      state saw the article, else the time of this fetch (``newsbot/state/updated``).

    Runs after deduplication; needs the :class:`~newsbot.extensions.crawl_state.CrawlState`
    extension.
    """

    def __init__(self, crawler: Crawler, state: CrawlState):
        self.stats = crawler.stats
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VersionPipeline:
        state = crawl_state(crawler)
        if state is None:
            raise NotConfigured("the CrawlState extension is off (NEWSBOT_STATE_ENABLED)")
        return cls(crawler, state)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        entry = self.state.lookup(item.canonical_url) or self.state.lookup(
            canonicalize_url(item.url)
        )
        if entry is None:
            item.version = 1
            self.stats.inc_value("newsbot/state/new")
            return item
        if entry.fingerprint == fingerprint_hex(item.text):
            self.state.touch(item.url)
            self.stats.inc_value("newsbot/state/unchanged")
            raise DropItem(f"unchanged: {item.url} (version {entry.version})", log_level="DEBUG")
        item.version = entry.version + 1
        page_modified = _timestamp(item.modified)
        if page_modified is None or page_modified <= entry.last_seen:
            # The page's date does not say the text changed since we last saw it (no
            # date, or a stale one): the fetch that found the change is the best bound.
            item.modified = item.fetched_at
        self.stats.inc_value("newsbot/state/updated")
        return item
